import { ValidationError } from '@cnrms/decider';
import { requireDate } from './values';

/** The age bands of DOMAIN.md, computed at the inclusion date. */
export const AGE_BANDS = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

// Lower bound of each band after the first, in the order of AGE_BANDS.
const LOWER_BOUNDS = [18, 25, 35, 45, 55, 65];

export function ageBandOfAge(age: number): AgeBand {
  const index = LOWER_BOUNDS.filter((bound) => age >= bound).length;
  return AGE_BANDS[index];
}

/**
 * Age in whole years at `atDate`. From a birth date it is exact; from a birth year alone (all the
 * patient stream keeps) it is the age reached during `atDate`'s year, INSEE's « âge atteint dans
 * l’année »: at most one year more than the exact age, and the same for every date of a year.
 */
export function ageAt(birthYearOrDate: number | string, atDate: string): number {
  const at = requireDate(atDate, 'atDate');
  let age: number;
  if (typeof birthYearOrDate === 'number') {
    if (!Number.isInteger(birthYearOrDate)) throw new ValidationError('INVALID_BIRTH_YEAR', 'L’année de naissance doit être un nombre entier.', 'birthYear');
    age = Number(at.slice(0, 4)) - birthYearOrDate;
  } else {
    const birthDate = requireDate(birthYearOrDate, 'birthDate');
    const hadBirthday = at.slice(5) >= birthDate.slice(5);
    age = Number(at.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (hadBirthday ? 0 : 1);
  }
  // Age bands are taken at the inclusion date: a negative age is an inclusion dated before the birth.
  if (age < 0) throw new ValidationError('INCLUSION_BEFORE_BIRTH', `L’inclusion du ${at} ne peut pas précéder la naissance du patient : corrigez l’une des deux dates.`, 'includedOn');
  return age;
}

/** `ageBand(1990, '2024-03-01')` or `ageBand('1990-06-15', '2024-03-01')`. */
export const ageBand = (birthYearOrDate: number | string, atDate: string): AgeBand => ageBandOfAge(ageAt(birthYearOrDate, atDate));

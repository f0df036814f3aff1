import { ValidationError } from '@cnrms/decider';
import { addMonths } from './dates';
import { isBlank, requireDate, requireSex, requireText, Sex } from './values';

/**
 * Checks on a patient's clear identity, run by the application BEFORE it encrypts the identity with
 * the patient's key. The deciders never see these values: the patient stream only holds the
 * ciphertext, so that destroying the key erases the identity everywhere (crypto-shredding).
 */

export const PERSON_NAME_MAX_LENGTH = 100;
export const CONTACT_MAX_LENGTH = 500;
/** Older than this is taken for a typing error. */
export const MAX_AGE_YEARS = 130;

// Letters of any script, with the separators of compound names (Jean-Pierre, N’Diaye, O'Brien, St. Martin).
const PERSON_NAME_PATTERN = /^\p{L}[\p{L}\p{M}]*(?:(?:[ '’.-]|\. )\p{L}[\p{L}\p{M}]*)*\.?$/u;

/** Trimmed, inner spaces collapsed; letters, spaces, hyphens, apostrophes and dots only. */
export function requirePersonName(value: unknown, field: string, label: string): string {
  const name = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '';
  if (name === '') throw new ValidationError('NAME_REQUIRED', `${label} est obligatoire.`, field);
  if (name.length > PERSON_NAME_MAX_LENGTH) throw new ValidationError('NAME_TOO_LONG', `${label} ne doit pas dépasser ${PERSON_NAME_MAX_LENGTH} caractères.`, field);
  if (!PERSON_NAME_PATTERN.test(name)) {
    throw new ValidationError('INVALID_NAME', `${label} ne peut contenir que des lettres, des espaces, des traits d’union, des apostrophes et des points.`, field);
  }
  return name;
}

/** A real day, not after `today`, at most `MAX_AGE_YEARS` years before it. */
export function requireBirthDate(value: unknown, today: string, field = 'birthDate'): string {
  const birthDate = requireDate(value, field);
  if (birthDate > today) throw new ValidationError('INVALID_BIRTH_DATE', 'La date de naissance ne peut pas être dans le futur.', field);
  if (birthDate < addMonths(today, -12 * MAX_AGE_YEARS)) {
    throw new ValidationError('INVALID_BIRTH_DATE', `La date de naissance ne peut pas remonter à plus de ${MAX_AGE_YEARS} ans.`, field);
  }
  return birthDate;
}

// ---- Social security number (NIR) ----

// Sex digit (1, 2; 3, 4, 7, 8 for foreign-born and temporary numbers), year, month, department
// (2A/2B for Corsica), commune, order number, then the 2-digit key.
const NIR_PATTERN = /^([1-478])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/;

/** The key of a NIR's 13 characters: 97 − (number mod 97), Corsica's 2A and 2B counted as 19 and 18. */
export function ssnKey(body: string): number {
  const digits = body.toUpperCase().replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  // Digit by digit, so that no intermediate number exceeds what a double holds exactly.
  const remainder = [...digits].reduce((rest, digit) => (rest * 10 + Number(digit)) % 97, 0);
  return 97 - remainder;
}

/** Spaces, dots and dashes removed, upper-cased (2a → 2A). */
export const normaliseSsn = (value: string): string => value.replace(/[\s.-]/g, '').toUpperCase();

export function isValidSsn(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = NIR_PATTERN.exec(normaliseSsn(value));
  return match !== null && ssnKey(match.slice(1, 7).join('')) === Number(match[7]);
}

/** The normalised 15-character NIR, or `INVALID_SSN`. */
export function requireSsn(value: unknown, field = 'socialSecurityNumber'): string {
  const ssn = typeof value === 'string' ? normaliseSsn(value) : '';
  if (!NIR_PATTERN.test(ssn)) {
    throw new ValidationError(
      'INVALID_SSN',
      'Le numéro de sécurité sociale doit comporter 13 caractères (2A ou 2B pour la Corse) suivis d’une clé de 2 chiffres.',
      field,
    );
  }
  if (!isValidSsn(ssn)) throw new ValidationError('INVALID_SSN', 'Le numéro de sécurité sociale est invalide : sa clé ne correspond pas. Vérifiez la saisie.', field);
  return ssn;
}

export type SsnMismatch = 'SEX' | 'BIRTH_YEAR' | 'BIRTH_MONTH';

/**
 * Where a valid NIR contradicts the identity typed beside it, for a warning in the interface, not a
 * refusal: temporary and foreign-born numbers, unknown birth months and changes of civil status make
 * a strict check wrong for some patients.
 */
export function ssnMismatches(ssn: string, identity: { sex: Sex; birthDate: string }): SsnMismatch[] {
  const nir = normaliseSsn(ssn);
  const mismatches: SsnMismatch[] = [];
  const sexDigit = nir[0];
  if ((identity.sex === 'MALE' && sexDigit === '2') || (identity.sex === 'FEMALE' && sexDigit === '1')) mismatches.push('SEX');
  if (nir.slice(1, 3) !== identity.birthDate.slice(2, 4)) mismatches.push('BIRTH_YEAR');
  const month = Number(nir.slice(3, 5));
  if (month >= 1 && month <= 12 && nir.slice(3, 5) !== identity.birthDate.slice(5, 7)) mismatches.push('BIRTH_MONTH');
  return mismatches;
}

// ---- The whole clear identity ----

export interface ClearIdentity {
  lastName: string;
  firstName: string;
  birthDate: string;
  sex: Sex;
  /** Phone, address or e-mail as the patient gives them: free text, never outside the team. */
  contact?: string;
  socialSecurityNumber?: string;
}

/** Validates and normalises what the application is about to encrypt. */
export function requireClearIdentity(value: unknown, today: string): ClearIdentity {
  const identity = (value ?? {}) as Partial<Record<keyof ClearIdentity, unknown>>;
  return {
    lastName: requirePersonName(identity.lastName, 'lastName', 'Le nom de famille'),
    firstName: requirePersonName(identity.firstName, 'firstName', 'Le prénom'),
    birthDate: requireBirthDate(identity.birthDate, today),
    sex: requireSex(identity.sex),
    ...(!isBlank(identity.contact) && { contact: requireText(identity.contact, 'contact', 'Le contact', CONTACT_MAX_LENGTH) }),
    ...(!isBlank(identity.socialSecurityNumber) && { socialSecurityNumber: requireSsn(identity.socialSecurityNumber) }),
  };
}

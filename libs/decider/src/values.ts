import { ValidationError } from './errors';

/**
 * The value validators every domain shares. Each `require…` function takes what came from outside (hence
 * `unknown`), returns the normalised value, or throws a `ValidationError` whose message is for a person;
 * an unknown code is always `INVALID_CODE` (the field says which). Each domain adds its own codes and
 * rules on top, in its own `values.ts`.
 */

// ---- Ids and texts ----

export function requireId(value: unknown, field: string, label = 'L’identifiant'): string {
  const id = typeof value === 'string' ? value.trim() : '';
  if (id === '') throw new ValidationError('ID_REQUIRED', `${label} est obligatoire.`, field);
  return id;
}

/** A list of ids, none twice; an absent list is an empty one. */
export function requireIdList(value: unknown, field: string, label: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError('INVALID_LIST', `${label} doit être une liste.`, field);
  const ids = value.map((id, index) => requireId(id, `${field}[${index}]`, label));
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new ValidationError('DUPLICATE_VALUE', `${label} « ${duplicate} » est indiqué plusieurs fois.`, field);
  return ids;
}

/** A trimmed, non-empty text of at most `max` characters; `label` is the French subject with its article. */
export function requireText(value: unknown, field: string, label: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new ValidationError('TEXT_REQUIRED', `${label} est obligatoire.`, field);
  if (text.length > max) throw new ValidationError('TEXT_TOO_LONG', `${label} ne doit pas dépasser ${max} caractères.`, field);
  return text;
}

export const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

// ---- Numbers and flags ----

export interface IntegerRule {
  min: number;
  max: number;
  code: string;
  /** French subject with its article, e.g. « La durée de la séance (en minutes) ». */
  label: string;
}

export function requireInteger(value: unknown, field: string, rule: IntegerRule): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
    throw new ValidationError(rule.code, `${rule.label} doit être un nombre entier entre ${rule.min} et ${rule.max}.`, field);
  }
  return value;
}

export function requireBoolean(value: unknown, field: string, label: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError('INVALID_VALUE', `${label} doit valoir vrai ou faux.`, field);
  return value;
}

// ---- Dates ----

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD` naming a day that exists (no 2023-02-29). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function requireDate(value: unknown, field: string): string {
  if (!isIsoDate(value)) {
    const shown = typeof value === 'string' && value !== '' ? ` (reçu : « ${value} »)` : '';
    throw new ValidationError('INVALID_DATE', `La date doit être une date réelle au format AAAA-MM-JJ${shown}.`, field);
  }
  return value;
}

/** A day that is not after `today` (which the application gives, in Europe/Paris time). */
export function requirePastDate(value: unknown, field: string, today: string): string {
  const date = requireDate(value, field);
  if (date < '1900-01-01') throw new ValidationError('DATE_TOO_EARLY', `La date ${date} est invraisemblable : indiquez une date à partir du 1900-01-01.`, field);
  if (date > today) throw new ValidationError('DATE_IN_FUTURE', `La date ne peut pas être dans le futur (${date} est après le ${today}).`, field);
  return date;
}

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its offset, e.g. `2024-01-31T09:00:00Z` (for the `…At` fields). */
export function isIsoTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP_PATTERN.exec(value);
  if (!match) return false;
  const [hours, minutes, seconds] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  return isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3])) && hours < 24 && minutes < 60 && seconds < 60;
}

export function requireTimestamp(value: unknown, field: string): string {
  if (!isIsoTimestamp(value)) {
    throw new ValidationError('INVALID_DATE', 'La date et l’heure doivent être au format ISO 8601 avec fuseau (ex. 2024-01-31T09:00:00Z).', field);
  }
  return value;
}

// ---- Codes ----

export function requireCode<T extends string>(values: readonly T[], value: unknown, field: string, what: string): T {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? ` : « ${value} »` : '';
  throw new ValidationError('INVALID_CODE', `Valeur non reconnue pour ${what}${shown}. Valeurs possibles : ${values.join(', ')}.`, field);
}

/** Codes without repetition, returned in the order of `values` so that sets compare as arrays. */
export function requireCodeSet<T extends string>(values: readonly T[], value: unknown, field: string, what: string): T[] {
  if (!Array.isArray(value)) throw new ValidationError('INVALID_LIST', `La liste (${what}) est obligatoire.`, field);
  const codes = value.map((code, index) => requireCode(values, code, `${field}[${index}]`, what));
  const duplicate = codes.find((code, index) => codes.indexOf(code) !== index);
  if (duplicate !== undefined) throw new ValidationError('DUPLICATE_VALUE', `La valeur ${duplicate} est indiquée plusieurs fois (${what}).`, field);
  return values.filter((code) => codes.includes(code));
}

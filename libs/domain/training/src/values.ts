import { ValidationError } from '@cnrms/decider';

/**
 * Value validation shared by the decider and the GraphQL layer. Each `require…` function takes what came
 * from outside (hence `unknown`), returns the normalised value, or throws a `ValidationError` whose
 * message is for a person. The same spelling as the other services' validators (a service never
 * imports another's domain).
 */

export function requireId(value: unknown, field: string, label = 'L’identifiant'): string {
  const id = typeof value === 'string' ? value.trim() : '';
  if (id === '') throw new ValidationError('ID_REQUIRED', `${label} est obligatoire.`, field);
  return id;
}

/** A list of ids, none twice. */
export function requireIdList(value: unknown, field: string, label: string): string[] {
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

// ---- Dates and times (Europe/Paris wall-clock: what the programme of a training says) ----

/** `YYYY-MM-DD` naming a day that exists (no 2023-02-29). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function requireDate(value: unknown, field: string): string {
  if (!isIsoDate(value)) {
    const shown = typeof value === 'string' && value !== '' ? ` (reçu : « ${value} »)` : '';
    throw new ValidationError('INVALID_DATE', `La date doit être une date réelle au format AAAA-MM-JJ${shown}.`, field);
  }
  return value;
}

/** `HH:MM`, 00:00 to 23:59. */
export function requireTime(value: unknown, field: string): string {
  const match = typeof value === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!match) {
    const shown = typeof value === 'string' && value !== '' ? ` (reçu : « ${value} »)` : '';
    throw new ValidationError('INVALID_TIME', `L’heure doit être au format HH:MM, de 00:00 à 23:59${shown}.`, field);
  }
  return value as string;
}

/** Minutes since midnight of a valid `HH:MM`. */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

// ---- Codes ----

export function requireCode<T extends string>(values: readonly T[], value: unknown, field: string, what: string): T {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? ` : « ${value} »` : '';
  throw new ValidationError('INVALID_CODE', `Valeur non reconnue pour ${what}${shown}. Valeurs possibles : ${values.join(', ')}.`, field);
}

/** At least one code, none twice, returned in the order of `values` so that sets compare as arrays. */
export function requireCodeSet<T extends string>(values: readonly T[], value: unknown, field: string, what: string): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('INVALID_LIST', `Au moins une valeur est obligatoire (${what}).`, field);
  const codes = value.map((code, index) => requireCode(values, code, `${field}[${index}]`, what));
  const duplicate = codes.find((code, index) => codes.indexOf(code) !== index);
  if (duplicate !== undefined) throw new ValidationError('DUPLICATE_VALUE', `La valeur ${duplicate} est indiquée plusieurs fois (${what}).`, field);
  return values.filter((code) => codes.includes(code));
}

/** What a training is about; `OTHER` for the rest (the title says more). */
export const TRAINING_THEMES = ['HEPATITIS_C', 'ALCOHOL', 'OPIOID_SUBSTITUTION', 'MOTIVATIONAL_INTERVIEWING', 'SOCIAL_RIGHTS', 'MENTAL_HEALTH', 'OTHER'] as const;
export type TrainingTheme = (typeof TRAINING_THEMES)[number];

/** The directory's professions: a training's audience. */
export const PROFESSIONS = ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'] as const;
export type Profession = (typeof PROFESSIONS)[number];

export const TRAINING_FORMATS = ['IN_PERSON', 'REMOTE'] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];

/** A training of a network or of the national coordination, or a national day (Journée nationale des microstructures). */
export const TRAINING_KINDS = ['TRAINING', 'NATIONAL_EVENT'] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];

export const TITLE_MAX_LENGTH = 200;
export const PLACE_MAX_LENGTH = 200;
export const MAX_SESSIONS = 20;
export const MAX_CAPACITY = 2000;

/** A seat count: 1 to 2,000 (a national day fills a lecture hall). */
export function requireCapacity(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CAPACITY) {
    throw new ValidationError('INVALID_CAPACITY', `La capacité d’une session doit être un nombre entier de places entre 1 et ${MAX_CAPACITY}.`, field);
  }
  return value;
}

/** Training hours are counted in quarter hours, at least one quarter. */
export function requireHours(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || !Number.isInteger(value * 4)) {
    throw new ValidationError('INVALID_HOURS', 'Les heures de formation d’une session doivent être un nombre positif de quarts d’heure (par exemple 3,5).', field);
  }
  return value;
}

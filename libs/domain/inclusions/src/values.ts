import { ValidationError } from '@cnrms/decider';

/**
 * Value validation shared by the deciders and the GraphQL layer. Each `require…` function takes
 * what came from outside (hence `unknown`), returns the normalised value, or throws a
 * `ValidationError` whose message is for a person. Every unknown code of an enumeration is refused
 * with the one code `INVALID_CODE` (the field says which).
 */

// ---- Ids and texts ----

export function requireId(value: unknown, field: string, label = 'L’identifiant'): string {
  const id = typeof value === 'string' ? value.trim() : '';
  if (id === '') throw new ValidationError('ID_REQUIRED', `${label} est obligatoire.`, field);
  return id;
}

/** A trimmed, non-empty text of at most `max` characters; `label` is the French subject with its article. */
export function requireText(value: unknown, field: string, label: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new ValidationError('TEXT_REQUIRED', `${label} est obligatoire.`, field);
  if (text.length > max) throw new ValidationError('TEXT_TOO_LONG', `${label} ne doit pas dépasser ${max} caractères.`, field);
  return text;
}

export const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A list of ids, none twice; an absent list is an empty one. */
export function requireIdList(value: unknown, field: string, label: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError('INVALID_LIST', `${label} doit être une liste.`, field);
  const ids = value.map((id, index) => requireId(id, `${field}[${index}]`, label));
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new ValidationError('DUPLICATE_VALUE', `${label} « ${duplicate} » est indiqué plusieurs fois.`, field);
  return ids;
}

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

export const DAYS_OF_USE_RULE: IntegerRule = { min: 0, max: 30, code: 'INVALID_DAYS_OF_USE', label: 'Le nombre de jours de consommation sur les 30 derniers jours' };

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

// ---- Enumerations ----

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

/** Sex as recorded; shares are computed over patients whose sex is known. */
export const SEXES = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'] as const;
export type Sex = (typeof SEXES)[number];
export const requireSex = (value: unknown, field = 'sex'): Sex => requireCode(SEXES, value, field, 'le sexe');

/** The directory's professions (the same spelling, kept here because a service never imports another). */
export const PROFESSIONS = ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'] as const;
export type Profession = (typeof PROFESSIONS)[number];
export const requireProfession = (value: unknown, field = 'profession'): Profession => requireCode(PROFESSIONS, value, field, 'la profession');

export const PARTNER_TYPES = ['CSAPA', 'CAARUD', 'HOSPITAL', 'CMP', 'PHARMACY', 'ASSOCIATION', 'SOCIAL_SERVICE', 'OTHER'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];
export const requirePartnerType = (value: unknown, field = 'partnerType'): PartnerType => requireCode(PARTNER_TYPES, value, field, 'le type de partenaire');

export const INCLUSION_REASONS = ['ADDICTION', 'MENTAL_HEALTH', 'PRECARITY', 'OTHER'] as const;
export type InclusionReason = (typeof INCLUSION_REASONS)[number];

export const HOUSING_SITUATIONS = ['STABLE', 'PRECARIOUS', 'HOMELESS', 'INSTITUTION', 'UNKNOWN'] as const;
export type HousingSituation = (typeof HOUSING_SITUATIONS)[number];
export const requireHousing = (value: unknown, field = 'housing'): HousingSituation => requireCode(HOUSING_SITUATIONS, value, field, 'le logement');

export const INCOME_SOURCES = ['EMPLOYMENT', 'BENEFITS', 'NONE', 'OTHER', 'UNKNOWN'] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];
export const requireIncome = (value: unknown, field = 'income'): IncomeSource => requireCode(INCOME_SOURCES, value, field, 'les ressources');

/** Full coverage (base + complementary), CSS (complémentaire santé solidaire), AME (aide médicale de l’État), none. */
export const HEALTH_COVERAGES = ['FULL', 'CSS', 'AME', 'NONE', 'UNKNOWN'] as const;
export type HealthCoverage = (typeof HEALTH_COVERAGES)[number];
export const requireHealthCoverage = (value: unknown, field = 'healthCoverage'): HealthCoverage =>
  requireCode(HEALTH_COVERAGES, value, field, 'la couverture maladie');

export const SUBSTANCES = ['ALCOHOL', 'TOBACCO', 'CANNABIS', 'OPIOIDS', 'COCAINE', 'OTHER'] as const;
export type Substance = (typeof SUBSTANCES)[number];

export const EMPLOYMENT_SITUATIONS = ['EMPLOYED', 'UNEMPLOYED', 'INACTIVE', 'UNKNOWN'] as const;
export type EmploymentSituation = (typeof EMPLOYMENT_SITUATIONS)[number];
export const requireEmployment = (value: unknown, field = 'employment'): EmploymentSituation =>
  requireCode(EMPLOYMENT_SITUATIONS, value, field, 'la situation professionnelle');

export const EXIT_REASONS = ['GOALS_REACHED', 'MOVED', 'REFERRED_TO_SPECIALISED_CENTRE', 'LOST_TO_FOLLOW_UP', 'DECEASED', 'PATIENT_CHOICE', 'OTHER'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];
export const requireExitReason = (value: unknown, field = 'reason'): ExitReason => requireCode(EXIT_REASONS, value, field, 'le motif de sortie');

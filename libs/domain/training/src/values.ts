import { requireCodeSet as requireCodes, requireIdList as requireIds, ValidationError } from '@cnrms/decider';

/**
 * Value validation shared by the decider and the GraphQL layer, on top of the validators every domain
 * shares (`@cnrms/decider`, re-exported here so that the training's callers keep one import).
 */
export { requireId, requireText, isBlank, isIsoDate, requireDate, requireCode } from '@cnrms/decider';

/** A list of ids, none twice; unlike the shared one, the list must be given. */
export function requireIdList(value: unknown, field: string, label: string): string[] {
  if (!Array.isArray(value)) throw new ValidationError('INVALID_LIST', `${label} doit être une liste.`, field);
  return requireIds(value, field, label);
}

// ---- Dates and times (Europe/Paris wall-clock: what the programme of a training says) ----

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

/** At least one code, none twice, returned in the order of `values` so that sets compare as arrays. */
export function requireCodeSet<T extends string>(values: readonly T[], value: unknown, field: string, what: string): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('INVALID_LIST', `Au moins une valeur est obligatoire (${what}).`, field);
  return requireCodes(values, value, field, what);
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

/** Why a published training is cancelled. */
export const TRAINING_CANCELLATION_REASONS = ['TOO_FEW_REGISTRATIONS', 'TRAINER_UNAVAILABLE', 'VENUE_UNAVAILABLE', 'POSTPONED', 'OTHER'] as const;
export type TrainingCancellationReason = (typeof TRAINING_CANCELLATION_REASONS)[number];

/** What an edit of a published training changed (said to the people registered). */
export const TRAINING_CHANGES = ['TITLE', 'THEME', 'AUDIENCE', 'FORMAT', 'DEADLINE', 'SESSIONS'] as const;
export type TrainingChange = (typeof TRAINING_CHANGES)[number];

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

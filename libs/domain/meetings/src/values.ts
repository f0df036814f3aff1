import { ValidationError } from '@cnrms/decider';

/**
 * Value validation shared by the deciders and the GraphQL layer. Each `require…` function takes what
 * came from outside (hence `unknown`), returns the normalised value, or throws a `ValidationError`
 * whose message is for a person. An unknown code is always `INVALID_CODE` (the field says which).
 * The same spelling as the inclusions' validators: a service never imports another's domain.
 */

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

export interface IntegerRule {
  min: number;
  max: number;
  code: string;
  label: string;
}

export function requireInteger(value: unknown, field: string, rule: IntegerRule): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
    throw new ValidationError(rule.code, `${rule.label} doit être un nombre entier entre ${rule.min} et ${rule.max}.`, field);
  }
  return value;
}

/** A meeting lasts from a few minutes to a working day. */
export const MEETING_DURATION_RULE: IntegerRule = { min: 1, max: 600, code: 'INVALID_DURATION', label: 'La durée de la réunion (en minutes)' };

// ---- Dates ----

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

/** In the practice's meeting room, or by video. */
export const MEETING_FORMATS = ['IN_PERSON', 'VIDEO'] as const;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];
export const requireMeetingFormat = (value: unknown, field = 'format'): MeetingFormat => requireCode(MEETING_FORMATS, value, field, 'la forme de la réunion');

/** What the team decides about a reviewed situation: coded, so that it may leave the team. */
export const REVIEW_DECISIONS = ['ADJUST_CARE_PLAN', 'REFERRAL', 'HOSPITALISATION', 'SOCIAL_ACTION', 'NO_CHANGE'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** At least one decision; NO_CHANGE stands alone. */
export function requireReviewDecisions(value: unknown, field = 'decisions'): ReviewDecision[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('DECISIONS_REQUIRED', 'Au moins une décision doit être indiquée pour chaque situation examinée.', field);
  const decisions = requireCodeSet(REVIEW_DECISIONS, value, field, 'la décision');
  if (decisions.includes('NO_CHANGE') && decisions.length > 1) {
    throw new ValidationError('DECISIONS_CONTRADICTORY', '« Pas de changement » (NO_CHANGE) ne peut pas être combiné avec une autre décision.', field);
  }
  return decisions;
}

export const SUMMARY_MAX_LENGTH = 4000;

/**
 * The situation summary is free text about the patient: the application checks it here, then encrypts
 * it with the patient's key before a decider sees it. Absent or blank means no summary.
 */
export function optionalSummary(value: unknown, field = 'summary'): string | undefined {
  return isBlank(value) ? undefined : requireText(value, field, 'La synthèse de la situation', SUMMARY_MAX_LENGTH);
}

export const PLACE_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;
export const TOPIC_MAX_LENGTH = 200;

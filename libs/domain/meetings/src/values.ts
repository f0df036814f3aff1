import { type IntegerRule, isBlank, requireCode, requireCodeSet, requireText, ValidationError } from '@cnrms/decider';

// The shared validators, re-exported so that the domain's callers keep one import.
export { requireId, requireIdList, requireText, isBlank, type IntegerRule, requireInteger, isIsoDate, requireDate, requireCode, requireCodeSet } from '@cnrms/decider';

/**
 * Value validation shared by the deciders and the GraphQL layer. Each `require…` function takes what
 * came from outside (hence `unknown`), returns the normalised value, or throws a `ValidationError`
 * whose message is for a person. An unknown code is always `INVALID_CODE` (the field says which).
 * The generic ones come from `@cnrms/decider`, shared with the other domains.
 */

/** A meeting lasts from a few minutes to a working day. */
export const MEETING_DURATION_RULE: IntegerRule = { min: 1, max: 600, code: 'INVALID_DURATION', label: 'La durée de la réunion (en minutes)' };

// ---- Codes ----

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

// ---- Network exchange meetings: structured topics and a scanned note ----

/** What a network's exchange meeting is about: coded, so that no patient can be named in it. */
export const NETWORK_MEETING_TOPICS = [
  'COMPLEX_SITUATIONS',
  'ADDICTION_CARE',
  'OPIOID_SUBSTITUTION',
  'MENTAL_HEALTH',
  'PRECARITY_AND_RIGHTS',
  'HEPATITIS_AND_SCREENING',
  'PARTNERSHIPS',
  'TEAM_ORGANISATION',
  'TRAINING_NEEDS',
  'OTHER',
] as const;
export type NetworkMeetingTopic = (typeof NETWORK_MEETING_TOPICS)[number];

export const NOTE_MAX_LENGTH = 1000;

const CIVILITY = /\b(?:M\.|Mr\.?|Mme\.?|Mlle\.?|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur|Pr\.?|Professeur)\s+([A-ZÀ-Ý][\p{L}'’-]+)/gu;
const FIRST_AND_LAST = /(?<![.!?:]\s|^)\b([A-ZÀ-Ý][\p{Ll}'’-]+)\s+([A-ZÀ-Ý][\p{L}'’-]+)/gu;
const UPPER_SURNAME = /\b([A-ZÀ-Ý][\p{Ll}'’-]+)\s+([A-ZÀ-Ý]{2,}(?:-[A-ZÀ-Ý]{2,})?)\b/gu;
/** Acronyms of the field that are no one's name. */
const ACRONYMS = new Set(['CSAPA', 'CAARUD', 'CMP', 'CMPP', 'CHU', 'CHS', 'VHC', 'VIH', 'VHB', 'TSO', 'ARS', 'CPAM', 'CSS', 'AME', 'MSP', 'RPPS', 'ADELI', 'CNRMS', 'PASS', 'CCAS', 'RSA', 'CAF', 'HAS', 'ELSA', 'SMUR', 'PMI']);

/**
 * The parts of a free-text note that look like a person's name: a civility followed by a capitalised
 * word (« Mme Durand »), a capitalised word followed by a surname in capitals (« Jean DURAND »), or two
 * capitalised words inside a sentence (« le cas de Jean Durand »). A heuristic: it warns, a person decides.
 */
export function nameLikeParts(note: string): string[] {
  const found = new Set<string>();
  for (const match of note.matchAll(CIVILITY)) found.add(match[0]);
  for (const match of note.matchAll(UPPER_SURNAME)) if (!ACRONYMS.has(match[2])) found.add(match[0]);
  for (const match of note.matchAll(FIRST_AND_LAST)) if (match.index !== undefined && match.index > 0) found.add(match[0]);
  return [...found];
}

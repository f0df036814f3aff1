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

import { addDays, addMonths } from './dates';

/** An assessment timepoint: a code and its offset in months from the inclusion date (INCLUSION:0, M6:6, M12:12 by default). */
export interface Timepoint {
  code: string;
  monthsAfterInclusion: number;
}

export const DEFAULT_TIMEPOINTS: readonly Timepoint[] = Object.freeze([
  { code: 'INCLUSION', monthsAfterInclusion: 0 },
  { code: 'M6', monthsAfterInclusion: 6 },
  { code: 'M12', monthsAfterInclusion: 12 },
]);

/** A patient with an open inclusion in the microstructure, as the inclusions' events tell it. */
export interface FollowedPatient {
  patientId: string;
  includedOn: string;
  /** Timepoints already assessed during this inclusion. */
  assessedTimepoints: readonly string[];
}

/** The patient's last review in a held meeting of this microstructure. */
export interface LastReview {
  patientId: string;
  heldOn: string;
  nextReviewOn: string;
}

export const REVIEW_REASONS = ['NEVER_REVIEWED', 'NOT_REVIEWED_RECENTLY', 'NEXT_REVIEW_DUE', 'NEW_INCLUSION', 'ASSESSMENT_OVERDUE'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface ReviewSuggestion {
  patientId: string;
  reasons: ReviewReason[];
  includedOn: string;
  lastReviewedOn: string | null;
  overdueTimepoints: string[];
}

export interface SuggestionRules {
  /** A patient not reviewed for this many months is due again. */
  reviewIntervalMonths: number;
  timepoints: readonly Timepoint[];
  /** An assessment is overdue once its date plus this window has passed without it. */
  assessmentWindowDays: number;
}

/**
 * The patients due for review at a meeting on `on`, most reasons first: never reviewed, not reviewed
 * for `reviewIntervalMonths`, past the next-review date decided last time, included since the previous
 * held meeting (`previousMeetingOn`), or with an assessment overdue. Patients with no reason are left out.
 */
export function suggestReviews(patients: readonly FollowedPatient[], lastReviews: readonly LastReview[], previousMeetingOn: string | null, on: string, rules: SuggestionRules): ReviewSuggestion[] {
  const suggestions = patients.map((patient): ReviewSuggestion => {
    const last = lastReviews.find((review) => review.patientId === patient.patientId && review.heldOn >= patient.includedOn);
    const overdueTimepoints = rules.timepoints
      .filter((t) => !patient.assessedTimepoints.includes(t.code) && addDays(addMonths(patient.includedOn, t.monthsAfterInclusion), rules.assessmentWindowDays) < on)
      .map((t) => t.code);
    const reasons: ReviewReason[] = [];
    if (!last) reasons.push('NEVER_REVIEWED');
    if (last && last.heldOn <= addMonths(on, -rules.reviewIntervalMonths)) reasons.push('NOT_REVIEWED_RECENTLY');
    if (last && last.nextReviewOn <= on) reasons.push('NEXT_REVIEW_DUE');
    if (previousMeetingOn === null || patient.includedOn > previousMeetingOn) reasons.push('NEW_INCLUSION');
    if (overdueTimepoints.length > 0) reasons.push('ASSESSMENT_OVERDUE');
    return { patientId: patient.patientId, reasons, includedOn: patient.includedOn, lastReviewedOn: last?.heldOn ?? null, overdueTimepoints };
  });
  return suggestions
    .filter((s) => s.reasons.length > 0)
    .sort((a, b) => b.reasons.length - a.reasons.length || a.includedOn.localeCompare(b.includedOn) || a.patientId.localeCompare(b.patientId));
}

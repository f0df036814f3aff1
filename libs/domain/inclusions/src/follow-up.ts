import { ValidationError } from '@cnrms/decider';
import { DEFAULT_ASSESSMENT_WINDOW_DAYS, DEFAULT_TIMEPOINTS, Timepoint } from './assessment.values';
import { addDays, addMonths } from './dates';
import { AssessmentSummary, InclusionState, lastContactOn } from './inclusion.decider';
import { requireDate } from './values';

// Pure read-side helpers for the team's to-do lists and reminders.

/**
 * What the follow-up helpers need to know of an inclusion. The decider's state gives it (`followUpFactsOf`),
 * and so does the caseload's read model from its own columns: neither depends on the other's shape.
 */
export type FollowUpFacts =
  | { status: 'NONE' }
  | { status: 'OPEN' | 'EXITED'; includedOn: string; exitedOn?: string; lastContactOn: string; assessments: readonly AssessmentSummary[] };

export function followUpFactsOf(state: InclusionState): FollowUpFacts {
  if (state.status === 'NONE') return state;
  const { status, includedOn, assessments } = state;
  return { status, includedOn, exitedOn: state.status === 'EXITED' ? state.exit.exitedOn : undefined, lastContactOn: lastContactOn(state)!, assessments };
}

/**
 * DONE: recorded. UPCOMING: before the window. DUE: within it. OVERDUE: after it, not recorded.
 * NOT_APPLICABLE: the patient exited before the window closed, so it will never be due.
 */
export type AssessmentStatus = 'DONE' | 'DUE' | 'OVERDUE' | 'UPCOMING' | 'NOT_APPLICABLE';

export interface ScheduledAssessment {
  timepoint: string;
  dueOn: string;
  windowStartOn: string;
  windowEndOn: string;
  status: AssessmentStatus;
  assessedOn?: string;
}

function statusOf(windowStartOn: string, windowEndOn: string, today: string, exitedOn: string | undefined): AssessmentStatus {
  if (exitedOn !== undefined && exitedOn <= windowEndOn) return 'NOT_APPLICABLE';
  if (today < windowStartOn) return 'UPCOMING';
  return today <= windowEndOn ? 'DUE' : 'OVERDUE';
}

/** Each timepoint with its due date (inclusion date + months, clamped to month end) and status at `today`. */
export function assessmentSchedule(
  inclusion: FollowUpFacts,
  today: string,
  timepoints: readonly Timepoint[] = DEFAULT_TIMEPOINTS,
  windowDays = DEFAULT_ASSESSMENT_WINDOW_DAYS,
): ScheduledAssessment[] {
  requireDate(today, 'today');
  if (inclusion.status === 'NONE') return [];
  const exitedOn = inclusion.status === 'EXITED' ? inclusion.exitedOn : undefined;
  return timepoints.map(({ code, monthsAfterInclusion }) => {
    const dueOn = addMonths(inclusion.includedOn, monthsAfterInclusion);
    const windowStartOn = addDays(dueOn, -windowDays);
    const windowEndOn = addDays(dueOn, windowDays);
    const done = inclusion.assessments.find((assessment) => assessment.timepoint === code);
    if (done) return { timepoint: code, dueOn, windowStartOn, windowEndOn, status: 'DONE', assessedOn: done.assessedOn };
    return { timepoint: code, dueOn, windowStartOn, windowEndOn, status: statusOf(windowStartOn, windowEndOn, today, exitedOn) };
  });
}

export interface LostToFollowUpSuggestion {
  suggested: boolean;
  lastContactOn?: string;
}

/**
 * Whether to suggest recording an exit as LOST_TO_FOLLOW_UP: the inclusion is open and its last
 * contact is at least `monthsWithoutContact` months before `today`. A suggestion only: the team decides.
 */
export function suggestLostToFollowUp(inclusion: FollowUpFacts, today: string, monthsWithoutContact = 6): LostToFollowUpSuggestion {
  requireDate(today, 'today');
  if (!Number.isInteger(monthsWithoutContact) || monthsWithoutContact < 1) {
    throw new ValidationError('INVALID_VALUE', 'Le nombre de mois sans contact doit être un entier d’au moins 1.', 'monthsWithoutContact');
  }
  if (inclusion.status === 'NONE') return { suggested: false };
  const last = inclusion.lastContactOn;
  return { suggested: inclusion.status === 'OPEN' && addMonths(last, monthsWithoutContact) <= today, lastContactOn: last };
}

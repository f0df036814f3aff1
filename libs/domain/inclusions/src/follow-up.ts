import { ValidationError } from '@cnrms/decider';
import { DEFAULT_ASSESSMENT_WINDOW_DAYS, DEFAULT_TIMEPOINTS, Timepoint } from './assessment.values';
import { addDays, addMonths } from './dates';
import { InclusionState, lastContactOn } from './inclusion.decider';
import { requireDate } from './values';

// Pure read-side helpers on an inclusion's state, for the team's to-do lists and reminders.


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
  state: InclusionState,
  today: string,
  timepoints: readonly Timepoint[] = DEFAULT_TIMEPOINTS,
  windowDays = DEFAULT_ASSESSMENT_WINDOW_DAYS,
): ScheduledAssessment[] {
  requireDate(today, 'today');
  if (state.status === 'NONE') return [];
  const exitedOn = state.status === 'EXITED' ? state.exit.exitedOn : undefined;
  return timepoints.map(({ code, monthsAfterInclusion }) => {
    const dueOn = addMonths(state.includedOn, monthsAfterInclusion);
    const windowStartOn = addDays(dueOn, -windowDays);
    const windowEndOn = addDays(dueOn, windowDays);
    const done = state.assessments.find((assessment) => assessment.timepoint === code);
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
export function suggestLostToFollowUp(state: InclusionState, today: string, monthsWithoutContact = 6): LostToFollowUpSuggestion {
  requireDate(today, 'today');
  if (!Number.isInteger(monthsWithoutContact) || monthsWithoutContact < 1) {
    throw new ValidationError('INVALID_VALUE', 'Le nombre de mois sans contact doit être un entier d’au moins 1.', 'monthsWithoutContact');
  }
  const last = lastContactOn(state);
  if (last === undefined) return { suggested: false };
  return { suggested: state.status === 'OPEN' && addMonths(last, monthsWithoutContact) <= today, lastContactOn: last };
}

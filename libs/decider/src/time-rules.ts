import { ValidationError } from './errors';
import { requireDate } from './values';

/**
 * The plausible range of the field's dates, shared by every decider. Pure: "today" (Europe/Paris) always
 * arrives on the command. A fact that has happened (an inclusion, a session, a membership) is dated
 * between `EARLIEST_DATE` and today; a planned act (a meeting, a training session) may be in the future,
 * up to a horizon (`DEFAULT_PLANNING_HORIZON_YEARS`, or the one the application passes).
 */

/**
 * The calendar day in France (Europe/Paris) at an instant, `YYYY-MM-DD`: the "today" every service gives its
 * deciders (the day the teams see on their calendars; at 23:30 UTC on 31 December it is already 1 January).
 * One function for the whole platform, so that two services never date the same instant differently.
 */
export function todayInFrance(instant: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** Nothing the platform records happened before 1900 (birth dates included). */
export const EARLIEST_DATE = '1900-01-01';
/** How far ahead a planned act may be dated when the application does not say. */
export const DEFAULT_PLANNING_HORIZON_YEARS = 3;

function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year + years, month - 1, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The last day a planned act may fall on. */
export function planningHorizon(today: string, horizonYears: number = DEFAULT_PLANNING_HORIZON_YEARS): string {
  return addYears(today, horizonYears);
}

/** A real day, not before 1900 (`DATE_TOO_EARLY`). */
export function requirePlausibleDate(value: unknown, field: string): string {
  const date = requireDate(value, field);
  if (date < EARLIEST_DATE) {
    throw new ValidationError('DATE_TOO_EARLY', `La date ${date} est invraisemblable : indiquez une date à partir du ${EARLIEST_DATE}.`, field);
  }
  return date;
}

/** A day that has come: from 1900 to `today` (`DATE_TOO_EARLY`, `DATE_IN_FUTURE`). */
export function requireRecordedDate(value: unknown, field: string, today: string): string {
  const date = requirePlausibleDate(value, field);
  if (date > today) {
    throw new ValidationError('DATE_IN_FUTURE', `La date ne peut pas être dans le futur (${date} est après le ${today}) : indiquez le jour où c’est arrivé.`, field);
  }
  return date;
}

/** A planned day: from 1900 to today plus the horizon (`DATE_TOO_EARLY`, `DATE_BEYOND_HORIZON`). */
export function requirePlannedDate(value: unknown, field: string, today: string, horizonYears?: number): string {
  const date = requirePlausibleDate(value, field);
  const horizon = planningHorizon(today, horizonYears ?? DEFAULT_PLANNING_HORIZON_YEARS);
  if (date > horizon) {
    throw new ValidationError('DATE_BEYOND_HORIZON', `La date ${date} est trop lointaine : on ne peut rien prévoir au-delà du ${horizon}.`, field);
  }
  return date;
}

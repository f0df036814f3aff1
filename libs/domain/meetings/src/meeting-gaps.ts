import { lastDayOf, monthOf, monthsBetween } from './dates';

export interface ActivePeriod {
  /** When the microstructure opened; null while it is still being created (no month is then expected). */
  openedOn: string | null;
  closedOn: string | null;
}

/**
 * The calendar months (`YYYY-MM`) between `from` and `to` in which the microstructure was open on at
 * least one day and held no meeting. A month is judged only once it is over (its last day before
 * `today`): the current month may still get its meeting.
 */
export function monthsWithoutMeeting(heldOn: readonly string[], active: ActivePeriod, from: string, to: string, today: string): string[] {
  if (active.openedOn === null) return [];
  const heldMonths = new Set(heldOn.map(monthOf));
  const closedOn = active.closedOn;
  return monthsBetween(from, to).filter(
    (month) => lastDayOf(month) < today && lastDayOf(month) >= active.openedOn! && (closedOn === null || `${month}-01` <= closedOn) && !heldMonths.has(month),
  );
}

/**
 * Calendar arithmetic on `YYYY-MM-DD` days and `YYYY-MM` months. Pure: "today" always arrives from
 * outside; `Date` is only a calculator in UTC, so that no time zone or daylight-saving shift moves a day.
 */

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return toIso(new Date(Date.UTC(year, month - 1, day + days)));
}

/** Adds calendar months, clamped to the end of a shorter month (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return toIso(target);
}

/** `YYYY-MM` of a day. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The last day of a `YYYY-MM` month. */
export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return toIso(new Date(Date.UTC(year, m, 0)));
}

/** Every month from the month of `from` to the month of `to`, both included (empty when `to` is earlier). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let day = `${monthOf(from)}-01`; monthOf(day) <= monthOf(to); day = addMonths(day, 1)) months.push(monthOf(day));
  return months;
}

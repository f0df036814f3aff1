/**
 * Calendar arithmetic on `YYYY-MM-DD` days. Pure: "today" always arrives from outside; `Date` is
 * used only as a calculator in UTC, so that no time zone or daylight-saving shift moves a day.
 */

function toUtc(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const result = toUtc(date);
  result.setUTCDate(result.getUTCDate() + days);
  return toIso(result);
}

/** Adds calendar months, clamped to the end of a shorter month (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return toIso(target);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** The later of two days; ISO dates compare as strings. */
export const latest = (dates: readonly string[]): string | undefined => (dates.length === 0 ? undefined : dates.reduce((a, b) => (b > a ? b : a)));

/** Calendar days as `AAAA-MM-JJ` strings (UTC arithmetic on whole days: no time zone can shift them). */

const DAY_MS = 86_400_000;
const toTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const toDay = (time: number) => new Date(time).toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string => toDay(toTime(day) + days * DAY_MS);
export const daysBetween = (from: string, to: string): number => Math.round((toTime(to) - toTime(from)) / DAY_MS);

/** Same day of month `months` later, clamped to the month's last day. */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const last = new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${String(Math.min(date, last)).padStart(2, '0')}`;
}

export const monthOf = (day: string): string => day.slice(0, 7);
export const firstOfMonth = (month: string): string => `${month}-01`;
export const lastOfMonth = (month: string): string => addDays(addMonths(firstOfMonth(month), 1), -1);
/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: string): number => new Date(toTime(day)).getUTCDay();

/** The first weekday (Monday–Friday) on or after `day`. */
export function onWeekday(day: string): string {
  let current = day;
  while (weekday(current) === 0 || weekday(current) === 6) current = addDays(current, 1);
  return current;
}

/** Today in France: the services refuse dates after it. */
export const parisToday = (now: Date = new Date()): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
export const parisYesterday = (now: Date = new Date()): string => addDays(parisToday(now), -1);

/** The months `from`…`to` (AAAA-MM), both included. */
export function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = monthOf(from); month <= monthOf(to); month = monthOf(addMonths(firstOfMonth(month), 1))) months.push(month);
  return months;
}

/** Dates as the services write them (AAAA-MM-JJ), in Paris time. */
export const parisToday = (now = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The `count` months (AAAA-MM) ending with the month of `date`, oldest first. */
export function lastMonths(date: string, count: number): string[] {
  const [year, month] = date.split('-').map(Number);
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(year, month - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat('fr-FR', { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(year, m - 1, 1)));
}

export function frenchDate(date: string | null | undefined): string {
  if (!date) return '—';
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** The last day (AAAA-MM-JJ) of a month AAAA-MM. */
export function endOfMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

export interface Period {
  key: string;
  label: string;
  months: number;
}
export const PERIODS: Period[] = [
  { key: '6', label: '6 derniers mois', months: 6 },
  { key: '12', label: '12 derniers mois', months: 12 },
  { key: '24', label: '24 derniers mois', months: 24 },
];

/** The first and last day of the `months` months ending this month. */
export function periodRange(months: number, today = parisToday()): { from: string; to: string; months: string[] } {
  const list = lastMonths(today, months);
  return { from: `${list[0]}-01`, to: endOfMonth(list[list.length - 1]), months: list };
}

/** Like periodRange, but ending with last month: indicators over whole, elapsed months. */
export function elapsedMonthsRange(months: number, today = parisToday()): { from: string; to: string; months: string[] } {
  return periodRange(months, addDays(`${today.slice(0, 7)}-01`, -1));
}

/** 22/07/2026: for tables. */
export function shortDate(date: string | null | undefined): string {
  if (!date) return '—';
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(d);
}

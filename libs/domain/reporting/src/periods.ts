import { todayInFrance } from '@cnrms/decider';
import { ReportingError } from './errors';

/**
 * Calendar arithmetic on `YYYY-MM-DD` days (docs/domain.md: periods are calendar months, quarters or years in
 * Europe/Paris time, closed at their last day included). Pure: "today" arrives from outside; `Date` is
 * only a calculator in UTC, so that no daylight-saving shift moves a day.
 */

export const GRANULARITIES = ['MONTH', 'QUARTER', 'YEAR'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** One period of a query's answer: its code (`2024-03`, `2024-Q1`, `2024`), French label and bounds (both included). */
export interface Bucket {
  key: string;
  label: string;
  from: string;
  to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

const toIso = (date: Date): string => date.toISOString().slice(0, 10);

export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return toIso(date) === value;
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

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day in Europe/Paris at an instant (an event at 23:30 UTC on 31 December is already 1 January in Paris). */
export function dayInParis(instant: Date): string {
  return todayInFrance(instant);
}

function bucketOf(day: string, granularity: Granularity): Bucket {
  const [year, month] = day.split('-').map(Number);
  if (granularity === 'YEAR') return { key: `${year}`, label: `${year}`, from: `${year}-01-01`, to: `${year}-12-31` };
  if (granularity === 'QUARTER') {
    const quarter = Math.floor((month - 1) / 3) + 1;
    const from = `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
    return { key: `${year}-Q${quarter}`, label: `T${quarter} ${year}`, from, to: addDays(addMonths(from, 3), -1) };
  }
  const from = `${year}-${String(month).padStart(2, '0')}-01`;
  return { key: from.slice(0, 7), label: `${MONTH_NAMES[month - 1]} ${year}`, from, to: addDays(addMonths(from, 1), -1) };
}

export interface PeriodInput {
  from: string;
  to: string;
  granularity: Granularity;
}

/**
 * The calendar periods a query covers: every month, quarter or year that meets [from, to], whole (a
 * query from 2024-02-10 to 2024-03-05 by month answers for February and March entire). Refuses a
 * malformed or reversed period, and one longer than `maxMonths` (a dashboard never needs to scan
 * decades of facts in one request).
 */
export function bucketsOf(period: PeriodInput, maxMonths: number): Bucket[] {
  if (!isDay(period.from) || !isDay(period.to)) throw new ReportingError('INVALID_PERIOD', 'Période invalide : les dates doivent être au format AAAA-MM-JJ.');
  if (period.from > period.to) throw new ReportingError('INVALID_PERIOD', `Période invalide : le début (${period.from}) est après la fin (${period.to}).`);
  if (!GRANULARITIES.includes(period.granularity)) throw new ReportingError('INVALID_PERIOD', 'Granularité inconnue : MONTH, QUARTER ou YEAR.');
  const buckets: Bucket[] = [];
  for (let bucket = bucketOf(period.from, period.granularity); bucket.from <= period.to; bucket = bucketOf(addDays(bucket.to, 1), period.granularity)) buckets.push(bucket);
  const first = buckets[0].from;
  const last = buckets[buckets.length - 1].to;
  const months = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;
  if (months > maxMonths) {
    throw new ReportingError('PERIOD_TOO_LONG', `Période trop longue : ${months} mois demandés, ${maxMonths} au plus par requête.`, { maxMonths });
  }
  return buckets;
}

/** The coarser calendar periods a period belongs to: `2024-03` → `2024-Q1`, `2024`; `2024-Q1` → `2024`. */
export function coarserPeriodsOf(key: string): string[] {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return [`${month[1]}-Q${Math.floor((Number(month[2]) - 1) / 3) + 1}`, month[1]];
  const quarter = /^(\d{4})-Q[1-4]$/.exec(key);
  return quarter ? [quarter[1]] : [];
}

import { recordKeyExpression } from '@cnrms/disclosure';
import { Queryable } from './apply-event';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { intSettingSql } from './writing-settings';
import { UPDATED_FILLFACTOR } from './summary-writes';

/**
 * Month-end cells (fact-set layout 5): who is followed at the end of each month — what `lost_to_follow_up` and
 * `patients_reviewed_share` count. A quarter or a year ends with its last month, so every period's answer is one
 * month's.
 *
 * - `month_ends`: one row per month and inclusion active at the month's last day, with the patient's flags: lost
 *   (no contact in the month or the `REPORTING_LOST_TO_FOLLOW_UP_MONTHS` - 1 before) and reviewed (a case review in the
 *   `REPORTING_REVIEW_WINDOW_MONTHS` ending that day), and `shared` when the patient has another inclusion active then
 *   (in another microstructure).
 * - `month_end_cells`: the rows summed per month, network, sex and age band — patients, lost, reviewed and their
 *   record-key sums. A shared patient is counted in no cell: their rows are read through a partial index and counted
 *   once beside the cells' sums (as the spread patients of a quarter), so the answer is exact for any grouping.
 * - `month_end_horizon`: the last month materialised — the last month with a contact. An answer for a later month
 *   reads the facts.
 *
 * The rows follow the facts: months are added as contacts reach them (every inclusion active at their end); the
 * rows of a patient whose inclusion or exit is recorded are recomputed; a contact can only clear the lost flag of
 * the months it covers, a review only set the reviewed flag: those flips are one indexed update each. The cells
 * follow the rows by difference. The windows are settings, given to the writing transaction as the key secret is
 * (`prepareFactWrites`): a cell records them, and an answer with other windows reads the facts.
 */

export const LOST_TO_FOLLOW_UP_MONTHS_SETTING = 'cnrms.lost_to_follow_up_months';
export const REVIEW_WINDOW_MONTHS_SETTING = 'cnrms.review_window_months';
const LOST_MONTHS = intSettingSql(LOST_TO_FOLLOW_UP_MONTHS_SETTING);
const REVIEW_MONTHS = intSettingSql(REVIEW_WINDOW_MONTHS_SETTING);

const CELL = ['month', 'network_id', 'sex', 'age_band'];
const SUMMED = ['patients', 'lost', 'reviewed', 'patients_keys', 'lost_keys', 'reviewed_keys'];

export function monthEndCellsDdl(s: string): string {
  return `
    create table ${s}.month_ends (
      month date not null, inclusion_id text not null, patient_id text not null, microstructure_id text not null, network_id text not null,
      sex text not null, age_band text not null, lost boolean not null, reviewed boolean not null, shared boolean not null,
      primary key (month, inclusion_id)
    ) with (fillfactor = ${UPDATED_FILLFACTOR});
    create index month_ends_patient on ${s}.month_ends (patient_id, month);
    create index month_ends_shared on ${s}.month_ends (month) where shared;
    create table ${s}.month_end_cells (
      month date not null, network_id text not null, sex text not null, age_band text not null,
      patients integer not null, lost integer not null, reviewed integer not null,
      patients_keys bigint, lost_keys bigint, reviewed_keys bigint, key_tag text, lost_months integer, review_months integer,
      primary key (month, network_id, sex, age_band)
    );
    create index month_end_cells_empty on ${s}.month_end_cells (month) where patients = 0;
    create table ${s}.month_end_horizon (single boolean primary key default true check (single), month date);
    insert into ${s}.month_end_horizon (month) values (null)`;
}

/** The last day of the month `month`. */
const endOf = (month: string) => `(${month} + interval '1 month - 1 day')::date`;

/**
 * The month-end rows of the inclusions `i` that `from` selects, for the months `m.month` it pairs them with: each
 * inclusion active at the month's end, with the patient's flags (as the facts' queries compute them) and `shared`
 * (another of the patient's inclusions is active then: `from` must pair every inclusion of a patient with a month).
 */
const monthEndRows = (s: string, from: string) => `
  select m.month, i.inclusion_id, i.patient_id, i.microstructure_id, i.network_id, i.sex, i.age_band,
    not exists (select 1 from ${s}.patient_months pm where pm.patient_id = i.patient_id and pm.month <= ${endOf('m.month')}
      and pm.month > (m.month - ${LOST_MONTHS} * interval '1 month')::date) as lost,
    exists (select 1 from ${s}.case_reviews r where r.patient_id = i.patient_id and r.held_on <= ${endOf('m.month')}
      and r.held_on > (${endOf('m.month')} - ${REVIEW_MONTHS} * interval '1 month')::date) as reviewed,
    count(*) over (partition by m.month, i.patient_id) > 1 as shared
  ${from}`;

/**
 * The months an inclusion `i` is active at the end of, from `first` to `last` (SQL dates, first days of months): from
 * the month it was included in to the last whose last day is not after its exit.
 */
const activeMonths = (first: string, last: string) => `cross join lateral generate_series(
    greatest(date_trunc('month', i.included_on), ${first}),
    least(case when i.exited_on is null then ${last} when i.exited_on = ${endOf("date_trunc('month', i.exited_on)::date")} then date_trunc('month', i.exited_on)
      else date_trunc('month', i.exited_on) - interval '1 month' end, ${last}),
    interval '1 month') as g(month) cross join lateral (select g.month::date as month) m`;

/**
 * The cells' difference for the month-end rows a statement changed (`changes`: rows of `month_ends` with what each
 * adds to its cell's patients, lost and reviewed: `d_patients`, `d_lost`, `d_reviewed`, each -1, 0 or 1), in the
 * same statement. Shared rows are in no cell. A cell keeps its key tag and windows only while every change comes
 * with the same ones.
 */
function cellsBy(s: string, changes: string): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'x.patient_id');
  return `insert into ${s}.month_end_cells as c (${CELL.join(', ')}, ${SUMMED.join(', ')}, key_tag, lost_months, review_months)
    select ${CELL.join(', ')}, sum(d_patients), sum(d_lost), sum(d_reviewed), sum(d_patients * key), sum(d_lost * key), sum(d_reviewed * key),
      ${CELL_KEY_TAG_SQL}, ${LOST_MONTHS}, ${REVIEW_MONTHS}
    from (select x.*, ${key} as key from (${changes}) x where not x.shared) x
    group by ${CELL.join(', ')}
    on conflict (${CELL.join(', ')}) do update set ${SUMMED.map((f) => `${f} = c.${f} + excluded.${f}`).join(', ')},
      key_tag = case when c.key_tag = excluded.key_tag then c.key_tag end,
      lost_months = case when c.lost_months = excluded.lost_months then c.lost_months end,
      review_months = case when c.review_months = excluded.review_months then c.review_months end`;
}

/** What rows `rows` add to their cells (`sign` 1: added, -1: gone). */
const counted = (rows: string, sign: 1 | -1) => `select ${rows}.*, ${sign} as d_patients, ${sign} * ${rows}.lost::int as d_lost, ${sign} * ${rows}.reviewed::int as d_reviewed from ${rows}`;

const ROW_COLUMNS = 'month, inclusion_id, patient_id, microstructure_id, network_id, sex, age_band, lost, reviewed, shared';

/**
 * `monthEndRows`' rows computed set-based, for a whole set: each row's flags from the patient's last contact month and
 * last case review up to the month's last day, as running maxima over the patient's rows, contacts and reviews in
 * the order of their days (a review on the last day comes before the row) — one sort instead of two index probes per
 * row, the same tests. `from` pairs every inclusion `i` with its months `m`.
 */
const monthEndRowsSetBased = (s: string, from: string) => `
  select month, inclusion_id, patient_id, microstructure_id, network_id, sex, age_band,
    not coalesce(last_contact > (month - ${LOST_MONTHS} * interval '1 month')::date, false) as lost,
    coalesce(last_review > (${endOf('month')} - ${REVIEW_MONTHS} * interval '1 month')::date, false) as reviewed,
    count(*) over (partition by month, patient_id) > 1 as shared
  from (
    select u.*, max(u.contact) over w as last_contact, max(u.review) over w as last_review
    from (
      select i.patient_id, ${endOf('m.month')} as at, 1 as is_row, m.month, i.inclusion_id, i.microstructure_id, i.network_id, i.sex, i.age_band, null::date as contact, null::date as review
      ${from}
      union all
      select pm.patient_id, pm.month, 0, null, null, null, null, null, null, pm.month, null from ${s}.patient_months pm
      union all
      select r.patient_id, r.held_on, 0, null, null, null, null, null, null, null, r.held_on from ${s}.case_reviews r
    ) u
    window w as (partition by u.patient_id order by u.at, u.is_row rows unbounded preceding)
  ) x
  where is_row = 1`;

/**
 * Adds the months after the horizon up to the last month with a contact (on an empty set, from the first inclusion's
 * month), or up to `through` (an SQL date, the first day of a month), the rows of every inclusion active at their
 * ends, and their cells. A no-op most of the time: once a month.
 */
export function extendMonthEndsSql(s: string, options: { setBased?: boolean; through?: string } = {}): string[] {
  const span = `(select h.month as horizon, ${options.through ?? `(select max(month) from ${s}.patient_months)`} as last from ${s}.month_end_horizon h)`;
  const first = `coalesce((select (horizon + interval '1 month')::date from ${span} x), (select date_trunc('month', min(included_on))::date from ${s}.inclusions))`;
  const last = `(select last from ${span} x)`;
  const rows = options.setBased ? monthEndRowsSetBased : monthEndRows;
  return [
    `with added as (
       insert into ${s}.month_ends (${ROW_COLUMNS})
       ${rows(s, `from ${s}.inclusions i ${activeMonths(first, last)} where ${first} <= ${last} and (i.exited_on is null or i.exited_on >= ${endOf(first)})`)}
       returning *
     )
     ${cellsBy(s, counted('added', 1))}`,
    `update ${s}.month_end_horizon h set month = x.last from ${span} x where x.last > coalesce(x.horizon, '-infinity'::date)`,
  ];
}

/**
 * Recomputes the month-end rows of the patients `patients` selects (a query with columns `patient_id` and `since`,
 * the first day of the first month the change may move; a patient may come more than once: the earliest counts), up
 * to the horizon: after an inclusion or an exit is recorded, the rows of every inclusion of the patient from that
 * month on go and come back as the facts now have them (the months before keep theirs: an inclusion or an exit
 * moves no flag of an earlier month, `shared` included). Runs before the horizon moves (`refreshMonthEnds`), so
 * that an inclusion's rows are still those of its months up to its former exit (`exitSinceSql`).
 */
export function recomputePatientsSql(s: string, patients: string): string[] {
  const last = `(select month from ${s}.month_end_horizon)`;
  const since = `(select patient_id, min(since) as since from (${patients}) p group by patient_id)`;
  return [
    `with p as materialized ${since}, gone as (delete from ${s}.month_ends e using p where e.patient_id = p.patient_id and e.month >= p.since returning e.*)
     ${cellsBy(s, counted('gone', -1))}`,
    `with p as materialized ${since}, added as (
       insert into ${s}.month_ends (${ROW_COLUMNS})
       ${monthEndRows(s, `from p join ${s}.inclusions i on i.patient_id = p.patient_id ${activeMonths('p.since', last)} where ${last} is not null`)}
       returning *
     )
     ${cellsBy(s, counted('added', 1))}`,
  ];
}

/**
 * The first month whose month-end rows an exit moves (`since` of `recomputePatientsSql`), from SQL expressions of its
 * patient, inclusion and day: the exit's month, or the month after the inclusion's last row when that is earlier, or
 * its inclusion's month when it has none (an exit recorded again with a later day gives back the months between).
 * Read before the horizon moves.
 */
export const exitSinceSql = (s: string, patientId: string, inclusionId: string, exitedOn: string): string =>
  `least(date_trunc('month', ${exitedOn})::date, coalesce(
     (select (max(e.month) + interval '1 month')::date from ${s}.month_ends e where e.patient_id = ${patientId} and e.inclusion_id = ${inclusionId}),
     (select date_trunc('month', i.included_on)::date from ${s}.inclusions i where i.inclusion_id = ${inclusionId})))`;

/**
 * The contacts `contacts` selects (columns `patient_id`, `month`) clear the lost flag of their patient's month-end
 * rows of the months they cover (their month and the window's others after it).
 */
export function contactsSeenSql(s: string, contacts: string): string {
  return `with seen as (select distinct patient_id, date_trunc('month', month::date)::date as month from (${contacts}) c),
    flipped as (
      update ${s}.month_ends e set lost = false from seen
      where e.patient_id = seen.patient_id and e.month >= seen.month and e.month < (seen.month + ${LOST_MONTHS} * interval '1 month')::date and e.lost
      returning e.*
    )
    ${cellsBy(s, 'select flipped.*, 0 as d_patients, -1 as d_lost, 0 as d_reviewed from flipped')}`;
}

/** The case reviews `reviews` selects (columns `patient_id`, `held_on`) set the reviewed flag of the month-end rows whose window holds them. */
export function reviewsSeenSql(s: string, reviews: string): string {
  return `with seen as (select distinct patient_id, held_on::date as held_on from (${reviews}) r),
    flipped as (
      update ${s}.month_ends e set reviewed = true from seen
      where e.patient_id = seen.patient_id and e.month >= date_trunc('month', seen.held_on)::date and e.month <= (seen.held_on + ${REVIEW_MONTHS} * interval '1 month')::date
        and not e.reviewed and seen.held_on <= ${endOf('e.month')} and seen.held_on > (${endOf('e.month')} - ${REVIEW_MONTHS} * interval '1 month')::date
      returning e.*
    )
    ${cellsBy(s, 'select flipped.*, 0 as d_patients, 0 as d_lost, 1 as d_reviewed from flipped')}`;
}

/** What changed the month-ends in a transaction, each a query over `parameters` (columns as each `…Sql` above wants). */
export interface MonthEndChanges {
  /** Patients whose inclusion or exit was recorded, with the first month it moves (`patient_id`, `since`: `recomputePatientsSql`). */
  patients?: string;
  /** Contacts (`patient_id`, `month`). */
  contacts?: string;
  /** Case reviews (`patient_id`, `held_on`). */
  reviews?: string;
}

/**
 * Brings the month-end rows and cells up to date after a transaction's facts, in it: the patients' rows recomputed
 * up to the horizon, months added after it up to the last contact, the contacts' and reviews' flips.
 */
export async function refreshMonthEnds(db: Queryable, s: string, changes: MonthEndChanges, parameters: unknown[]): Promise<void> {
  if (changes.patients) for (const sql of recomputePatientsSql(s, changes.patients)) await db.query(sql, parameters);
  if (changes.contacts || changes.patients) for (const sql of extendMonthEndsSql(s)) await db.query(sql);
  if (changes.contacts) await db.query(contactsSeenSql(s, changes.contacts), parameters);
  if (changes.reviews) await db.query(reviewsSeenSql(s, changes.reviews), parameters);
  // A cell every patient has left goes, as a computation from the rows would have it (a partial index: none, most of the time).
  if (changes.patients) await db.query(`delete from ${s}.month_end_cells where patients = 0`);
}

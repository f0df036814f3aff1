import { FollowUpSessionRecorded } from '@cnrms/contracts';
import { recordKeyExpression } from '@cnrms/disclosure';
import { Queryable } from './apply-event';
import { OUTCOME_WINDOW_SQL } from './inclusion-cells';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { RecordedSetting, settleRecordedSetting } from './writing-settings';
import { inboxRangeSql, NetworkPart } from './network-parts';

/**
 * HCV screening windows (fact-set layout 6): who was offered an HCV screening in the outcome window ending with each
 * month, and who did one — what `hcv_screening_acceptance` counts (distinct patients, over the
 * `REPORTING_OUTCOME_WINDOW_MONTHS` ending with the period's last day: a quarter or a year ends with its last month,
 * so every period's answer is one month's).
 *
 * - `hcv_screening_windows`: one row per month, patient and combination (network, sex, age band) with an HCV
 *   screening in the window ending that month's last day (`done`: one of them done). A screening is in the windows
 *   of its month and of the months after it while it is not older than the window. `shared` when the patient has
 *   rows in two combinations that month: in no cell, read through a partial index and counted once beside the cells'
 *   sums (as the month-end cells' shared patients).
 * - `hcv_screening_cells`: the unshared rows summed per month, network, sex and age band, with their record-key sums.
 * - `hcv_screening_window`: the window every row was computed with, null until they are all computed. A writing
 *   transaction's window (`prepareFactWrites`) is the one its screenings' rows are computed with: a transaction with
 *   another window computes them all again, once (a setting changed, a migrated set); one without leaves them and
 *   clears it. Meanwhile answers read the facts.
 *
 * A screening recorded recomputes its patient's rows (a patient has a few screenings), and the cells by difference.
 * The network only is kept: answers cut or filtered below it, and a team's, read the facts.
 */

const CELL = ['month', 'network_id', 'sex', 'age_band'];
const ROW_COLUMNS = 'month, patient_id, network_id, sex, age_band, done, shared';

export function hcvScreeningWindowsDdl(s: string): string {
  return `
    create table ${s}.hcv_screening_windows (
      month date not null, patient_id text not null, network_id text not null, sex text not null, age_band text not null,
      done boolean not null, shared boolean not null,
      primary key (month, patient_id, network_id, sex, age_band)
    );
    create index hcv_screening_windows_patient on ${s}.hcv_screening_windows (patient_id);
    create index hcv_screening_windows_shared on ${s}.hcv_screening_windows (month) where shared;
    create table ${s}.hcv_screening_cells (
      month date not null, network_id text not null, sex text not null, age_band text not null,
      screened integer not null, done integer not null, screened_keys bigint, done_keys bigint, key_tag text,
      primary key (month, network_id, sex, age_band)
    );
    create index hcv_screening_cells_empty on ${s}.hcv_screening_cells (month) where screened = 0;
    create table ${s}.hcv_screening_window (single boolean primary key default true check (single), window_months integer);
    insert into ${s}.hcv_screening_window (window_months) values (null);
    create index screenings_patient on ${s}.screenings (patient_id) where disease = 'HCV'`;
}

/** The last day of the month `month`. */
const endOf = (month: string) => `(${month} + interval '1 month - 1 day')::date`;

/**
 * The window rows of the HCV screenings `s` that `where` selects: for each month from the screening's to the window's
 * length after it, when the screening is in the window ending that month's last day (the facts' test, as written).
 */
const windowRows = (s: string, where: string) => `
  select m.month, f.patient_id, f.network_id, f.sex, f.age_band, bool_or(f.status = 'DONE') as done,
    count(*) over (partition by m.month, f.patient_id) > 1 as shared
  from ${s}.screenings f
  cross join lateral generate_series(date_trunc('month', f.held_on), date_trunc('month', f.held_on) + ${OUTCOME_WINDOW_SQL} * interval '1 month', interval '1 month') g(month)
  cross join lateral (select g.month::date as month) m
  where f.disease = 'HCV' and f.held_on > (${endOf('m.month')} - ${OUTCOME_WINDOW_SQL} * interval '1 month')::date and ${where}
  group by m.month, f.patient_id, f.network_id, f.sex, f.age_band`;

/** The cells' difference for window rows a statement added (`sign` 1) or removed (-1), in the same statement: unshared rows only. */
function cellsBy(s: string, rows: string, sign: 1 | -1): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'x.patient_id');
  return `insert into ${s}.hcv_screening_cells as c (${CELL.join(', ')}, screened, done, screened_keys, done_keys, key_tag)
    select ${CELL.join(', ')}, ${sign} * count(*), ${sign} * count(*) filter (where x.done), ${sign} * sum(${key}), ${sign} * coalesce(sum(${key}) filter (where x.done), 0), ${CELL_KEY_TAG_SQL}
    from ${rows} x where not x.shared
    group by ${CELL.join(', ')}
    on conflict (${CELL.join(', ')}) do update set screened = c.screened + excluded.screened, done = c.done + excluded.done,
      screened_keys = c.screened_keys + excluded.screened_keys, done_keys = c.done_keys + excluded.done_keys,
      key_tag = case when c.key_tag = excluded.key_tag then c.key_tag end`;
}

/**
 * Recomputes the window rows of the patients `patients` selects (a query with a `patient_id` column, over
 * `parameters`) and their cells, after their screenings' facts. Rows computed with another window than the
 * transaction's, or with none (a new set, a migrated one), are all computed again, once; a transaction without a
 * window leaves them, marked as computed with none.
 */
export async function refreshHcvScreeningWindows(db: Queryable, s: string, patients: string, parameters: unknown[]): Promise<void> {
  if (!(await settleRecordedSetting(db, s, HCV_WINDOW))) return;
  await db.query(
    `with gone as (delete from ${s}.hcv_screening_windows w where w.patient_id in (${patients}) returning w.*)
     ${cellsBy(s, 'gone', -1)}`,
    parameters,
  );
  await db.query(
    `with added as (insert into ${s}.hcv_screening_windows (${ROW_COLUMNS}) ${windowRows(s, `f.patient_id in (${patients})`)} returning *)
     ${cellsBy(s, 'added', 1)}`,
    parameters,
  );
  // A cell every patient has left goes, as a computation from the rows would have it (a partial index: none, most of the time).
  await db.query(`delete from ${s}.hcv_screening_cells where screened = 0`);
}

/** The patients of the sessions a range of the inbox (`from < seq <= to`) records with an HCV screening. */
export const hcvScreeningsOfRange = (part?: NetworkPart): string => `select payload->>'patientId' from reporting.inbox where ${inboxRangeSql(part)} and type = '${FollowUpSessionRecorded.type}'
  and payload->'outcomes'->'screenings' @> '[{"disease": "HCV"}]'`;

/**
 * Every window row and cell of a fact set, from its screenings, with the writing transaction's window (a rebuild
 * before its switch); none without one.
 */
export const allHcvScreeningWindowsSql = (s: string): string[] => [
  `truncate ${s}.hcv_screening_windows, ${s}.hcv_screening_cells`,
  `insert into ${s}.hcv_screening_windows (${ROW_COLUMNS}) ${windowRows(s, 'true')}`,
  `insert into ${s}.hcv_screening_cells (${CELL.join(', ')}, screened, done, screened_keys, done_keys, key_tag)
     select ${CELL.map((c) => `x.${c}`).join(', ')}, count(*), count(*) filter (where x.done), sum(x.key), coalesce(sum(x.key) filter (where x.done), 0), ${CELL_KEY_TAG_SQL}
     from (select w.*, ${recordKeyExpression(CELL_KEY_SECRET_SQL, 'w.patient_id')} as key from ${s}.hcv_screening_windows w where not w.shared) x
     group by ${CELL.map((c) => `x.${c}`).join(', ')}`,
  `update ${s}.hcv_screening_window set window_months = ${OUTCOME_WINDOW_SQL}`,
];

/** The window every row and cell was computed with. */
export const HCV_WINDOW: RecordedSetting = { table: 'hcv_screening_window', column: 'window_months', setting: OUTCOME_WINDOW_SQL, recomputeAll: allHcvScreeningWindowsSql };

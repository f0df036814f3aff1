import { recordKeyExpression } from '@cnrms/disclosure';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { cellDifferenceSums, movedByDifference, UPDATED_FILLFACTOR } from './summary-writes';
import { networkCellsBy } from './network-cells';
import { packageCellsBy } from './package-cells';

/**
 * Period cells (fact-set layout 4): the patient-month family of indicators over quarters and years, kept as the
 * month cells are kept by month (`month-cells.ts`), with distinct patients — a patient seen in three months of a
 * quarter counts once in it.
 *
 * Over a quarter or a year a patient may have months in several combinations of microstructure, network, sex and
 * age band (a re-inclusion elsewhere or in another age band). Summing per-combination counts would count them
 * twice, so each patient-period is one of two kinds:
 *
 * - **settled**: all of the patient's months of the period are in one combination. The patient is counted in
 *   that combination's cell (`period_cells`), once, so sums of cells over any grouping and filter are exact;
 * - **spread**: months in two combinations or more. The patient is counted in no cell; their rows stay in
 *   `patient_periods` (one per combination, `spread`), and an answer counts them as distinct patients beside
 *   the cells' sums — a few percent of a year's patients, read through a partial index.
 *
 * `patient_periods` holds every patient-period (one row per patient, period and combination, with the period's
 * sessions by kind): a rebuild computes it from the patient-months, and each transaction moves it by what its contacts
 * added to them (`patient-month-increments.ts`); the cells follow it by difference (`refreshPeriodCellsSql`). A
 * patient-month never leaves its combination and never goes, so rows are only created or grow, and a settled patient
 * may become spread, never the reverse: a cell they leave loses them, and goes when empty.
 */

type CalendarUnit = 'month' | 'quarter' | 'year';
const PERIOD_CODE: Record<CalendarUnit, [format: string, length: string]> = {
  month: ['YYYY-MM', '1 month'],
  quarter: ['YYYY"-Q"Q', '3 months'],
  year: ['YYYY', '1 year'],
};

/**
 * The calendar periods of a date expression (by default its quarter and year), as the answers' bucket codes (`YYYY-MM`,
 * `YYYY-Qn`, `YYYY`) with their first and last days: a `values` list, for a lateral join.
 */
export const calendarPeriodsOf = (date: string, units: readonly CalendarUnit[] = ['quarter', 'year']): string =>
  `(values ${units
    .map((unit) => `(to_char(${date}, '${PERIOD_CODE[unit][0]}'), date_trunc('${unit}', ${date})::date, (date_trunc('${unit}', ${date}) + interval '${PERIOD_CODE[unit][1]} - 1 day')::date)`)
    .join(', ')})`;

const COMBINATION = ['microstructure_id', 'network_id', 'sex', 'age_band'];
/** What a cell holds, in the table's order (the key tag last). */
const CELL_FIGURES = [
  'patients', 'psychologist_patients', 'psychologist_sessions', 'social_work_patients', 'social_work_interviews',
  'patients_keys', 'psychologist_patients_keys', 'social_work_patients_keys', 'key_tag',
];

export function periodCellsDdl(s: string): string {
  return `
    create table ${s}.patient_periods (
      period text not null, patient_id text not null, microstructure_id text not null, network_id text not null, sex text not null, age_band text not null,
      psychologist_sessions integer not null, social_work_interviews integer not null, spread boolean not null,
      contacts integer not null, last_month date not null,
      primary key (period, microstructure_id, network_id, sex, age_band, patient_id)
    ) with (fillfactor = ${UPDATED_FILLFACTOR});
    create index patient_periods_patient on ${s}.patient_periods (patient_id, period);
    create index patient_periods_spread on ${s}.patient_periods (period) where spread;
    create table ${s}.period_cells (
      period text not null, microstructure_id text not null, network_id text not null, sex text not null, age_band text not null,
      patients integer not null, psychologist_patients integer not null, psychologist_sessions integer not null,
      social_work_patients integer not null, social_work_interviews integer not null,
      patients_keys bigint, psychologist_patients_keys bigint, social_work_patients_keys bigint, key_tag text,
      primary key (period, microstructure_id, network_id, sex, age_band)
    ) with (fillfactor = ${UPDATED_FILLFACTOR});
    create index period_cells_empty on ${s}.period_cells (period) where patients = 0;`;
}

/** Every patient-period, from all of the patient-months (after `truncate`): `spread` sees every combination of a period. */
function allPatientPeriods(s: string): string {
  return `insert into ${s}.patient_periods (period, patient_id, ${COMBINATION.join(', ')}, psychologist_sessions, social_work_interviews, spread, contacts, last_month)
    select period, patient_id, ${COMBINATION.join(', ')}, psychologist_sessions, social_work_interviews, count(*) over (partition by period, patient_id) > 1, contacts, last_month
    from (${patientPeriodFigures(`from ${s}.patient_months pm cross join lateral ${calendarPeriodsOf('pm.month')} t(period, first_month, last_month)`)}) x`;
}

/** A patient-period's figures from its patient-months (`from`: `pm`, each with its period `t.period`): sessions by kind, contacts, last month. */
const patientPeriodFigures = (from: string) =>
  `select t.period, pm.patient_id, ${COMBINATION.map((c) => `pm.${c}`).join(', ')}, sum(pm.psychologist_sessions)::int as psychologist_sessions,
     sum(pm.social_work_interviews)::int as social_work_interviews, sum(pm.contacts)::int as contacts, max(pm.month) as last_month
   ${from} group by 1, 2, 3, 4, 5, 6`;

/**
 * From layout 4 to 5 in place: the patient-periods' contacts and last month (what the packages read), from the
 * patient-months (the rows and the cells stay as they are). A set that layout 4's migration has just given its
 * patient-periods (today's table) has them already: recomputed alike.
 */
export function patientPeriodContactsDdl(s: string): string {
  const match = ['period', 'patient_id', ...COMBINATION].map((c) => `pp.${c} = x.${c}`).join(' and ');
  return `alter table ${s}.patient_periods add column if not exists contacts integer not null default 0, add column if not exists last_month date;
    update ${s}.patient_periods pp set contacts = x.contacts, last_month = x.last_month
      from (${patientPeriodFigures(`from ${s}.patient_months pm cross join lateral ${calendarPeriodsOf('pm.month')} t(period, first_month, last_month)`)}) x where ${match};
    alter table ${s}.patient_periods alter column contacts drop default, alter column last_month set not null`;
}

/** A patient's record key, from the secret the writing transaction was given (null without one). */
const PATIENT_KEY = recordKeyExpression(CELL_KEY_SECRET_SQL, 'patient_id');

/** What settled patient-periods add to their cell (with `sign`: 1 a row counted, -1 a row no longer counted). */
const CELL_SUMS = cellDifferenceSums({ shared: false });

/** Every period cell, from the settled patient-periods (after `truncate`). */
function allCellsFromPatientPeriods(s: string): string {
  return `insert into ${s}.period_cells (period, ${COMBINATION.join(', ')}, ${CELL_FIGURES.join(', ')})
     select period, ${COMBINATION.join(', ')}, ${CELL_SUMS.join(', ')}, ${CELL_KEY_TAG_SQL}
     from (select pp.*, 1 as sign, ${PATIENT_KEY} as key from ${s}.patient_periods pp where not pp.spread) x
     group by period, ${COMBINATION.join(', ')}`;
}

/**
 * The statement that moves the patient-periods and the period cells by the patient-month increments `increments`
 * selects (`patient-month-increments.ts`, over the same parameters), after the patient-months, by difference. Each
 * touched patient-period's rows (one per combination) are read once, by index: a row gains the increments of its
 * combination (a new combination is a new row), and the patient-period is spread when it now has more than one row.
 * The rows that changed — increments, or a settled row now spread — are written; each cell then gains what the
 * written rows now count (settled ones) and loses what they counted before. Then `dropEmptyPeriodCellsSql`.
 *
 * A cell whose key sums were made with another secret, or none, loses its tag (`movedByDifference`). The package cells
 * and the network cells follow the same rows by difference (`package-cells.ts`, then `settlePackageCells`;
 * `networkCellsBy`).
 */
export function refreshPeriodCellsSql(s: string, increments: string): string {
  const combination = COMBINATION.join(', ');
  const rowKey = ['period', 'patient_id', ...COMBINATION];
  const sums = CELL_FIGURES.filter((f) => f !== 'key_tag');
  const figures = ['psychologist_sessions', 'social_work_interviews', 'contacts'];
  // `before`: each touched patient-period's rows by index (lateral, not flattened: `offset 0`).
  return `with added as (
      select t.period, i.patient_id, ${COMBINATION.map((c) => `i.${c}`).join(', ')}, ${figures.map((f) => `sum(i.${f})::int as ${f}`).join(', ')}, max(i.month) as last_month
      from (${increments}) i cross join lateral ${calendarPeriodsOf('i.month')} t(period, first_month, last_month)
      group by ${rowKey.join(', ')}
    ), before as materialized (
      select o.* from (select distinct patient_id, period from added) k
      cross join lateral (select o.* from ${s}.patient_periods o where o.patient_id = k.patient_id and o.period = k.period offset 0) o
    ), after as (
      select ${rowKey.join(', ')}, ${figures.map((f) => `coalesce(b.${f}, 0) + coalesce(a.${f}, 0) as ${f}`).join(', ')},
        greatest(b.last_month, a.last_month) as last_month, count(*) over (partition by period, patient_id) > 1 as spread,
        a.period is not null as added, b.period is not null as existed, coalesce(b.spread, false) as was_spread,
        ${figures.map((f) => `b.${f} as former_${f}`).join(', ')}
      from before b full join added a using (${rowKey.join(', ')})
    ), changed as materialized (
      select * from after where added or spread <> was_spread
    ), written as (
      insert into ${s}.patient_periods as pp (${rowKey.join(', ')}, ${figures.join(', ')}, spread, last_month)
      select ${rowKey.join(', ')}, ${figures.join(', ')}, spread, last_month from changed
      on conflict (period, ${combination}, patient_id) do update set
        ${[...figures, 'spread', 'last_month'].map((f) => `${f} = excluded.${f}`).join(', ')}
    ), contributions as (
      select period, ${combination}, patient_id, ${figures.join(', ')}, 1 as sign from changed where not spread
      union all
      select period, ${combination}, patient_id, ${figures.map((f) => `former_${f}`).join(', ')}, -1 from changed where existed and not was_spread
    ), packages as (${packageCellsBy(s, 'contributions')}
    ), keyed as materialized (select x.*, ${PATIENT_KEY} as key from contributions x
    ), networks as (${networkCellsBy(s, 'keyed', 'period', { shared: false })}
    )
    insert into ${s}.period_cells as c (period, ${combination}, ${sums.join(', ')}, key_tag)
    select period, ${combination}, ${CELL_SUMS.join(', ')}, ${CELL_KEY_TAG_SQL}
    from keyed group by period, ${combination}
    on conflict (period, ${combination}) do update set ${movedByDifference('c', sums)}`;
}

/**
 * After a refresh: a cell every patient has left (now spread) goes, as a recomputation from the patient-periods would
 * have it (through a partial index of the empty cells: none, most of the time).
 */
export const dropEmptyPeriodCellsSql = (s: string): string => `delete from ${s}.period_cells where patients = 0`;

/** Every patient-period and period cell of a fact set, from its patient-months (the layout's upgrade, a rebuild before its switch). */
export function allPeriodCellsSql(s: string): string[] {
  return [
    `truncate ${s}.patient_periods, ${s}.period_cells`,
    allPatientPeriods(s),
    allCellsFromPatientPeriods(s),
  ];
}

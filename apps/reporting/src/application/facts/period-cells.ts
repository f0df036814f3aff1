import { recordKeyExpression } from '@cnrms/disclosure';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './month-cells';
import { packageCellsBy } from './package-cells';
import { UPDATED_FILLFACTOR } from './summary-writes';

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
 * sessions by kind), recomputed from the patient-months; the cells follow it by difference as it changes
 * (`refreshPeriodCellsSql`), and a rebuild computes them from it. A patient-month never leaves its combination and
 * never goes, so rows are only created or replaced, and a settled patient may become spread, never the reverse: a
 * cell they leave loses them, and goes when empty.
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

/**
 * Upserts the patient-periods of the patient-months `from` selects (`pm`, each with its period `t.period`): all of
 * the months of each (patient, period) it reaches, so that `spread` sees every combination of the period.
 */
function patientPeriodsFrom(s: string, from: string): string {
  return `insert into ${s}.patient_periods as pp (period, patient_id, ${COMBINATION.join(', ')}, psychologist_sessions, social_work_interviews, spread, contacts, last_month)
    select period, patient_id, ${COMBINATION.join(', ')}, psychologist_sessions, social_work_interviews, count(*) over (partition by period, patient_id) > 1, contacts, last_month
    from (${patientPeriodFigures(from)}) x
    on conflict (period, ${COMBINATION.join(', ')}, patient_id) do update set
      psychologist_sessions = excluded.psychologist_sessions, social_work_interviews = excluded.social_work_interviews, spread = excluded.spread,
      contacts = excluded.contacts, last_month = excluded.last_month
    where (pp.psychologist_sessions, pp.social_work_interviews, pp.spread, pp.contacts, pp.last_month)
      is distinct from (excluded.psychologist_sessions, excluded.social_work_interviews, excluded.spread, excluded.contacts, excluded.last_month)`;
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

/**
 * What settled patient-periods add to their cell (`CELL_FIGURES` but the tag), over rows with `sign` (1 a row counted,
 * -1 a row no longer counted), their sessions and their record `key`.
 */
const CELL_SUMS = [
  ['sign'],
  ['sign', 'psychologist_sessions > 0'],
  ['sign * psychologist_sessions'],
  ['sign', 'social_work_interviews > 0'],
  ['sign * social_work_interviews'],
  ['sign * key'],
  ['sign * key', 'psychologist_sessions > 0'],
  ['sign * key', 'social_work_interviews > 0'],
].map(([figure, when]) => `coalesce(sum(${figure})${when ? ` filter (where ${when})` : ''}, 0)`);

/** Every period cell, from the settled patient-periods (after `truncate`). */
function allCellsFromPatientPeriods(s: string): string {
  return `insert into ${s}.period_cells (period, ${COMBINATION.join(', ')}, ${CELL_FIGURES.join(', ')})
     select period, ${COMBINATION.join(', ')}, ${CELL_SUMS.join(', ')}, ${CELL_KEY_TAG_SQL}
     from (select pp.*, 1 as sign, ${PATIENT_KEY} as key from ${s}.patient_periods pp where not pp.spread) x
     group by period, ${COMBINATION.join(', ')}`;
}

/** The quarters and years of the contacts `touched` selects (columns `month`, `patient_id`), per patient. */
const touchedPeriods = (touched: string) =>
  `select distinct t.patient_id, p.period, p.first_month, p.last_month
   from (select distinct patient_id, date_trunc('month', month::date)::date as month from (${touched}) t) t cross join lateral ${calendarPeriodsOf('t.month')} p(period, first_month, last_month)`;

/**
 * The statement that brings the period cells of the contacts `touched` selects (a query with columns `month` and
 * `patient_id`, over the same parameters) up to date, after the patient-months, by difference: the touched
 * patients' patient-periods are recomputed from their patient-months and written where they changed; each cell then
 * gains what the written rows now count (settled ones) and loses what their former versions counted — the rows as
 * they were when the statement began, which its sub-statements see. Then `dropEmptyPeriodCellsSql`.
 *
 * A cell whose key sums were made with another secret, or none, loses its tag (its sums are no longer those of one
 * secret): answers that publish with keys read the facts for it until a rebuild. The package cells follow the same
 * rows by difference (`package-cells.ts`; then `settlePackageCells`).
 */
export function refreshPeriodCellsSql(s: string, touched: string): string {
  const combination = COMBINATION.join(', ');
  const samePatientPeriod = ['period', 'patient_id', ...COMBINATION].map((c) => `o.${c} = w.${c}`).join(' and ');
  const sums = CELL_FIGURES.filter((f) => f !== 'key_tag');
  // Lateral (not flattened: `offset 0`): each touched patient's months by index, not a scan of every patient-month for a hash join.
  const months = `from (${touchedPeriods(touched)}) t cross join lateral (select pm.* from ${s}.patient_months pm where pm.patient_id = t.patient_id and pm.month between t.first_month and t.last_month offset 0) pm`;
  return `with written as (
      ${patientPeriodsFrom(s, months)}
      returning pp.period, pp.patient_id, ${COMBINATION.map((c) => `pp.${c}`).join(', ')}, pp.psychologist_sessions, pp.social_work_interviews, pp.spread, pp.contacts
    ), contributions as (
      select period, ${combination}, patient_id, psychologist_sessions, social_work_interviews, contacts, 1 as sign from written where not spread
      union all
      select o.period, ${COMBINATION.map((c) => `o.${c}`).join(', ')}, o.patient_id, o.psychologist_sessions, o.social_work_interviews, o.contacts, -1
      from written w cross join lateral (select o.* from ${s}.patient_periods o where ${samePatientPeriod} offset 0) o where not o.spread
    ), packages as (${packageCellsBy(s, 'contributions')}
    )
    insert into ${s}.period_cells as c (period, ${combination}, ${sums.join(', ')}, key_tag)
    select period, ${combination}, ${CELL_SUMS.join(', ')}, ${CELL_KEY_TAG_SQL}
    from (select x.*, ${PATIENT_KEY} as key from contributions x) x
    group by period, ${combination}
    on conflict (period, ${combination}) do update set
      ${sums.map((f) => `${f} = c.${f} + excluded.${f}`).join(', ')},
      key_tag = case when c.key_tag = excluded.key_tag then c.key_tag end
    where (${sums.map((f) => `excluded.${f}`).join(', ')}) is distinct from (${sums.map(() => '0').join(', ')}) or (c.key_tag is not null and c.key_tag is distinct from excluded.key_tag)`;
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
    patientPeriodsFrom(s, `from ${s}.patient_months pm cross join lateral ${calendarPeriodsOf('pm.month')} t(period, first_month, last_month)`),
    allCellsFromPatientPeriods(s),
  ];
}

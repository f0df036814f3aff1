import { recordKeyExpression } from '@cnrms/disclosure';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './month-cells';

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
 * sessions by kind): the cells are recomputed from it, and it is recomputed from the patient-months. A
 * patient-month never leaves its combination and never goes, so rows are only created or replaced, and a
 * settled patient may become spread, never the reverse: a cell they leave is recomputed, and goes when empty.
 */

/** The period codes of a month column (`YYYY-Qn` and `YYYY`, the codes of the answers' buckets). */
const PERIODS_OF_MONTH = (month: string) =>
  `(values (to_char(${month}, 'YYYY"-Q"Q'), date_trunc('quarter', ${month})::date, (date_trunc('quarter', ${month}) + interval '3 months - 1 day')::date),
           (to_char(${month}, 'YYYY'), date_trunc('year', ${month})::date, (date_trunc('year', ${month}) + interval '1 year - 1 day')::date))`;

const COMBINATION = ['microstructure_id', 'network_id', 'sex', 'age_band'];

export function periodCellsDdl(s: string): string {
  return `
    create table ${s}.patient_periods (
      period text not null, patient_id text not null, microstructure_id text not null, network_id text not null, sex text not null, age_band text not null,
      psychologist_sessions integer not null, social_work_interviews integer not null, spread boolean not null,
      primary key (period, microstructure_id, network_id, sex, age_band, patient_id)
    );
    create index patient_periods_patient on ${s}.patient_periods (patient_id, period);
    create index patient_periods_spread on ${s}.patient_periods (period) where spread;
    create table ${s}.period_cells (
      period text not null, microstructure_id text not null, network_id text not null, sex text not null, age_band text not null,
      patients integer not null, psychologist_patients integer not null, psychologist_sessions integer not null,
      social_work_patients integer not null, social_work_interviews integer not null,
      patients_keys bigint, psychologist_patients_keys bigint, social_work_patients_keys bigint, key_tag text,
      primary key (period, microstructure_id, network_id, sex, age_band)
    );`;
}

/**
 * Upserts the patient-periods of the patient-months `from` selects (`pm`, each with its period `t.period`): all of
 * the months of each (patient, period) it reaches, so that `spread` sees every combination of the period.
 */
function patientPeriodsFrom(s: string, from: string): string {
  return `insert into ${s}.patient_periods as pp (period, patient_id, ${COMBINATION.join(', ')}, psychologist_sessions, social_work_interviews, spread)
    select period, patient_id, ${COMBINATION.join(', ')}, psychologist_sessions, social_work_interviews, count(*) over (partition by period, patient_id) > 1
    from (select t.period, pm.patient_id, ${COMBINATION.map((c) => `pm.${c}`).join(', ')}, sum(pm.psychologist_sessions)::int as psychologist_sessions,
            sum(pm.social_work_interviews)::int as social_work_interviews
          ${from} group by 1, 2, 3, 4, 5, 6) x
    on conflict (period, ${COMBINATION.join(', ')}, patient_id) do update set
      psychologist_sessions = excluded.psychologist_sessions, social_work_interviews = excluded.social_work_interviews, spread = excluded.spread`;
}

/**
 * Upserts the cells of the settled patient-periods `source` selects (columns `period`, the combination, and
 * `patient_id`, `psychologist_sessions`, `social_work_interviews`, null for a cell none is left in: zero, then deleted).
 */
function cellsFrom(s: string, source: string): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'patient_id');
  return `insert into ${s}.period_cells (period, ${COMBINATION.join(', ')}, patients, psychologist_patients, psychologist_sessions, social_work_patients, social_work_interviews,
       patients_keys, psychologist_patients_keys, social_work_patients_keys, key_tag)
     select period, ${COMBINATION.join(', ')}, count(patient_id), count(patient_id) filter (where psychologist_sessions > 0), coalesce(sum(psychologist_sessions), 0),
       count(patient_id) filter (where social_work_interviews > 0), coalesce(sum(social_work_interviews), 0),
       coalesce(sum(key), 0), coalesce(sum(key) filter (where psychologist_sessions > 0), 0), coalesce(sum(key) filter (where social_work_interviews > 0), 0), ${CELL_KEY_TAG_SQL}
     from (select x.*, ${key} as key from (${source}) x) x
     group by 1, 2, 3, 4, 5
     on conflict (period, ${COMBINATION.join(', ')}) do update set
       patients = excluded.patients, psychologist_patients = excluded.psychologist_patients, psychologist_sessions = excluded.psychologist_sessions,
       social_work_patients = excluded.social_work_patients, social_work_interviews = excluded.social_work_interviews,
       patients_keys = excluded.patients_keys, psychologist_patients_keys = excluded.psychologist_patients_keys,
       social_work_patients_keys = excluded.social_work_patients_keys, key_tag = excluded.key_tag`;
}

const SETTLED_COLUMNS = `pp.patient_id, pp.psychologist_sessions, pp.social_work_interviews`;

/** The quarters and years of the contacts `touched` selects (columns `month`, `patient_id`), per patient. */
const touchedPeriods = (touched: string) =>
  `select distinct t.patient_id, p.period, p.first_month, p.last_month from (${touched}) t cross join lateral ${PERIODS_OF_MONTH('t.month::date')} p(period, first_month, last_month)`;

/**
 * The statements that bring the period cells of the contacts `touched` selects (a query with columns `month` and
 * `patient_id`, over the same parameters) up to date, after the patient-months: the touched patients'
 * patient-periods, then every cell they are in.
 */
export function refreshPeriodCellsSql(s: string, touched: string): string[] {
  const periods = touchedPeriods(touched);
  const cells = `select distinct pp.period, ${COMBINATION.map((c) => `pp.${c}`).join(', ')} from ${s}.patient_periods pp join (${periods}) t on pp.patient_id = t.patient_id and pp.period = t.period`;
  const same = ['period', ...COMBINATION].map((c) => `pp.${c} = c.${c}`).join(' and ');
  const emptied = ['period', ...COMBINATION].map((c) => `e.${c} = c.${c}`).join(' and ');
  return [
    patientPeriodsFrom(s, `from (${periods}) t join ${s}.patient_months pm on pm.patient_id = t.patient_id and pm.month between t.first_month and t.last_month`),
    cellsFrom(s, `select c.*, ${SETTLED_COLUMNS} from (${cells}) c left join ${s}.patient_periods pp on ${same} and not pp.spread`),
    // A cell every patient has left (now spread) goes, as a recomputation from the patient-periods would have it.
    `delete from ${s}.period_cells e using (${cells}) c where ${emptied} and e.patients = 0`,
  ];
}

/** Every patient-period and period cell of a fact set, from its patient-months (the layout's upgrade, a rebuild before its switch). */
export function allPeriodCellsSql(s: string): string[] {
  return [
    `truncate ${s}.patient_periods, ${s}.period_cells`,
    patientPeriodsFrom(s, `from ${s}.patient_months pm cross join lateral ${PERIODS_OF_MONTH('pm.month')} t(period, first_month, last_month)`),
    cellsFrom(s, `select pp.period, ${COMBINATION.map((c) => `pp.${c}`).join(', ')}, ${SETTLED_COLUMNS} from ${s}.patient_periods pp where not pp.spread`),
  ];
}

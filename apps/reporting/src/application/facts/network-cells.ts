import { CELL_KEY_TAG_SQL } from './cell-keys';
import { cellDifferenceSums, movedByDifference, notAmong } from './summary-writes';

/**
 * Network cells (fact-set layout 5): the month cells and the quarter and year cells summed per network, sex and age
 * band — what a national or regional answer of the patient-month family reads. A microstructure belongs to one
 * network, so a network cell's counts are the sums of its microstructures' cells: 40 networks instead of 1,000
 * microstructures, about 25 times fewer rows to read.
 *
 * One table for every period: `period` is the code of the answers' buckets (`YYYY-MM`, `YYYY-Qn`, `YYYY`). A network
 * cell counts the patients its microstructures' cells count: settled ones (the spread patients of a quarter or a
 * year stay in `patient_periods`, counted beside), and the month cells' `shared_patients` (an answer reading such a
 * cell reads the facts, as with the month cells). Its key tag is its cells' when they all carry the same one.
 *
 * A rebuild computes the network cells from the cells below them; a transaction moves them with those, by difference.
 *
 * Beside them (layout 6), `network_microstructures`: how many microstructures of a network have patients in a period
 * (`active_microstructures`) — the microstructures of its month cells, or of its quarter or year cells and spread
 * patient-periods. A microstructure belongs to one network, so a region's or the nation's count is their sum.
 */

const FIGURES = [
  'patients', 'psychologist_patients', 'psychologist_sessions', 'social_work_patients', 'social_work_interviews', 'shared_patients',
  'patients_keys', 'psychologist_patients_keys', 'social_work_patients_keys', 'key_tag',
];
const NETWORK_CELL = ['period', 'network_id', 'sex', 'age_band'];

export function networkCellsDdl(s: string): string {
  return `
    create table ${s}.network_cells (
      period text not null, network_id text not null, sex text not null, age_band text not null,
      patients integer not null, psychologist_patients integer not null, psychologist_sessions integer not null,
      social_work_patients integer not null, social_work_interviews integer not null, shared_patients integer not null,
      patients_keys bigint, psychologist_patients_keys bigint, social_work_patients_keys bigint, key_tag text,
      primary key (period, network_id, sex, age_band)
    );
    create index month_cells_network on ${s}.month_cells (network_id, month);
    create index period_cells_network on ${s}.period_cells (network_id, period);`;
}

/** Layout 6: the count of each network's microstructures with patients per period. */
export function networkMicrostructuresDdl(s: string): string {
  return `
    create table ${s}.network_microstructures (
      period text not null, network_id text not null, active_microstructures integer not null,
      primary key (period, network_id)
    );
    create index patient_periods_network_spread on ${s}.patient_periods (period, network_id) where spread`;
}

/** The microstructures with patients of the network periods `t` selects (as `networkCellsOf`'s), counted from the cells below. */
const networkMicrostructuresOf = (s: string, t: string) => `
  select t.period, t.network_id, count(distinct x.microstructure_id) as active_microstructures
  from ${t} t cross join lateral (
    select c.microstructure_id from ${s}.month_cells c where t.month is not null and c.network_id = t.network_id and c.month = t.month
    union all
    select c.microstructure_id from ${s}.period_cells c where t.month is null and c.network_id = t.network_id and c.period = t.period
    union all
    select p.microstructure_id from ${s}.patient_periods p where t.month is null and p.period = t.period and p.spread and p.network_id = t.network_id
  ) x
  group by 1, 2`;

/**
 * The sums of cells `c` per network cell (`shared`: the month cells' shared patients; the period cells have none); the
 * tag kept only when every cell carries the same one (the key sums are then all made with one secret).
 */
const sums = (shared: string) => `sum(c.patients), sum(c.psychologist_patients), sum(c.psychologist_sessions), sum(c.social_work_patients), sum(c.social_work_interviews), ${shared},
  sum(c.patients_keys), sum(c.psychologist_patients_keys), sum(c.social_work_patients_keys),
  case when count(*) = count(c.key_tag) and min(c.key_tag) = max(c.key_tag) then min(c.key_tag) end`;
const MONTH_SUMS = sums('sum(c.shared_patients)');
const PERIOD_SUMS = sums('0');

/**
 * The upsert of what rows `rows` (a CTE of the rows a month or period cell statement moves its cells by: `sign`, the
 * sessions, `shared` when `shared`, the record `key`, `network_id`, `sex`, `age_band`) add to their network cells, the
 * period's code being `period` (an expression over them): a network cell is the sum of its cells, so it moves by the
 * same rows, in the same statement. A data-modifying CTE's body.
 */
export function networkCellsBy(s: string, rows: string, period: string, { shared }: { shared: boolean }): string {
  const sums = cellDifferenceSums({ shared });
  // The period cells have no shared patients.
  if (!shared) sums.splice(FIGURES.indexOf('shared_patients'), 0, '0');
  return `insert into ${s}.network_cells as n (${NETWORK_CELL.join(', ')}, ${FIGURES.join(', ')})
    select ${period}, network_id, sex, age_band, ${sums.join(', ')}, ${CELL_KEY_TAG_SQL}
    from ${rows} group by 1, 2, 3, 4
    on conflict (${NETWORK_CELL.join(', ')}) do update set ${movedByDifference('n', FIGURES.filter((f) => f !== 'key_tag'))}`;
}

/**
 * After the month and period cells (which move the network cells with theirs: `networkCellsBy`), the network periods
 * (month, quarter, year) of the contacts `touched` selects (columns `month`, `patient_id`): every network the
 * touched patients have months in during the years of those periods (a patient's other cells change with them:
 * shared, spread). The year's networks of a patient hold those of each of its quarters and months: a superset of the
 * network periods that changed, one lookup per patient. Their network cells every patient has left (now spread) go,
 * as a recomputation from the cells below would have it, and their counts of microstructures with patients are
 * recounted from the cells below.
 */
export function refreshNetworkCellsSql(s: string, touched: string): string {
  // The networks of a touched patient's year patient-periods (already brought up to date: one row per combination), by
  // index (lateral, not flattened: `offset 0`), not a merge join over every patient-month (which grew with the history:
  // the live consumer slowed from 2,700 to 670 events/s by 2 million). The cells below each network period by index too:
  // with the tables' statistics, the planner hashed every month cell instead (0.2 s of a batch at a million events).
  return `with x as materialized (select distinct patient_id, date_trunc('month', month::date)::date as month from (${touched}) x
    ), t as materialized (
      select distinct p.period, pp.network_id, p.month
      from x cross join lateral (select distinct pp.network_id from ${s}.patient_periods pp where pp.patient_id = x.patient_id and pp.period = to_char(x.month, 'YYYY') offset 0) pp
      cross join lateral (values (to_char(x.month, 'YYYY-MM'), x.month), (to_char(x.month, 'YYYY"-Q"Q'), null::date), (to_char(x.month, 'YYYY'), null::date)) p(period, month)
    ), emptied as (
      delete from ${s}.network_cells n using t where n.period = t.period and n.network_id = t.network_id and n.patients = 0
    ), counted as (${networkMicrostructuresOf(s, 't')}
    ), uncounted as (
      delete from ${s}.network_microstructures n using t where n.period = t.period and n.network_id = t.network_id
        and ${notAmong('n', ['period', 'network_id'], 'counted')}
    )
    insert into ${s}.network_microstructures as n (period, network_id, active_microstructures) select * from counted
    on conflict (period, network_id) do update set active_microstructures = excluded.active_microstructures where n.active_microstructures <> excluded.active_microstructures`;
}

/** Every network cell of a fact set, from its month and period cells (a layout's upgrade, a rebuild before its switch). */
export function allNetworkCellsSql(s: string): string[] {
  return [
    `truncate ${s}.network_cells`,
    `insert into ${s}.network_cells (${NETWORK_CELL.join(', ')}, ${FIGURES.join(', ')})
       select to_char(c.month, 'YYYY-MM'), c.network_id, c.sex, c.age_band, ${MONTH_SUMS} from ${s}.month_cells c group by c.month, 2, 3, 4
       union all
       select c.period, c.network_id, c.sex, c.age_band, ${PERIOD_SUMS} from ${s}.period_cells c group by 1, 2, 3, 4`,
  ];
}

/** Every network's count of microstructures with patients, per period, from its month and period cells and spread patient-periods. */
export function allNetworkMicrostructuresSql(s: string): string[] {
  return [
    `truncate ${s}.network_microstructures`,
    `insert into ${s}.network_microstructures (period, network_id, active_microstructures)
       select to_char(c.month, 'YYYY-MM'), c.network_id, count(distinct c.microstructure_id) from ${s}.month_cells c group by c.month, 2
       union all
       select x.period, x.network_id, count(distinct x.microstructure_id)
       from (select period, network_id, microstructure_id from ${s}.period_cells union all select period, network_id, microstructure_id from ${s}.patient_periods where spread) x
       group by 1, 2`,
  ];
}

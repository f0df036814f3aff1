import { recordKeyExpression } from '@cnrms/disclosure';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { networkCellsBy } from './network-cells';
import { cellDifferenceSums, movedByDifference, UPDATED_FILLFACTOR } from './summary-writes';

/**
 * Month cells (fact-set layout 3): the patient-months of a month summed per microstructure, network, sex and
 * age band — what the caseload, women's share, activity and reach indicators count by month. A patient-month is
 * one row per patient, month and microstructure with one network, sex and age band, so in a month a patient
 * followed in one microstructure is in exactly one cell: sums of cells over any grouping and filter are the facts'
 * distinct-patient counts, exactly. A patient with contacts in two microstructures in the same month would be in
 * two cells: each cell counts such patients (`shared_patients`) and an answer reading one falls back to the facts.
 * (Over a quarter or a year a patient may have months in several cells — two age bands, a network move — so those
 * periods are answered from the facts.)
 *
 * Each cell also keeps the sum of its patients' record keys and the tag of the secret they derive from (`cell-keys.ts`).
 *
 * A rebuild computes the cells from the patient-months; each transaction then moves the cells its contacts touch by
 * what those contacts added to their patient-months (`refreshMonthCellsSql`). Either way a cell is the function of
 * the facts it summarises, whatever the order of the events (the property test compares them).
 */

export function monthCellsDdl(s: string): string {
  return `
    create table ${s}.month_cells (
      month date not null, microstructure_id text not null, network_id text not null, sex text not null, age_band text not null,
      patients integer not null, psychologist_patients integer not null, psychologist_sessions integer not null,
      social_work_patients integer not null, social_work_interviews integer not null, shared_patients integer not null,
      patients_keys bigint, psychologist_patients_keys bigint, social_work_patients_keys bigint, key_tag text,
      primary key (month, microstructure_id, network_id, sex, age_band)
    ) with (fillfactor = ${UPDATED_FILLFACTOR});`;
}

/** What a cell holds, in the table's order (the key tag last). */
const CELL_FIGURES = [
  'patients', 'psychologist_patients', 'psychologist_sessions', 'social_work_patients', 'social_work_interviews', 'shared_patients',
  'patients_keys', 'psychologist_patients_keys', 'social_work_patients_keys', 'key_tag',
];

/**
 * The statement that moves the month cells by the patient-month increments `increments` selects
 * (`patient-month-increments.ts`, over the same parameters), after the patient-months, by difference, and their
 * network cells with them (`networkCellsBy`). Each incremented patient-month is read once by its key: it was new
 * when all of its contacts are the increments' (its cell gains a patient), and its sessions before were its sessions
 * now less the increments'. A new patient-month may make its patient shared that month (months in two
 * microstructures): for those patients every patient-month of the month is read by index, and each cell moves from
 * the count as it was (less the new ones) to the count now. Each affected row counts in its cell as it is now (sign 1)
 * and no longer as it was (sign -1, when it was there). A patient-month never leaves its cell (its network, sex and
 * age band are those of its first contact) and never goes, so a cell only grows.
 */
export function refreshMonthCellsSql(s: string, increments: string): string {
  const row = ['month', 'microstructure_id', 'patient_id', 'network_id', 'sex', 'age_band'];
  const sums = CELL_FIGURES.filter((f) => f !== 'key_tag');
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'x.patient_id');
  // Lateral lookups (not flattened: `offset 0`): by the primary key, and by patient and month, not hash joins over every patient-month.
  return `with added as (
      select month, microstructure_id, patient_id, sum(contacts)::int as contacts, sum(psychologist_sessions)::int as psychologist_sessions,
        sum(social_work_interviews)::int as social_work_interviews
      from (${increments}) i group by 1, 2, 3
    ), now as materialized (
      select ${row.map((c) => `pm.${c}`).join(', ')}, pm.psychologist_sessions, pm.social_work_interviews, pm.contacts = a.contacts as new,
        pm.psychologist_sessions - a.psychologist_sessions as former_psychologist_sessions, pm.social_work_interviews - a.social_work_interviews as former_social_work_interviews
      from added a cross join lateral (
        select pm.* from ${s}.patient_months pm where pm.month = a.month and pm.microstructure_id = a.microstructure_id and pm.patient_id = a.patient_id offset 0
      ) pm
    ), sharing as (
      select ${row.map((c) => `pm.${c}`).join(', ')}, pm.psychologist_sessions, pm.social_work_interviews, coalesce(n.new, false) as new,
        coalesce(n.former_psychologist_sessions, pm.psychologist_sessions) as former_psychologist_sessions,
        coalesce(n.former_social_work_interviews, pm.social_work_interviews) as former_social_work_interviews,
        count(*) over w > 1 as shared, count(*) over w - count(*) filter (where n.new) over w > 1 as was_shared
      from (select distinct patient_id, month from now where new) g
      cross join lateral (select pm.* from ${s}.patient_months pm where pm.patient_id = g.patient_id and pm.month = g.month offset 0) pm
      left join now n on n.month = pm.month and n.microstructure_id = pm.microstructure_id and n.patient_id = pm.patient_id
      window w as (partition by pm.patient_id, pm.month)
    ), affected as (
      select *, false as shared, false as was_shared from now n
      where not exists (select 1 from now o where o.patient_id = n.patient_id and o.month = n.month and o.new)
      union all
      select * from sharing
    ), contributions as (
      select ${row.join(', ')}, psychologist_sessions, social_work_interviews, shared, 1 as sign from affected
      union all
      select ${row.join(', ')}, former_psychologist_sessions, former_social_work_interviews, was_shared, -1 from affected where not new
    ), keyed as materialized (select x.*, ${key} as key from contributions x
    ), networks as (${networkCellsBy(s, 'keyed', "to_char(month, 'YYYY-MM')", { shared: true })}
    )
    insert into ${s}.month_cells as c (month, microstructure_id, network_id, sex, age_band, ${sums.join(', ')}, key_tag)
    select month, microstructure_id, network_id, sex, age_band, ${cellDifferenceSums({ shared: true }).join(', ')}, ${CELL_KEY_TAG_SQL}
    from keyed group by 1, 2, 3, 4, 5
    on conflict (month, microstructure_id, network_id, sex, age_band) do update set ${movedByDifference('c', sums)}`;
}

/**
 * Every month cell of a fact set, from its patient-months (the layout's upgrade, a rebuild before its switch): a
 * patient is shared in a month when they have patient-months of it in two microstructures (one sort, no lookups).
 * The record key is computed once per row; a cell equal to one already there is not written again.
 */
export function allMonthCellsSql(s: string): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'pm.patient_id');
  return `insert into ${s}.month_cells as c (month, microstructure_id, network_id, sex, age_band, ${CELL_FIGURES.join(', ')})
     select month, microstructure_id, network_id, sex, age_band, ${cellDifferenceSums({ shared: true }).join(', ')}, ${CELL_KEY_TAG_SQL}
     from (select pm.month, pm.microstructure_id, pm.network_id, pm.sex, pm.age_band, pm.psychologist_sessions, pm.social_work_interviews,
             count(*) over (partition by pm.patient_id, pm.month) > 1 as shared, ${key} as key, 1 as sign
           from ${s}.patient_months pm) pm
     group by 1, 2, 3, 4, 5
     on conflict (month, microstructure_id, network_id, sex, age_band) do update set
       ${CELL_FIGURES.map((f) => `${f} = excluded.${f}`).join(', ')}
     where (${CELL_FIGURES.map((f) => `c.${f}`).join(', ')}) is distinct from (${CELL_FIGURES.map((f) => `excluded.${f}`).join(', ')})`;
}

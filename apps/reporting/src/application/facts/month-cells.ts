import { recordKeyExpression } from '@cnrms/disclosure';
import { createHash } from 'node:crypto';
import { settingSql } from './writing-settings';
import { UPDATED_FILLFACTOR } from './summary-writes';

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
 * Each cell also keeps the sum of its patients' record keys (the cell key method, docs/disclosure-control.md),
 * derived from the secret the writing transaction was given (`prepareFactWrites`), and a tag of that secret:
 * an answer uses the key sums only when every cell it reads carries the tag of the secret it publishes with.
 *
 * A rebuild computes the cells from the patient-months; each transaction then moves the cells its contacts touch by
 * what those contacts added to their patient-months (`refreshMonthCellsSql`). Either way a cell is the function of
 * the facts it summarises, whatever the order of the events (the property test compares them).
 */

/** The session setting the refresh reads the secret from (transaction-local, never stored: `prepareFactWrites`). */
export const CELL_KEY_SECRET_SETTING = 'cnrms.cell_key_secret';


/** The tag of a secret: 16 hex digits of its SHA-256 (the same in SQL, `CELL_KEY_TAG_SQL`). */
export const cellKeyTag = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);

export const CELL_KEY_SECRET_SQL = settingSql(CELL_KEY_SECRET_SETTING);
export const CELL_KEY_TAG_SQL = `substr(encode(sha256(convert_to(${CELL_KEY_SECRET_SQL}, 'UTF8')), 'hex'), 1, 16)`;
/** A fact's patient key and its tag (`patient_key`, `key_tag`: the referrals, layout 7), from the writing transaction's secret (null without one). */
export const patientKeyAndTagSql = (patientId: string): string => `${recordKeyExpression(CELL_KEY_SECRET_SQL, patientId)}, ${CELL_KEY_TAG_SQL}`;

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

/** Whether the patient of a patient-month `pm` has one in another microstructure that month, when the `from` clause selects all of the patient's patient-months of the month. */
const sharedWindow = 'count(*) over (partition by pm.patient_id, pm.month) > 1';

/** What a cell holds: a recomputed cell equal to it is not written again. */
const CELL_FIGURES = [
  'patients', 'psychologist_patients', 'psychologist_sessions', 'social_work_patients', 'social_work_interviews', 'shared_patients',
  'patients_keys', 'psychologist_patients_keys', 'social_work_patients_keys', 'key_tag',
];

/** Upserts the cells of the patient-months `pm` that the `from` clause selects (the record key computed once per row). */
function cellsOf(s: string, from: string, shared: string): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'pm.patient_id');
  return `insert into ${s}.month_cells as c (month, microstructure_id, network_id, sex, age_band, ${CELL_FIGURES.join(', ')})
     select month, microstructure_id, network_id, sex, age_band, ${cellDifferenceSums({ shared: true }).join(', ')}, ${CELL_KEY_TAG_SQL}
     from (select pm.month, pm.microstructure_id, pm.network_id, pm.sex, pm.age_band, pm.psychologist_sessions, pm.social_work_interviews, ${shared} as shared, ${key} as key, 1 as sign
           ${from}) pm
     group by 1, 2, 3, 4, 5
     on conflict (month, microstructure_id, network_id, sex, age_band) do update set
       ${CELL_FIGURES.map((f) => `${f} = excluded.${f}`).join(', ')}
     where (${CELL_FIGURES.map((f) => `c.${f}`).join(', ')}) is distinct from (${CELL_FIGURES.map((f) => `excluded.${f}`).join(', ')})`;
}

/**
 * What rows with `sign` (1 counted now, -1 no longer counted as they were) add to a cell's figures, in the order of the
 * month cells' (`shared`) or of the period cells' (no shared patients), the tag apart: over their sessions and record
 * `key` (null without a secret).
 */
export function cellDifferenceSums({ shared }: { shared: boolean }): string[] {
  return [
    ['sign'],
    ['sign', 'psychologist_sessions > 0'],
    ['sign * psychologist_sessions'],
    ['sign', 'social_work_interviews > 0'],
    ['sign * social_work_interviews'],
    ...(shared ? [['sign', 'shared']] : []),
    ['sign * key'],
    ['sign * key', 'psychologist_sessions > 0'],
    ['sign * key', 'social_work_interviews > 0'],
  ].map(([figure, when]) => {
    const sum = `coalesce(sum(${figure})${when ? ` filter (where ${when})` : ''}, 0)`;
    // Without a secret, no key sums (the cell is untagged).
    return figure.includes('key') ? `case when ${CELL_KEY_SECRET_SQL} is not null then ${sum} end` : sum;
  });
}

export function refreshMonthCellsSql(s: string, increments: string): string {
  const row = ['month', 'microstructure_id', 'patient_id', 'network_id', 'sex', 'age_band'];
  const sums = CELL_FIGURES.filter((f) => f !== 'key_tag');
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'x.patient_id');
  // A key sum of a cell written by an earlier version may be null (no patient in it then): it starts from 0.
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
    )
    insert into ${s}.month_cells as c (month, microstructure_id, network_id, sex, age_band, ${sums.join(', ')}, key_tag)
    select month, microstructure_id, network_id, sex, age_band, ${cellDifferenceSums({ shared: true }).join(', ')}, ${CELL_KEY_TAG_SQL}
    from (select x.*, ${key} as key from contributions x) x
    group by 1, 2, 3, 4, 5
    on conflict (month, microstructure_id, network_id, sex, age_band) do update set
      ${sums.map((f) => (f.endsWith('_keys') ? `${f} = coalesce(c.${f}, 0) + excluded.${f}` : `${f} = c.${f} + excluded.${f}`)).join(', ')},
      key_tag = case when c.key_tag = excluded.key_tag then c.key_tag end
    where (${sums.map((f) => `excluded.${f}`).join(', ')}) is distinct from (${sums.map(() => '0').join(', ')}) or (c.key_tag is not null and c.key_tag is distinct from excluded.key_tag)`;
}

/** Every month cell of a fact set, from its patient-months (the layout's upgrade, a rebuild before its switch). */
export const allMonthCellsSql = (s: string): string => cellsOf(s, `from ${s}.patient_months pm`, sharedWindow);

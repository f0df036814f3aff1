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
 * The cells a transaction's contacts touch are recomputed from the patient-months in that transaction: always the
 * function of the facts they summarise, whatever the order of the events.
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

/** Whether the patient of a patient-month `pm` has one in another microstructure that month (looked up by index). */
const sharedLookup = (s: string) => `exists (select 1 from ${s}.patient_months o where o.patient_id = pm.patient_id and o.month = pm.month and o.microstructure_id <> pm.microstructure_id)`;
/** The same, when the `from` clause selects all of the patient's patient-months of the month (one sort, no lookups). */
const sharedWindow = 'count(*) over (partition by pm.patient_id, pm.month) > 1';

/** What a cell holds: a recomputed cell equal to it is not written again. */
const CELL_FIGURES = [
  'patients', 'psychologist_patients', 'psychologist_sessions', 'social_work_patients', 'social_work_interviews', 'shared_patients',
  'patients_keys', 'psychologist_patients_keys', 'social_work_patients_keys', 'key_tag',
];

/** Upserts the cells of the patient-months `pm` that the `from` clause selects (the record key computed once per row). */
function cellsOf(s: string, from: string, shared = sharedLookup(s)): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'pm.patient_id');
  return `insert into ${s}.month_cells as c (month, microstructure_id, network_id, sex, age_band, patients, psychologist_patients, psychologist_sessions,
       social_work_patients, social_work_interviews, shared_patients, patients_keys, psychologist_patients_keys, social_work_patients_keys, key_tag)
     select month, microstructure_id, network_id, sex, age_band, count(*), count(*) filter (where psychologist_sessions > 0), sum(psychologist_sessions),
       count(*) filter (where social_work_interviews > 0), sum(social_work_interviews), count(*) filter (where shared),
       sum(key), sum(key) filter (where psychologist_sessions > 0), sum(key) filter (where social_work_interviews > 0), ${CELL_KEY_TAG_SQL}
     from (select pm.month, pm.microstructure_id, pm.network_id, pm.sex, pm.age_band, pm.psychologist_sessions, pm.social_work_interviews, ${shared} as shared, ${key} as key
           ${from}) pm
     group by 1, 2, 3, 4, 5
     on conflict (month, microstructure_id, network_id, sex, age_band) do update set
       patients = excluded.patients, psychologist_patients = excluded.psychologist_patients, psychologist_sessions = excluded.psychologist_sessions,
       social_work_patients = excluded.social_work_patients, social_work_interviews = excluded.social_work_interviews, shared_patients = excluded.shared_patients,
       patients_keys = excluded.patients_keys, psychologist_patients_keys = excluded.psychologist_patients_keys,
       social_work_patients_keys = excluded.social_work_patients_keys, key_tag = excluded.key_tag
     where (${CELL_FIGURES.map((f) => `c.${f}`).join(', ')}) is distinct from (${CELL_FIGURES.map((f) => `excluded.${f}`).join(', ')})`;
}

/**
 * Recomputes the month cells of the contacts `touched` selects (a query with columns `month`, `microstructure_id`
 * and `patient_id`), from the patient-months: the cell of each contact's patient-month, and the cells of the same
 * patient's month in other microstructures (their `shared_patients` changes with it). A patient-month never leaves
 * its cell (its network, sex and age band are those of its first contact) and never goes, so a cell is only ever
 * created or replaced: one statement.
 */
export function refreshMonthCellsSql(s: string, touched: string): string {
  // Each touched patient's months by index (lateral, not flattened: \`offset 0\`), not a hash join over every patient-month.
  const cells = `select distinct pm.month, pm.microstructure_id, pm.network_id, pm.sex, pm.age_band
    from (select distinct patient_id, date_trunc('month', month)::date as month from (${touched}) t) t
    cross join lateral (select pm.* from ${s}.patient_months pm where pm.patient_id = t.patient_id and pm.month = t.month offset 0) pm`;
  const same = ['network_id', 'sex', 'age_band'].map((c) => `pm.${c} = t.${c}`).join(' and ');
  // Lateral (and `offset 0`, so that it is not flattened into a join): each cell's patient-months by the primary key's
  // (month, microstructure), not a scan of every patient-month for a hash join when the planner misjudges the touched cells.
  return cellsOf(
    s,
    `from (${cells}) t cross join lateral (select pm.* from ${s}.patient_months pm where pm.month = t.month and pm.microstructure_id = t.microstructure_id offset 0) pm where ${same}`,
  );
}

/** Every month cell of a fact set, from its patient-months (the layout's upgrade, a rebuild before its switch). */
export const allMonthCellsSql = (s: string): string => cellsOf(s, `from ${s}.patient_months pm`, sharedWindow);

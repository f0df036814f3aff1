import { recordKeyExpression } from '@cnrms/disclosure';
import { createHash } from 'node:crypto';
import { Queryable } from './apply-event';

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
 * derived from the secret the writing transaction was given (`useCellKeySecret`), and a tag of that secret:
 * an answer uses the key sums only when every cell it reads carries the tag of the secret it publishes with.
 *
 * Cells are recomputed from the patient-months of the (month, microstructure) pairs a transaction touched, in
 * that transaction: always the function of the facts they summarise, whatever the order of the events.
 */

/** The session setting the refresh reads the secret from (transaction-local, never stored). */
const SECRET_SETTING = 'cnrms.cell_key_secret';

/** Gives the current transaction the secret the record keys derive from. */
export async function useCellKeySecret(db: Queryable, secret: string | undefined): Promise<void> {
  if (secret) await db.query(`select set_config('${SECRET_SETTING}', $1, true)`, [secret]);
}

/** The tag of a secret: 16 hex digits of its SHA-256 (the same in SQL, `tagSql`). */
export const cellKeyTag = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);

const secretSql = `nullif(current_setting('${SECRET_SETTING}', true), '')`;
const tagSql = `substr(encode(sha256(convert_to(${secretSql}, 'UTF8')), 'hex'), 1, 16)`;

export function monthCellsDdl(s: string): string {
  return `
    create table ${s}.month_cells (
      month date not null, microstructure_id text not null, network_id text not null, sex text not null, age_band text not null,
      patients integer not null, psychologist_patients integer not null, psychologist_sessions integer not null,
      social_work_patients integer not null, social_work_interviews integer not null, shared_patients integer not null,
      patients_keys bigint, psychologist_patients_keys bigint, social_work_patients_keys bigint, key_tag text,
      primary key (month, microstructure_id, network_id, sex, age_band)
    );`;
}

/**
 * Recomputes the month cells of the contacts `touched` selects (a query with columns `month`, `microstructure_id`
 * and `patient_id`, null for a whole cell), from the patient-months: the cells of their months and microstructures,
 * and those of the other microstructures where the same patients have the same month (their `shared_patients`
 * changes with them). Two statements: the old cells removed, then the new.
 */
export function refreshMonthCellsSql(s: string, touched: string): [string, string] {
  const pairs = `select date_trunc('month', t.month)::date as month, t.microstructure_id from (${touched}) t
    union select o.month, o.microstructure_id from ${s}.patient_months o join (${touched}) t on o.patient_id = t.patient_id and o.month = date_trunc('month', t.month)::date`;
  const key = recordKeyExpression(secretSql, 'pm.patient_id');
  const shared = `exists (select 1 from ${s}.patient_months o where o.patient_id = pm.patient_id and o.month = pm.month and o.microstructure_id <> pm.microstructure_id)`;
  return [
    `delete from ${s}.month_cells c using (${pairs}) t where c.month = t.month and c.microstructure_id = t.microstructure_id`,
    `insert into ${s}.month_cells (month, microstructure_id, network_id, sex, age_band, patients, psychologist_patients, psychologist_sessions,
       social_work_patients, social_work_interviews, shared_patients, patients_keys, psychologist_patients_keys, social_work_patients_keys, key_tag)
     select pm.month, pm.microstructure_id, pm.network_id, pm.sex, pm.age_band, count(*),
       count(*) filter (where pm.psychologist_sessions > 0), sum(pm.psychologist_sessions),
       count(*) filter (where pm.social_work_interviews > 0), sum(pm.social_work_interviews), count(*) filter (where ${shared}),
       sum(${key}), sum(${key}) filter (where pm.psychologist_sessions > 0), sum(${key}) filter (where pm.social_work_interviews > 0), ${tagSql}
     from ${s}.patient_months pm join (${pairs}) t on pm.month = t.month and pm.microstructure_id = t.microstructure_id
     group by 1, 2, 3, 4, 5`,
  ];
}

/** Refreshes the cells of the contacts `touched` selects, with its parameters. */
export async function refreshMonthCells(db: Queryable, s: string, touched: string, values: unknown[]): Promise<void> {
  for (const sql of refreshMonthCellsSql(s, touched)) await db.query(sql, values);
}

/** Refreshes the cells of one contact (the event-by-event path). */
export const refreshMonthCell = (db: Queryable, s: string, contactOn: string, microstructureId: string, patientId: string): Promise<void> =>
  refreshMonthCells(db, s, 'select $1::date as month, $2::text as microstructure_id, $3::text as patient_id', [contactOn, microstructureId, patientId]);

import { recordKeyExpression } from '@cnrms/disclosure';
import { createHash } from 'node:crypto';
import { Queryable } from './apply-event';

/**
 * Month cells (fact-set layout 3): the patient-months of a month summed per microstructure, network, sex and
 * age band — what the caseload, women's share, activity and reach indicators count by month. A patient-month is
 * one row per patient, month and microstructure with one network, sex and age band, so in a month every patient
 * is in exactly one cell: sums of cells over any grouping and filter are the facts' distinct-patient counts,
 * exactly. (Over a quarter or a year a patient may have months in several cells — two age bands, a network
 * move — so those periods are answered from the facts.)
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
      social_work_patients integer not null, social_work_interviews integer not null,
      patients_keys bigint, psychologist_patients_keys bigint, social_work_patients_keys bigint, key_tag text,
      primary key (month, microstructure_id, network_id, sex, age_band)
    );`;
}

/**
 * Recomputes the month cells of the (month, microstructure) pairs `touched` selects (a query with columns
 * `month` and `microstructure_id`), from the patient-months: two statements, the old cells removed, then the new.
 */
export function refreshMonthCellsSql(s: string, touched: string): [string, string] {
  const pairs = `select distinct date_trunc('month', t.month)::date as month, t.microstructure_id from (${touched}) t`;
  const key = recordKeyExpression(secretSql, 'pm.patient_id');
  return [
    `delete from ${s}.month_cells c using (${pairs}) t where c.month = t.month and c.microstructure_id = t.microstructure_id`,
    `insert into ${s}.month_cells (month, microstructure_id, network_id, sex, age_band, patients, psychologist_patients, psychologist_sessions,
       social_work_patients, social_work_interviews, patients_keys, psychologist_patients_keys, social_work_patients_keys, key_tag)
     select pm.month, pm.microstructure_id, pm.network_id, pm.sex, pm.age_band, count(*),
       count(*) filter (where pm.psychologist_sessions > 0), sum(pm.psychologist_sessions),
       count(*) filter (where pm.social_work_interviews > 0), sum(pm.social_work_interviews),
       sum(${key}), sum(${key}) filter (where pm.psychologist_sessions > 0), sum(${key}) filter (where pm.social_work_interviews > 0), ${tagSql}
     from ${s}.patient_months pm join (${pairs}) t on pm.month = t.month and pm.microstructure_id = t.microstructure_id
     group by 1, 2, 3, 4, 5`,
  ];
}

/** Refreshes the cells of the pairs `touched` selects, with its parameters. */
export async function refreshMonthCells(db: Queryable, s: string, touched: string, values: unknown[]): Promise<void> {
  for (const sql of refreshMonthCellsSql(s, touched)) await db.query(sql, values);
}

/** Refreshes the cells of one contact's month and microstructure (the event-by-event path). */
export const refreshMonthCell = (db: Queryable, s: string, contactOn: string, microstructureId: string): Promise<void> =>
  refreshMonthCells(db, s, 'select $1::date as month, $2::text as microstructure_id', [contactOn, microstructureId]);

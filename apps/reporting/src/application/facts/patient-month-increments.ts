/**
 * What a transaction's contacts added to the patient-months: per patient-month (month, microstructure, patient, with
 * the combination it was created with: network, sex, age band), the contacts and the psychologist sessions and
 * social-work interviews newly counted. The period cells move by these increments (`refreshPeriodCellsSql`) instead of
 * recomputing the touched patients' periods from all of their months.
 *
 * A batch's three contact statements (inclusions, sessions, assessments: `apply-range.ts`) log them, from what their
 * upserts of the patient-months returned, into a temporary table of the session, read and emptied by the cells'
 * refresh in the same transaction (`refreshCells`); a contact seen before is not counted, so it logs nothing. The
 * event-by-event path gives its one contact's increment as a query instead (`apply-event.ts`).
 */

export const INCREMENT_COLUMNS = ['month', 'microstructure_id', 'patient_id', 'network_id', 'sex', 'age_band', 'contacts', 'psychologist_sessions', 'social_work_interviews'];

const LOG = 'pg_temp.patient_month_increments';

/**
 * The session's log, created on its first batch: a temporary table (no other session sees it, no WAL), emptied in
 * place at each commit (the server's autovacuum never sees temporary tables: deleted rows would stay).
 */
export const CREATE_INCREMENTS_LOG_SQL = `create temp table if not exists patient_month_increments (
    month date not null, microstructure_id text not null, patient_id text not null, network_id text not null, sex text not null, age_band text not null,
    contacts integer not null, psychologist_sessions integer not null, social_work_interviews integer not null
  ) on commit delete rows`;

/** The logged increments, as the cells' refresh reads them. */
export const LOGGED_INCREMENTS_SQL = `select ${INCREMENT_COLUMNS.join(', ')} from ${LOG}`;

/** Empties the log once the cells have moved by it, for a next range in the same transaction (a rollback puts the rows back with the rest). */
export const CLEAR_INCREMENTS_LOG_SQL = `delete from ${LOG}`;

/**
 * The CTEs that upsert the increments `counted` selects (a CTE with `INCREMENT_COLUMNS`, `extra` the other session
 * kinds it counts) into the patient-months, as `months`, and, when `log`, log what they added with each patient-month's
 * own combination (a patient-month keeps the network, sex and age band of its first contact).
 */
export function upsertPatientMonths(s: string, counted: string, extra: readonly string[], log: boolean): string {
  const added = ['contacts', 'psychologist_sessions', 'social_work_interviews', ...extra];
  const combination = ['network_id', 'sex', 'age_band'];
  return `months as (
      insert into ${s}.patient_months as pm (month, microstructure_id, patient_id, ${combination.join(', ')}, ${added.join(', ')})
      select month, microstructure_id, patient_id, ${combination.join(', ')}, ${added.join(', ')} from ${counted}
      on conflict (month, microstructure_id, patient_id) do update set ${added.map((c) => `${c} = pm.${c} + excluded.${c}`).join(', ')}
      returning pm.month, pm.microstructure_id, pm.patient_id, ${combination.map((c) => `pm.${c}`).join(', ')}
    )${log ? `, logged as (
      insert into ${LOG} (${INCREMENT_COLUMNS.join(', ')})
      select m.month, m.microstructure_id, m.patient_id, ${combination.map((c) => `m.${c}`).join(', ')}, x.contacts, x.psychologist_sessions, x.social_work_interviews
      from months m join ${counted} x using (month, microstructure_id, patient_id)
    )` : ''}`;
}

import { masterKeyFor } from '@cnrms/crypto';
import { Pool, PoolClient } from 'pg';
import { decryptSummary, encryptSummary, MasterKey, newStoredKey, StoredKey, SummaryDecryptionError, withDataKey } from '../application/summary-cipher';
import { patientErasedError, SealedSummary, SummaryVault } from '../application/summary-vault';

interface KeyRow {
  patient_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string | null;
}

const SELECT_KEYS = 'select patient_id, wrapped_key, master_key_id from meetings.patient_keys';

/** The summary vault on `meetings.patient_keys`. Every call reads the key table: a destroyed key is unusable at once by every instance. */
export class PostgresSummaryVault implements SummaryVault {
  private readonly master: MasterKey;

  constructor(
    private readonly pool: Pool,
    masterKey: Buffer,
    masterKeyId: string,
    /** During a master key rotation: the old master keys, for the keys not re-wrapped yet. */
    private readonly previous: readonly MasterKey[] = [],
  ) {
    this.master = { id: masterKeyId, key: masterKey };
  }

  /** The master key that wrapped a stored key (the current one wraps every new key). */
  private masterOf(stored: StoredKey): MasterKey {
    return masterKeyFor({ current: this.master, previous: this.previous }, stored.masterKeyId);
  }

  async seal(patientId: string, meetingId: string, summary: string): Promise<string> {
    let row = await this.keyRow(patientId);
    if (!row) {
      // Two first seals racing: the second insert does nothing, and both read the winner's key.
      const created = newStoredKey(this.master, patientId);
      await this.pool.query('insert into meetings.patient_keys (patient_id, wrapped_key, master_key_id) values ($1, $2, $3) on conflict (patient_id) do nothing', [
        patientId,
        created.wrappedKey,
        created.masterKeyId,
      ]);
      row = await this.keyRow(patientId);
    }
    const stored = row && liveKey(row);
    if (!stored) throw patientErasedError(patientId);
    return withDataKey(stored, this.masterOf(stored), patientId, (dataKey) => encryptSummary(summary, dataKey, { patientId, meetingId }));
  }

  async erased(patientIds: readonly string[]): Promise<string[]> {
    if (patientIds.length === 0) return [];
    const { rows } = await this.pool.query<{ patient_id: string }>('select patient_id from meetings.patient_keys where destroyed_at is not null and patient_id = any($1::text[])', [[...patientIds]]);
    return rows.map((row) => row.patient_id);
  }

  async openMany(entries: readonly SealedSummary[]): Promise<(string | null)[]> {
    if (entries.length === 0) return [];
    const { rows } = await this.pool.query<KeyRow>(`${SELECT_KEYS} where patient_id = any($1::text[])`, [[...new Set(entries.map((e) => e.patientId))]]);
    const keys = new Map(rows.map((row) => [row.patient_id, row]));
    return entries.map(({ patientId, meetingId, ciphertext }) => {
      const row = keys.get(patientId);
      if (!row) throw new SummaryDecryptionError('aucune clé n’existe pour ce patient');
      const stored = liveKey(row);
      return stored && withDataKey(stored, this.masterOf(stored), patientId, (dataKey) => decryptSummary(ciphertext, dataKey, { patientId, meetingId }));
    });
  }

  private async keyRow(patientId: string): Promise<KeyRow | undefined> {
    const { rows } = await this.pool.query<KeyRow>(`${SELECT_KEYS} where patient_id = $1`, [patientId]);
    return rows[0];
  }
}

/**
 * Destroys the patient's key for good and bars a new one (on the inclusions' PatientErased, in the
 * consumer's transaction). One statement: a first seal committing meanwhile is waited for, then destroyed.
 */
export async function destroyPatientKey(db: Pool | PoolClient, patientId: string): Promise<void> {
  await db.query(
    `insert into meetings.patient_keys (patient_id, wrapped_key, master_key_id, destroyed_at) values ($1, null, null, now())
     on conflict (patient_id) do update set wrapped_key = null, destroyed_at = coalesce(patient_keys.destroyed_at, excluded.destroyed_at)`,
    [patientId],
  );
}

function liveKey(row: KeyRow): StoredKey | null {
  return !row.wrapped_key || !row.master_key_id ? null : { wrappedKey: row.wrapped_key, masterKeyId: row.master_key_id };
}

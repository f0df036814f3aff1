import { ClearIdentity } from '@cnrms/domain-inclusions';
import { masterKeyFor } from '@cnrms/crypto';
import { Pool, PoolClient } from 'pg';
import { decryptIdentity, decryptPatientText, encryptIdentity, encryptPatientText, IdentityDecryptionError, MasterKey, newStoredKey, StoredKey, withDataKey } from '../application/identity-cipher';
import { IdentityVault, patientErasedError } from '../application/identity-vault';

interface KeyRow {
  patient_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string;
  destroyed: boolean;
}

const SELECT_KEYS = 'select patient_id, wrapped_key, master_key_id, destroyed_at is not null as destroyed from inclusions.patient_keys';

/**
 * The identity vault on `inclusions.patient_keys`. Every call reads the key table: no unwrapped key is
 * cached, so a key destroyed by one instance is unusable at once by all of them.
 */
export class PostgresIdentityVault implements IdentityVault {
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

  async seal(patientId: string, identity: ClearIdentity, tx?: PoolClient): Promise<string> {
    return this.sealWith(patientId, (dataKey) => encryptIdentity(identity, dataKey, patientId), tx);
  }

  async sealText(patientId: string, text: string, tx?: PoolClient): Promise<string> {
    return this.sealWith(patientId, (dataKey) => encryptPatientText(text, dataKey, patientId), tx);
  }

  async openText(patientId: string, ciphertext: string): Promise<string | null> {
    const row = await this.keyRow(this.pool, patientId);
    if (!row) throw new IdentityDecryptionError('aucune clé n’existe pour ce patient');
    const stored = liveKey(row);
    return stored && withDataKey(stored, this.masterOf(stored), patientId, (dataKey) => decryptPatientText(ciphertext, dataKey, patientId));
  }

  private async sealWith(patientId: string, encrypt: (dataKey: Buffer) => string, tx?: PoolClient): Promise<string> {
    const db = tx ?? this.pool;
    let row = await this.keyRow(db, patientId);
    if (!row) {
      // Two first seals racing: the second insert waits for the first and does nothing; both read the winner's key.
      const created = newStoredKey(this.master, patientId);
      await db.query('insert into inclusions.patient_keys (patient_id, wrapped_key, master_key_id) values ($1, $2, $3) on conflict (patient_id) do nothing', [
        patientId,
        created.wrappedKey,
        created.masterKeyId,
      ]);
      row = await this.keyRow(db, patientId);
      // Only under repeatable read or serializable can the winner's row stay invisible to this transaction.
      if (!row) throw new Error('La clé du patient, créée en même temps par une autre transaction, n’est pas visible dans celle-ci.');
    }
    const stored = liveKey(row);
    if (!stored) throw patientErasedError(patientId);
    return withDataKey(stored, this.masterOf(stored), patientId, encrypt);
  }

  async open(patientId: string, ciphertext: string): Promise<ClearIdentity | null> {
    return (await this.openMany([{ patientId, ciphertext }])).get(patientId) ?? null;
  }

  async openMany(entries: readonly { patientId: string; ciphertext: string }[]): Promise<Map<string, ClearIdentity | null>> {
    const identities = new Map<string, ClearIdentity | null>();
    if (entries.length === 0) return identities;
    const patientIds = [...new Set(entries.map((entry) => entry.patientId))];
    const { rows } = await this.pool.query<KeyRow>(`${SELECT_KEYS} where patient_id = any($1::text[])`, [patientIds]);
    const rowsById = new Map(rows.map((row) => [row.patient_id, row]));
    for (const { patientId, ciphertext } of entries) {
      const row = rowsById.get(patientId);
      if (!row) throw new IdentityDecryptionError('aucune clé n’existe pour ce patient');
      const stored = liveKey(row);
      identities.set(patientId, stored && withDataKey(stored, this.masterOf(stored), patientId, (dataKey) => decryptIdentity(ciphertext, dataKey, patientId)));
    }
    return identities;
  }

  async destroy(patientId: string, tx?: PoolClient): Promise<void> {
    // One statement: a first seal committing meanwhile is waited for, then its key destroyed.
    await (tx ?? this.pool).query(
      `insert into inclusions.patient_keys (patient_id, wrapped_key, master_key_id, destroyed_at) values ($1, null, $2, now())
       on conflict (patient_id) do update set wrapped_key = null, destroyed_at = coalesce(patient_keys.destroyed_at, excluded.destroyed_at)`,
      [patientId, this.master.id],
    );
  }

  async isDestroyed(patientId: string): Promise<boolean> {
    return (await this.keyRow(this.pool, patientId))?.destroyed ?? false;
  }

  private async keyRow(db: Pool | PoolClient, patientId: string): Promise<KeyRow | undefined> {
    const { rows } = await db.query<KeyRow>(`${SELECT_KEYS} where patient_id = $1`, [patientId]);
    return rows[0];
  }
}

function liveKey(row: KeyRow): StoredKey | null {
  return row.destroyed || !row.wrapped_key ? null : { wrappedKey: row.wrapped_key, masterKeyId: row.master_key_id };
}

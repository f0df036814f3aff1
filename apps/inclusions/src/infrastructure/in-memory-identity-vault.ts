import { randomBytes } from 'node:crypto';
import { ClearIdentity } from '@cnrms/domain-inclusions';
import { decryptIdentity, decryptPatientText, encryptIdentity, encryptPatientText, IdentityDecryptionError, KEY_BYTES, MasterKey, newStoredKey, StoredKey, withDataKey } from '../application/identity-cipher';
import { IdentityVault, patientErasedError } from '../application/identity-vault';

type KeyRow = { status: 'LIVE'; key: StoredKey } | { status: 'DESTROYED' };

/**
 * The identity vault for unit tests: the same envelope encryption as the PostgreSQL adapter, its key
 * table in a map. It ignores `tx` (there is no transaction to join).
 */
export class InMemoryIdentityVault implements IdentityVault {
  private readonly keys = new Map<string, KeyRow>();
  private readonly master: MasterKey;

  constructor(masterKey: Buffer = randomBytes(KEY_BYTES), masterKeyId = 'in-memory') {
    this.master = { id: masterKeyId, key: masterKey };
  }

  async seal(patientId: string, identity: ClearIdentity): Promise<string> {
    return this.sealWith(patientId, (dataKey) => encryptIdentity(identity, dataKey, patientId));
  }

  async sealText(patientId: string, text: string): Promise<string> {
    return this.sealWith(patientId, (dataKey) => encryptPatientText(text, dataKey, patientId));
  }

  async openText(patientId: string, ciphertext: string): Promise<string | null> {
    const row = this.keys.get(patientId);
    if (!row) throw new IdentityDecryptionError('aucune clé n’existe pour ce patient');
    if (row.status === 'DESTROYED') return null;
    return withDataKey(row.key, this.master, patientId, (dataKey) => decryptPatientText(ciphertext, dataKey, patientId));
  }

  private sealWith(patientId: string, encrypt: (dataKey: Buffer) => string): string {
    let row = this.keys.get(patientId);
    if (!row) {
      row = { status: 'LIVE', key: newStoredKey(this.master, patientId) };
      this.keys.set(patientId, row);
    }
    if (row.status === 'DESTROYED') throw patientErasedError(patientId);
    return withDataKey(row.key, this.master, patientId, encrypt);
  }

  async open(patientId: string, ciphertext: string): Promise<ClearIdentity | null> {
    return this.openOne(patientId, ciphertext);
  }

  async openMany(entries: readonly { patientId: string; ciphertext: string }[]): Promise<Map<string, ClearIdentity | null>> {
    return new Map(entries.map(({ patientId, ciphertext }) => [patientId, this.openOne(patientId, ciphertext)]));
  }

  async destroy(patientId: string): Promise<void> {
    this.keys.set(patientId, { status: 'DESTROYED' });
  }

  async isDestroyed(patientId: string): Promise<boolean> {
    return this.keys.get(patientId)?.status === 'DESTROYED';
  }

  /** The stored (wrapped) key, for tests that look under the port. */
  storedKeyOf(patientId: string): StoredKey | null {
    const row = this.keys.get(patientId);
    return row?.status === 'LIVE' ? row.key : null;
  }

  private openOne(patientId: string, ciphertext: string): ClearIdentity | null {
    const row = this.keys.get(patientId);
    if (!row) throw new IdentityDecryptionError('aucune clé n’existe pour ce patient');
    if (row.status === 'DESTROYED') return null;
    return withDataKey(row.key, this.master, patientId, (dataKey) => decryptIdentity(ciphertext, dataKey, patientId));
  }
}

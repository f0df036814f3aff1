import { randomBytes } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { QueryRunner } from 'typeorm';
import { encryptIdentity, unwrapDataKey } from '../application/identity-cipher';
import { anIdentity, identityVaultContract } from '../application/identity-vault.contract';
import { PatientKeys1763900000100 } from './migrations/1763900000100-patient-keys';
import { PostgresIdentityVault } from './postgres-identity-vault';

interface StoredRow {
  wrapped_key: Buffer | null;
  master_key_id: string;
  destroyed_at: Date | null;
}

/** A database of its own with the `inclusions` schema and the key table, migrated by the migration itself. */
async function vaultDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('identity_vault');
  await database.pool.query('create schema inclusions');
  await new PatientKeys1763900000100().up({ query: (sql: string) => database.pool.query(sql) } as unknown as QueryRunner);
  return database;
}

const storedRow = async (database: TestDatabase, patientId: string): Promise<StoredRow | undefined> =>
  (await database.pool.query<StoredRow>('select wrapped_key, master_key_id, destroyed_at from inclusions.patient_keys where patient_id = $1', [patientId])).rows[0];

identityVaultContract('PostgreSQL', async () => {
  const database = await vaultDatabase();
  const masterKey = randomBytes(32);
  return {
    vault: new PostgresIdentityVault(database.pool, masterKey, 'test-1'),
    teardown: () => database.drop(),
    async dataKeyOf(patientId) {
      const row = await storedRow(database, patientId);
      return row?.wrapped_key ? unwrapDataKey(row.wrapped_key, masterKey, patientId) : null;
    },
  };
});

describe('PostgresIdentityVault on its key table', () => {
  let database: TestDatabase;
  const masterKey = randomBytes(32);
  let vault: PostgresIdentityVault;

  beforeEach(async () => {
    database = await vaultDatabase();
    vault = new PostgresIdentityVault(database.pool, masterKey, 'hds-1');
  });
  afterEach(() => database.drop());

  it('stores the data key wrapped, never in clear, with the master key id', async () => {
    const ciphertext = await vault.seal('patient-1', anIdentity());
    const row = await storedRow(database, 'patient-1');
    expect(row).toMatchObject({ master_key_id: 'hds-1', destroyed_at: null });
    const dataKey = unwrapDataKey(row?.wrapped_key as Buffer, masterKey, 'patient-1');
    expect(row?.wrapped_key?.includes(dataKey)).toBe(false);
    expect(row?.wrapped_key).toHaveLength(61);
    // The unwrapped key is the one the identity is encrypted with.
    expect(await vault.open('patient-1', encryptIdentity(anIdentity({ firstName: 'Autre' }), dataKey, 'patient-1'))).toEqual(anIdentity({ firstName: 'Autre' }));
    expect(ciphertext).not.toContain(dataKey.toString('base64'));
    // The patient id is bound to the ciphertext too, not only through the key.
    await expect(vault.open('patient-1', encryptIdentity(anIdentity(), dataKey, 'patient-2'))).rejects.toThrow(/autre patient/);
  });

  it('nulls the wrapped key on destroy and keeps the row, dated', async () => {
    await vault.seal('patient-1', anIdentity());
    await vault.destroy('patient-1');
    const row = await storedRow(database, 'patient-1');
    expect(row?.wrapped_key).toBeNull();
    expect(row?.destroyed_at).toBeInstanceOf(Date);
    await vault.destroy('patient-1');
    expect((await storedRow(database, 'patient-1'))?.destroyed_at).toEqual(row?.destroyed_at);
  });

  it('refuses a key wrapped by another master key, and a wrapped key moved to another patient', async () => {
    const ciphertext = await vault.seal('patient-1', anIdentity());
    await expect(new PostgresIdentityVault(database.pool, randomBytes(32), 'hds-1').open('patient-1', ciphertext)).rejects.toThrow(/clé maîtresse/);
    await expect(new PostgresIdentityVault(database.pool, masterKey, 'hds-2').open('patient-1', ciphertext)).rejects.toThrow(/« hds-1 », inconnue/);
    await vault.seal('patient-2', anIdentity());
    await database.pool.query(
      `update inclusions.patient_keys set wrapped_key = (select wrapped_key from inclusions.patient_keys where patient_id = 'patient-1') where patient_id = 'patient-2'`,
    );
    await expect(vault.open('patient-2', await vault.seal('patient-1', anIdentity()))).rejects.toThrow(/autre patient/);
  });

  it('writes the key in the caller’s transaction: rolled back, the key is gone', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      await vault.seal('patient-1', anIdentity(), client);
      await client.query('rollback');
      await client.query('begin');
      await vault.destroy('patient-2', client);
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await storedRow(database, 'patient-1')).toBeUndefined();
    expect(await vault.isDestroyed('patient-2')).toBe(true);
  });

  it('destroys a key whose first seal is still in flight in another transaction', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      await vault.seal('patient-1', anIdentity(), client);
      const destroying = vault.destroy('patient-1');
      await client.query('commit');
      await destroying;
    } finally {
      client.release();
    }
    expect(await vault.isDestroyed('patient-1')).toBe(true);
    expect((await storedRow(database, 'patient-1'))?.wrapped_key).toBeNull();
  });

  it('looks up the keys of a whole caseload in one query', async () => {
    const entries = await Promise.all(Array.from({ length: 20 }, async (_, i) => ({ patientId: `p-${i}`, ciphertext: await vault.seal(`p-${i}`, anIdentity()) })));
    const query = jest.spyOn(database.pool, 'query');
    const opened = await vault.openMany(entries);
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();
    expect(opened.size).toBe(20);
  });
});

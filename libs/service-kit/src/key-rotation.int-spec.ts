import { envelopeCipher, MasterKey } from '@cnrms/crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { randomBytes } from 'node:crypto';
import { rotateMasterKey } from './key-rotation';

class Unreadable extends Error {}
const cipher = envelopeCipher({ keyBinding: (id) => `patient-key:${id}`, failure: (reason) => new Unreadable(reason) });
const oldKey: MasterKey = { id: 'k1', key: randomBytes(32) };
const newKey: MasterKey = { id: 'k2', key: randomBytes(32) };
const lostKey: MasterKey = { id: 'k0', key: randomBytes(32) };

describe('rotateMasterKey (PostgreSQL)', () => {
  let database: TestDatabase;
  const texts = new Map<string, string>();

  beforeAll(async () => {
    database = await createTestDatabase('key_rotation');
    await database.pool.query(`create schema vault; create table vault.patient_keys (patient_id text primary key, wrapped_key bytea null, master_key_id text null, destroyed_at timestamptz null)`);
    for (let i = 0; i < 25; i++) {
      const patientId = `p-${String(i).padStart(2, '0')}`;
      const master = i === 24 ? lostKey : oldKey;
      const stored = cipher.newStoredKey(master, patientId);
      texts.set(patientId, cipher.withDataKey(stored, master, patientId, (key) => cipher.encrypt(`identité ${i}`, key, patientId)));
      await database.pool.query('insert into vault.patient_keys values ($1, $2, $3, null)', [patientId, stored.wrappedKey, stored.masterKeyId]);
    }
    // An erased patient: no key to re-wrap, and none ever again.
    await database.pool.query(`update vault.patient_keys set wrapped_key = null, destroyed_at = now() where patient_id = 'p-03'`);
  });

  afterAll(() => database?.drop());

  const rows = async () =>
    (await database.pool.query<{ patient_id: string; wrapped_key: Buffer | null; master_key_id: string }>('select patient_id, wrapped_key, master_key_id from vault.patient_keys order by 1')).rows;

  it('re-wraps in batches, skips an erased patient, reports keys under a master key it was not given, and the texts open with the new key', async () => {
    let calls = 0;
    const result = await rotateMasterKey({
      pool: database.pool,
      table: 'vault.patient_keys',
      ring: { current: newKey, previous: [oldKey] },
      batchSize: 7,
      rewrap: (stored, from, to, patientId) => {
        calls++;
        return cipher.rewrap(stored, from, to, patientId);
      },
      onProgress: () => undefined,
    });
    expect(calls).toBe(23);
    expect(result).toEqual({ rewrapped: 23, current: 23, remaining: { k0: 1 } });
    for (const row of await rows()) {
      if (row.patient_id === 'p-03') expect(row.wrapped_key).toBeNull();
      else if (row.patient_id === 'p-24') expect(row.master_key_id).toBe('k0');
      else {
        expect(row.master_key_id).toBe('k2');
        const stored = { wrappedKey: row.wrapped_key!, masterKeyId: row.master_key_id };
        expect(cipher.withDataKey(stored, newKey, row.patient_id, (key) => cipher.decrypt(texts.get(row.patient_id)!, key, row.patient_id))).toMatch(/^identité \d+$/);
        expect(() => cipher.withDataKey({ ...stored, masterKeyId: 'k1' }, oldKey, row.patient_id, () => undefined)).toThrow(Unreadable);
      }
    }
    // Again: nothing left to do under k1.
    expect(await rotateMasterKey({ pool: database.pool, table: 'vault.patient_keys', ring: { current: newKey, previous: [oldKey] }, rewrap: cipher.rewrap })).toEqual({ rewrapped: 0, current: 23, remaining: { k0: 1 } });
  });

  it('does not overwrite a key destroyed between its reading and its update', async () => {
    const stored = cipher.newStoredKey(newKey, 'p-99');
    await database.pool.query('insert into vault.patient_keys values ($1, $2, $3, null)', ['p-99', stored.wrappedKey, stored.masterKeyId]);
    const third: MasterKey = { id: 'k3', key: randomBytes(32) };
    const result = await rotateMasterKey({
      pool: database.pool,
      table: 'vault.patient_keys',
      ring: { current: third, previous: [newKey] },
      batchSize: 100,
      // The patient is erased by the service after the rotation read the key, before it writes it back.
      rewrap: async (s, from, to, patientId) => {
        if (patientId === 'p-99') await database.pool.query(`update vault.patient_keys set wrapped_key = null, destroyed_at = now() where patient_id = 'p-99'`);
        return cipher.rewrap(s, from, to, patientId);
      },
    });
    const erased = (await rows()).find((row) => row.patient_id === 'p-99');
    expect(erased?.wrapped_key).toBeNull();
    expect(result.rewrapped).toBe(23);
  });
});

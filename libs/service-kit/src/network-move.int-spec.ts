import { envelopeCipher, MasterKey } from '@cnrms/crypto';
import { PostgresEventStore } from '@cnrms/eventsourcing';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyNetworkToRegion, idsOfCategory, NetworkMoveRefused, NetworkMoveStep, releaseNetworkNationally } from './network-move';

class Unreadable extends Error {}
const cipher = envelopeCipher({ keyBinding: (id) => `patient-key:${id}`, failure: (reason) => new Unreadable(reason) });
const nationalKey: MasterKey = { id: 'national-1', key: randomBytes(32) };
const regionKey: MasterKey = { id: 'region-1', key: randomBytes(32) };
const NETWORK = 'net-moved';
const OTHER = 'net-kept';

const step: NetworkMoveStep = {
  service: 'vault',
  schema: 'vault',
  keptCategories: ['network'],
  keys: { table: 'vault.patient_keys', patientIds: async (_db, _network, streams) => idsOfCategory(streams, 'patient'), rewrap: cipher.rewrap },
  movedRows: [{ table: 'vault.reads', where: 'network_id = $1' }],
  removedCopies: [{ table: 'vault.teams', where: 'network_id = $1' }],
};

const event = (type: string, networkId: string | null, data: Record<string, unknown> = {}) => ({
  type,
  data,
  metadata: { eventId: randomUUID(), correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), networkId, schemaVersion: 1 } as never,
});

/** Both databases of the move: the national one with two networks' streams, keys and rows; the region's empty. */
describe('moving a network between two PostgreSQL databases', () => {
  let national: TestDatabase;
  let region: TestDatabase;
  const ciphertexts = new Map<string, string>();

  const prepare = async (database: TestDatabase) => {
    await new PostgresEventStore({ pool: database.pool, schema: 'vault' }).migrate();
    await database.pool.query(`create table vault.patient_keys (patient_id text primary key, wrapped_key bytea null, master_key_id text null, created_at timestamptz not null default now(), destroyed_at timestamptz null);
      create table vault.reads (id text primary key, network_id text not null, read_at timestamptz not null);
      create table vault.teams (id text primary key, network_id text not null);
      create table vault.projection_checkpoints (name text primary key, commit_position bigint not null, prepare_position bigint not null, updated_at timestamptz not null default now())`);
  };

  beforeAll(async () => {
    [national, region] = await Promise.all([createTestDatabase('move_national'), createTestDatabase('move_region')]);
    await Promise.all([prepare(national), prepare(region)]);
    const store = new PostgresEventStore({ pool: national.pool, schema: 'vault' });
    for (const [patientId, networkId] of [['p1', NETWORK], ['p2', NETWORK], ['p3', OTHER]]) {
      const stored = cipher.newStoredKey(nationalKey, patientId);
      ciphertexts.set(patientId, cipher.withDataKey(stored, nationalKey, patientId, (key) => cipher.encrypt(`identité de ${patientId}`, key, patientId)));
      await national.pool.query('insert into vault.patient_keys (patient_id, wrapped_key, master_key_id) values ($1, $2, $3)', [patientId, stored.wrappedKey, stored.masterKeyId]);
      await store.appendToStream(`patient-${patientId}`, [event('PatientRegistered', networkId, { ciphertext: ciphertexts.get(patientId) })]);
      await store.appendToStream(`inclusion-${patientId}`, [event('PatientIncluded', networkId), event('SessionRecorded', networkId)]);
    }
    // An erased patient of the network: its key stays destroyed.
    await store.appendToStream('patient-p4', [event('PatientRegistered', NETWORK), event('PatientIdentityErased', NETWORK)]);
    await national.pool.query(`insert into vault.patient_keys (patient_id, wrapped_key, master_key_id, destroyed_at) values ('p4', null, 'national-1', now())`);
    await store.appendToStream(`network-${NETWORK}`, [event('NetworkCreated', NETWORK)]);
    await national.pool.query(`insert into vault.reads values ('r1', '${NETWORK}', now()), ('r2', '${OTHER}', now()); insert into vault.teams values ('t1', '${NETWORK}'), ('t2', '${OTHER}');
      insert into vault.projection_checkpoints (name, commit_position, prepare_position) values ('vault.caseload.v1', 10, 10)`);
  });

  afterAll(async () => {
    await Promise.all([national?.drop(), region?.drop()]);
  });

  const count = async (database: TestDatabase, sql: string, values: unknown[] = []) => Number((await database.pool.query(sql, values)).rows[0].n);

  it('refuses to release before the region holds everything, writing nothing', async () => {
    await expect(releaseNetworkNationally(step, NETWORK, national.pool, region.pool)).rejects.toThrow(NetworkMoveRefused);
    expect(await count(national, 'select count(*) as n from vault.events')).toBe(12);
    expect(await count(national, 'select count(*) as n from vault.patient_keys')).toBe(4);
  });

  it('refuses a region whose stream already holds other events, writing nothing there', async () => {
    await new PostgresEventStore({ pool: region.pool, schema: 'vault' }).appendToStream('inclusion-p2', [event('SomethingElse', NETWORK)]);
    await expect(copyNetworkToRegion(step, NETWORK, national.pool, region.pool, { national: { current: nationalKey, previous: [] }, region: regionKey })).rejects.toThrow(/inclusion-p2/);
    expect(await count(region, 'select count(*) as n from vault.events')).toBe(1);
    expect(await count(region, 'select count(*) as n from vault.patient_keys')).toBe(0);
    await region.pool.query('delete from vault.events');
  });

  it('copies the network: same events in the same order, keys re-wrapped under the region key, audit rows; again, nothing more', async () => {
    const keys = { national: { current: { id: 'national-2', key: randomBytes(32) }, previous: [nationalKey] }, region: regionKey };
    const report = await copyNetworkToRegion(step, NETWORK, national.pool, region.pool, keys);
    expect(report).toMatchObject({ streams: 5, events: 8, imported: 8, keys: 3, rows: 1 });
    const order = async (database: TestDatabase) =>
      (await database.pool.query(`select event_id, stream_id, stream_version, event_type, data, metadata, recorded_at from vault.events where metadata->>'networkId' = $1 and stream_category <> 'network' order by transaction_id, global_position`, [NETWORK])).rows;
    expect(await order(region)).toEqual(await order(national));
    // The identities open with the region's key, no longer with the national one.
    for (const patientId of ['p1', 'p2']) {
      const { rows } = await region.pool.query<{ wrapped_key: Buffer; master_key_id: string }>('select wrapped_key, master_key_id from vault.patient_keys where patient_id = $1', [patientId]);
      expect(rows[0].master_key_id).toBe('region-1');
      const stored = { wrappedKey: rows[0].wrapped_key, masterKeyId: rows[0].master_key_id };
      expect(cipher.withDataKey(stored, regionKey, patientId, (key) => cipher.decrypt(ciphertexts.get(patientId)!, key, patientId))).toBe(`identité de ${patientId}`);
      expect(() => cipher.withDataKey(stored, nationalKey, patientId, () => 'opened')).toThrow(Unreadable);
    }
    expect((await region.pool.query(`select wrapped_key, destroyed_at from vault.patient_keys where patient_id = 'p4'`)).rows[0]).toMatchObject({ wrapped_key: null, destroyed_at: expect.any(Date) });
    expect(await count(region, `select count(*) as n from vault.patient_keys where patient_id = 'p3'`)).toBe(0);

    const again = await copyNetworkToRegion(step, NETWORK, national.pool, region.pool, keys);
    expect(again).toMatchObject({ events: 8, imported: 0, keys: 0, rows: 0 });
    expect(await count(region, 'select count(*) as n from vault.events')).toBe(8);
  });

  it('releases the network nationally in one go: its streams, keys, rows and copies; the other network and the network record stay; projections rebuild at start', async () => {
    const report = await releaseNetworkNationally(step, NETWORK, national.pool, region.pool);
    expect(report).toMatchObject({ streams: 5, events: 8, keys: 3, rows: 2 });
    expect(await count(national, `select count(*) as n from vault.events where metadata->>'networkId' = $1`, [NETWORK])).toBe(1);
    expect(await count(national, `select count(*) as n from vault.events where stream_id = $1`, [`network-${NETWORK}`])).toBe(1);
    expect(await count(national, `select count(*) as n from vault.events where metadata->>'networkId' = $1`, [OTHER])).toBe(3);
    expect((await national.pool.query('select patient_id from vault.patient_keys')).rows).toEqual([{ patient_id: 'p3' }]);
    expect((await national.pool.query('select id from vault.reads union all select id from vault.teams order by 1')).rows).toEqual([{ id: 'r2' }, { id: 't2' }]);
    expect((await national.pool.query('select commit_position from vault.projection_checkpoints')).rows).toEqual([{ commit_position: '-1' }]);
    // Released again: nothing left to move.
    expect(await releaseNetworkNationally(step, NETWORK, national.pool, region.pool)).toMatchObject({ streams: 0, events: 0, keys: 0 });
  });
});

import { Pool, PoolClient } from 'pg';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { testEvent } from '../store/event-store.contract';
import { StreamAppend } from '../store/event-store.port';
import { PostgresEventStore } from './postgres-event-store';

/**
 * Fault injection on the multi-stream append every multi-stream command goes through (includePatient:
 * patient, case guard, inclusion; recordExit: inclusion, case guard; registerProfessional:
 * professional, RPPS, ADELI): the connection fails before each of its statements in turn. Whatever the
 * statement, nothing of the change is visible afterwards, and sending it again records it once.
 */
describe('PostgreSQL event store: a failure between any two writes of a multi-stream append', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let failAt = -1;
  let statements = 0;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_faults');
    const pool = database.pool;
    // A pool whose clients fail at the `failAt`-th statement of a checkout, as a dropped connection would.
    const faulty = Object.create(pool) as Pool;
    faulty.connect = (async () => {
      const client = await pool.connect();
      let n = 0;
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      const wrapped = Object.create(client) as PoolClient;
      (wrapped as unknown as { query: unknown }).query = async (...args: unknown[]) => {
        const text = String(args[0]);
        if (text !== 'rollback' && n++ === failAt) throw new Error(`injected failure before statement ${n}: ${text.slice(0, 30)}`);
        statements = n;
        return query(...args);
      };
      wrapped.release = (error?: Error | boolean) => client.release(error);
      return wrapped;
    }) as unknown as Pool['connect'];
    // The wake-up NOTIFY after a commit goes through pool.query, outside the append: not a statement of it.
    faulty.query = pool.query.bind(pool) as Pool['query'];
    store = new PostgresEventStore({ pool: faulty, schema: 'faults', idleMs: 50 });
    await new PostgresEventStore({ pool, schema: 'faults' }).migrate();
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const change = (suffix: string): StreamAppend[] => [
    { streamId: `patient-${suffix}`, events: [testEvent('PatientRegistered')], expectedVersion: 'no_stream' },
    { streamId: `patientcase-${suffix}`, events: [testEvent('CaseOpened')], expectedVersion: 'no_stream' },
    { streamId: `inclusion-${suffix}`, events: [testEvent('PatientIncluded'), testEvent('ConsentRecorded')], expectedVersion: 'no_stream' },
  ];

  it('counts the statements of one append (begin, locks, versions, inserts, commit; the wake-up is sent after it)', async () => {
    failAt = -1;
    await store.appendToStreams(change('count'));
    // begin + 3 locks + 3 × (version + insert) + commit
    expect(statements).toBe(11);
  });

  it.each(Array.from({ length: 11 }, (_, i) => i))('leaves nothing when it fails before statement %i, and the retry records it once', async (index) => {
    const suffix = `at${index}`;
    failAt = index;
    await expect(store.appendToStreams(change(suffix))).rejects.toThrow(/injected failure/);
    const streams = change(suffix).map((a) => a.streamId);
    const left = await database.pool.query(`select count(*)::int as n from faults.events where stream_id = any($1)`, [streams]);
    expect(left.rows[0].n).toBe(0);

    failAt = -1;
    await store.appendToStreams(change(suffix));
    const after = await database.pool.query(`select stream_id, count(*)::int as n from faults.events where stream_id = any($1) group by stream_id order by stream_id`, [streams]);
    expect(after.rows).toEqual([
      { stream_id: `inclusion-${suffix}`, n: 2 },
      { stream_id: `patient-${suffix}`, n: 1 },
      { stream_id: `patientcase-${suffix}`, n: 1 },
    ]);
  });
});

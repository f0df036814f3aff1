import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { PostgresMessageBus } from './postgres-bus';
import { eventually, messageBusContract, testRegistry, thing } from './testing';

messageBusContract('PostgreSQL', async () => {
  const database: TestDatabase = await createTestDatabase('bus');
  const bus = new PostgresMessageBus({ pool: database.pool, registry: testRegistry(), idleMs: 20 });
  return {
    bus,
    pool: database.pool,
    schema: 'consumer',
    createTopic: async () => undefined,
    async close() {
      await bus.close();
      await database.drop();
    },
  };
});

describe('PostgreSQL bus: a backlog in batches', () => {
  let database: TestDatabase;
  let bus: PostgresMessageBus;
  const topic = 'test.batch.v1';
  beforeEach(async () => {
    database = await createTestDatabase('busbatch');
    bus = new PostgresMessageBus({ pool: database.pool, registry: testRegistry(), idleMs: 20 });
    await database.pool.query(`create schema consumer`);
    await database.pool.query(`create table consumer.seen (event_id text primary key, n integer not null, tx text not null)`);
  });
  afterEach(async () => {
    await bus.close();
    await database.drop();
  });

  const subscribe = (fails: (n: number) => boolean) =>
    bus.subscribe({
      group: 'batch',
      topics: [topic],
      pool: database.pool,
      schema: 'consumer',
      maxAttempts: 2,
      retryDelayMs: 20,
      handler: async (event, tx) => {
        const { n } = event.payload as { n: number };
        if (fails(n)) throw new Error(`handler refuses ${n}`);
        await tx.query(`insert into consumer.seen (event_id, n, tx) values ($1, $2, txid_current()::text)`, [event.eventId, n]);
      },
    });
  const seen = async () => (await database.pool.query<{ n: number; tx: string }>(`select n, tx from consumer.seen order by n`)).rows;

  it('applies a waiting backlog in one transaction, its position with it, and a redelivery changes nothing', async () => {
    const events = [1, 2, 3, 4, 5].map((n) => thing(topic, `k${n}`, n));
    await bus.publish(events);
    const consumer = await subscribe(() => false);
    const rows = await eventually(seen, (r) => r.length === 5);
    await consumer.stop();
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);

    // The same events published again (at-least-once): the event ids are known, nothing is applied twice.
    await bus.publish(events);
    await bus.publish([thing(topic, 'k6', 6)]);
    const again = await subscribe(() => false);
    const after = await eventually(seen, (r) => r.length >= 6);
    await again.stop();
    expect(after.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  it('hands a batch handler the new events of a backlog at once, in order, without the ones seen before nor a newer version (parked)', async () => {
    const batches: number[][] = [];
    const events = [1, 2, 3, 4].map((n) => thing(topic, `k${n}`, n));
    const newer = thing(topic, 'k9', 9, { version: 2, payload: { thingId: 'k9', n: 9, colour: 'blue' } });
    await bus.publish([events[0]]);
    // The event-by-event handler refuses: every delivery here must go to the batch handler.
    const subscribeWithBatches = () =>
      bus.subscribe({
        group: 'batch',
        topics: [topic],
        pool: database.pool,
        schema: 'consumer',
        handler: async () => {
          throw new Error('the batch handler takes every batch here');
        },
        batchHandler: async (batch) => void batches.push(batch.map((event) => (event.payload as { n: number }).n)),
      });
    const first = await subscribeWithBatches();
    await eventually(async () => batches, (seen) => seen.length === 1);
    await first.stop();
    // Event 1 again (a redelivery), twice in one batch, beside new ones and a version this consumer does not know.
    await bus.publish([events[0], events[1], newer, events[2], events[1], events[3]]);
    const second = await subscribeWithBatches();
    await eventually(async () => batches, (seen) => seen.length === 2);
    await second.stop();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    const parked = await database.pool.query(`select event_id from consumer.messaging_parked where consumer_group = 'batch'`);
    expect(parked.rows).toEqual([{ event_id: newer.eventId }]);
  }, 60_000);

  it('takes up to maxBatch events in one transaction when a backlog waits (500 by default)', async () => {
    await bus.publish(Array.from({ length: 1300 }, (_, i) => thing(topic, `k${i % 50}`, i)));
    const sizes = async (maxBatch?: number) => {
      const group = `sizes-${maxBatch ?? 'default'}`;
      const delivered: number[] = [];
      const consumer = await bus.subscribe({
        group, topics: [topic], pool: database.pool, schema: 'consumer', maxBatch,
        handler: async () => {
          throw new Error('the batch handler takes every batch here');
        },
        batchHandler: async (batch) => void delivered.push(batch.length),
      });
      await eventually(async () => delivered, (seen) => seen.reduce((a, b) => a + b, 0) === 1300);
      await consumer.stop();
      return delivered;
    };
    expect(await sizes()).toEqual([500, 500, 300]);
    expect(await sizes(1000)).toEqual([1000, 300]);
  }, 60_000);

  it('rolls back a batch with a failing event and delivers its events one by one: the others are applied once, the failing one dead-lettered', async () => {
    await bus.publish([1, 2, 3].map((n) => thing(topic, `k${n}`, n)));
    const consumer = await subscribe((n) => n === 2);
    const rows = await eventually(seen, (r) => r.some((row) => row.n === 3));
    await consumer.stop();
    expect(rows.map((r) => r.n)).toEqual([1, 3]);
    // Applied one by one after the rollback: two transactions, not the batch's.
    expect(new Set(rows.map((r) => r.tx)).size).toBe(2);
  }, 60_000);
});

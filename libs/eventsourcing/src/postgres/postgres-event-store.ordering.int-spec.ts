import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { collect, testEvent } from '../store/event-store.contract';
import { comparePositions, formatPosition, RecordedEvent } from '../store/event-store.port';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgreSQL event store global ordering', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase('event_store_ordering');
    store = new PostgresEventStore({ pool: database.pool, schema: 'ordering', idleMs: 20, batchSize: 100 });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  describe('when a transaction commits after a later-numbered one', () => {
    it('holds back the later events until the earlier transaction commits, then delivers both in order', async () => {
      const slow = await database.pool.connect();
      try {
        await slow.query('begin');
        await slow.query(
          `insert into ordering.events (stream_id, stream_category, stream_version, event_id, event_type, data, metadata)
           values ('slow-1', 'slow', 1, $1, 'SlowEvent', '{}', $2)`,
          [randomUUID(), JSON.stringify(testEvent('SlowEvent').metadata)],
        );
        await store.appendToStream('fast-1', [testEvent('FastEvent')]);

        const seenPromise = collect(store, {}, (seen) => seen.length >= 2);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await store.readAll()).toEqual([]);

        await slow.query('commit');
        const seen = await seenPromise;
        expect(seen.map((e) => e.type)).toEqual(['SlowEvent', 'FastEvent']);
      } finally {
        slow.release();
      }
    });
  });

  describe('when an older transaction holds back events whose wake-up has come', () => {
    it('says they are held back, and the subscription reads again soon instead of waiting for its idle delay', async () => {
      // An idle delay no test waits for: the event must come from the held-back retries.
      const patient = new PostgresEventStore({ pool: database.pool, schema: 'ordering', idleMs: 600_000, batchSize: 100 });
      const heldBackReads: boolean[] = [];
      const read = patient.readForSubscription.bind(patient);
      patient.readForSubscription = async (options) => {
        const answer = await read(options);
        heldBackReads.push(answer.heldBack);
        return answer;
      };
      const older = await database.pool.connect();
      try {
        await older.query('begin');
        await older.query('select pg_current_xact_id()'); // an open transaction with an id, older than the append
        await patient.appendToStream('fast-2', [testEvent('FastEvent')]);
        await expect(patient.readForSubscription({})).resolves.toEqual({ events: [], heldBack: true });

        const seenPromise = collect(patient, {}, (seen) => seen.length >= 1);
        while (heldBackReads.filter(Boolean).length < 3) await new Promise((resolve) => setImmediate(resolve));
        await older.query('commit'); // ends the older transaction: no append, no wake-up
        const seen = await seenPromise;
        expect(seen.map((e) => e.type)).toEqual(['FastEvent']);
        await expect(patient.readForSubscription({})).resolves.toEqual({ events: [expect.objectContaining({ type: 'FastEvent' })], heldBack: false });
      } finally {
        older.release();
        await patient.close();
      }
    });
  });

  describe('when transaction ids differ in their number of digits', () => {
    // Past transaction ids written directly (8 to 100): what a server whose xid counter crosses a power
    // of ten (99999 -> 100000) produces. Sorting them as text ('10' < '100' < '8') once made a batch end
    // on a smaller position than it contained, so the subscriber's checkpoint went backwards.
    const xids = ['8', '9', '10', '11', '99', '100'];

    beforeEach(async () => {
      for (const [i, xid] of xids.entries()) {
        await database.pool.query(
          `insert into ordering.events (transaction_id, stream_id, stream_category, stream_version, event_id, event_type, data, metadata)
           values ($1::text::xid8, 'digits-1', 'digits', $2, $3, $4, '{}', $5)`,
          [xid, i + 1, randomUUID(), `Xid${xid}`, JSON.stringify(testEvent(`Xid${xid}`).metadata)],
        );
      }
    });

    it('reads them in numeric order, and the head is the greatest', async () => {
      expect((await store.readAll()).map((e) => e.position.commit)).toEqual(xids.map(BigInt));
      expect(await store.headPosition()).toEqual(expect.objectContaining({ commit: 100n }));
    });

    it('delivers each of them once, in order, across small batches', async () => {
      const small = new PostgresEventStore({ pool: database.pool, schema: 'ordering', idleMs: 20, batchSize: 2 });
      try {
        const seen = await collect(small, {}, (s) => s.length >= xids.length, 5_000);
        expect(describeDelivery(seen, xids.map((xid) => `Xid${xid}`), (e) => e.type)).toEqual({ duplicates: [], missing: [], outOfOrder: [] });
        expect(seen.map((e) => e.type)).toEqual(xids.map((xid) => `Xid${xid}`));
      } finally {
        await small.close();
      }
    });
  });

  describe('with many concurrent appenders and a live subscriber', () => {
    it('delivers every event exactly once, in an order consistent with every stream', async () => {
      const appenders = 16;
      const appendsPerAppender = 40;
      const streams = Array.from({ length: 8 }, (_, i) => `account-${i}`);
      const total = appenders * appendsPerAppender * 2;

      const seenPromise = collect(store, {}, (seen) => seen.length >= total, 60_000);
      const appended: string[] = [];
      await Promise.all(
        Array.from({ length: appenders }, async (_, appender) => {
          for (let n = 0; n < appendsPerAppender; n++) {
            const events = [testEvent('Deposited', { appender, n }), testEvent('Withdrawn', { appender, n })];
            await store.appendToStream(streams[(appender + n) % streams.length], events);
            appended.push(...events.map((e) => e.metadata.eventId));
          }
        }),
      );
      const seen = await seenPromise;

      // Names every duplicated, missing or out-of-order event with its position, not just a count.
      expect(describeDelivery(seen, appended, (e) => e.metadata.eventId)).toEqual({ duplicates: [], missing: [], outOfOrder: [] });
      expect(seen).toHaveLength(total);
      expectStreamVersionsInOrder(seen);
    }, 60_000);
  });
});

/** What went wrong in a delivery: events seen more than once, never seen, or not after their predecessor. */
function describeDelivery(seen: RecordedEvent[], expectedKeys: readonly string[], key: (event: RecordedEvent) => string) {
  const describe = (e: RecordedEvent, index: number) => `#${index} ${key(e)} ${e.streamId}@${e.streamVersion} at ${formatPosition(e.position)}`;
  const byKey = new Map<string, string[]>();
  seen.forEach((e, index) => byKey.set(key(e), [...(byKey.get(key(e)) ?? []), describe(e, index)]));
  return {
    duplicates: [...byKey.values()].filter((deliveries) => deliveries.length > 1),
    missing: expectedKeys.filter((k) => !byKey.has(k)),
    outOfOrder: seen.flatMap((e, i) =>
      i > 0 && comparePositions(seen[i - 1].position, e.position) >= 0 ? [`${describe(e, i)} after ${describe(seen[i - 1], i - 1)}`] : [],
    ),
  };
}

function expectStreamVersionsInOrder(events: RecordedEvent[]): void {
  const lastVersion = new Map<string, number>();
  for (const event of events) {
    expect(event.streamVersion).toBe((lastVersion.get(event.streamId) ?? 0) + 1);
    lastVersion.set(event.streamId, event.streamVersion);
  }
}

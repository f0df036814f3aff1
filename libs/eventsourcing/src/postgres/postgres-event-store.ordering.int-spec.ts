import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { collect, testEvent } from '../store/event-store.contract';
import { RecordedEvent } from '../store/event-store.port';
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

      expect(seen).toHaveLength(total);
      const ids = seen.map((e) => e.metadata.eventId);
      expect(new Set(ids).size).toBe(total);
      expect(new Set(ids)).toEqual(new Set(appended));
      expectStreamVersionsInOrder(seen);
    });
  });
});

function expectStreamVersionsInOrder(events: RecordedEvent[]): void {
  const lastVersion = new Map<string, number>();
  for (const event of events) {
    expect(event.streamVersion).toBe((lastVersion.get(event.streamId) ?? 0) + 1);
    lastVersion.set(event.streamId, event.streamVersion);
  }
}

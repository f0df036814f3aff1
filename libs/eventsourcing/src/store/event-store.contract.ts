import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from './errors';
import { comparePositions, EventStore, EventToAppend, NO_STREAM, RecordedEvent, START, STREAM_EXISTS } from './event-store.port';

export interface EventStoreFixture {
  store: EventStore;
  teardown(): Promise<void>;
}

export function testEvent(type: string, data: unknown = {}, overrides: Partial<EventToAppend['metadata']> = {}): EventToAppend {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      correlationId: 'correlation-1',
      causationId: null,
      actorId: 'user-1',
      networkId: 'network-1',
      occurredAt: '2026-01-15T10:00:00.000Z',
      ...overrides,
    },
  };
}

/** Collects what a subscription delivers until `until` holds (or fails after `timeoutMs`). */
export async function collect(store: EventStore, options: Parameters<EventStore['subscribeToAll']>[0], until: (seen: RecordedEvent[]) => boolean, timeoutMs = 10_000) {
  const seen: RecordedEvent[] = [];
  let resolveDone!: () => void;
  const reached = new Promise<void>((resolve) => (resolveDone = resolve));
  const subscription = store.subscribeToAll(options, async (events) => {
    seen.push(...events);
    if (until(seen)) resolveDone();
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`subscription saw ${seen.length} events before the time-out`)), timeoutMs);
  });
  try {
    await Promise.race([reached, timeout, subscription.done.then(() => timeout)]);
  } finally {
    clearTimeout(timer);
    await subscription.stop();
  }
  return seen;
}

/**
 * The behaviour every event store adapter must have. Each adapter's test file calls it with a factory
 * that returns a fresh, empty store.
 */
export interface EventStoreContractOptions {
  /** False for an adapter that cannot append to several streams in one transaction (EventStoreDB): the all-or-nothing cases are skipped. */
  atomicMultiStream?: boolean;
}

export function eventStoreContract(name: string, createFixture: () => Promise<EventStoreFixture>, contractOptions: EventStoreContractOptions = {}): void {
  describe(`${name} event store (contract)`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    const id = () => randomUUID().replace(/-/g, '');

    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterEach(() => fixture.teardown());

    describe('appending to several streams', () => {
      it('records every stream, each with its own versions, results in the order given', async () => {
        const a = `order-${id()}`;
        const b = `invoice-${id()}`;
        await store.appendToStream(b, [testEvent('InvoiceDrafted')], { expectedVersion: NO_STREAM });
        const results = await store.appendToStreams([
          { streamId: a, events: [testEvent('OrderPlaced'), testEvent('OrderPaid')], expectedVersion: NO_STREAM },
          { streamId: b, events: [testEvent('InvoiceIssued')], expectedVersion: 1 },
        ]);
        expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2]);
        expect((await store.readStream(a)).map((e) => e.type)).toEqual(['OrderPlaced', 'OrderPaid']);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['InvoiceDrafted', 'InvoiceIssued']);
        const all = await store.readAll();
        expect(comparePositions(all[all.length - 1].position, results[1].position)).toBe(0);
      });

      it('refuses a stream named twice', async () => {
        const a = `order-${id()}`;
        await expect(store.appendToStreams([{ streamId: a, events: [testEvent('A')] }, { streamId: a, events: [testEvent('B')] }])).rejects.toThrow(/twice/);
        expect(await store.readStream(a)).toEqual([]);
      });

      (contractOptions.atomicMultiStream === false ? it.skip : it)('writes nothing when one expected version is wrong, whichever stream it is', async () => {
        const a = `order-${id()}`;
        const b = `invoice-${id()}`;
        await store.appendToStream(b, [testEvent('InvoiceDrafted')]);
        await expect(
          store.appendToStreams([
            { streamId: a, events: [testEvent('OrderPlaced')], expectedVersion: NO_STREAM },
            { streamId: b, events: [testEvent('InvoiceIssued')], expectedVersion: NO_STREAM },
          ]),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(a)).toEqual([]);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['InvoiceDrafted']);
      });

      (contractOptions.atomicMultiStream === false ? it.skip : it)('writes nothing when the data of the last stream cannot be stored', async () => {
        const a = `order-${id()}`;
        const b = `invoice-${id()}`;
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await expect(
          store.appendToStreams([
            { streamId: a, events: [testEvent('OrderPlaced')], expectedVersion: NO_STREAM },
            { streamId: b, events: [testEvent('InvoiceIssued', cyclic)], expectedVersion: NO_STREAM },
          ]),
        ).rejects.toThrow();
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toEqual([]);
        expect((await store.readAll()).filter((e) => e.streamId === a || e.streamId === b)).toEqual([]);
      });

      it('lets two multi-stream appends over the same streams in opposite orders both finish, one after the other', async () => {
        const a = `order-${id()}`;
        const b = `invoice-${id()}`;
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) =>
            store.appendToStreams(
              i % 2 === 0
                ? [{ streamId: a, events: [testEvent('A')] }, { streamId: b, events: [testEvent('B')] }]
                : [{ streamId: b, events: [testEvent('B')] }, { streamId: a, events: [testEvent('A')] }],
            ),
          ),
        );
        expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
        expect((await store.readStream(a)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6]);
        expect((await store.readStream(b)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6]);
      });
    });

    describe('appending to a stream', () => {
      it('records events with versions from 1, their data and metadata', async () => {
        const streamId = `order-${id()}`;
        const first = testEvent('OrderPlaced', { amount: 3, lines: [{ sku: 'a' }] });
        const result = await store.appendToStream(streamId, [first, testEvent('OrderPaid')], { expectedVersion: NO_STREAM });
        expect(result.nextExpectedVersion).toBe(2);

        const events = await store.readStream(streamId);
        expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
          [1, 'OrderPlaced'],
          [2, 'OrderPaid'],
        ]);
        expect(events[0].data).toEqual({ amount: 3, lines: [{ sku: 'a' }] });
        expect(events[0].metadata).toEqual(first.metadata);
        expect(events[0].streamId).toBe(streamId);
        expect(events[0].recordedAt).toBeInstanceOf(Date);
        expect(comparePositions(events[1].position, result.position)).toBe(0);
      });

      it('appends at the exact expected version', async () => {
        const streamId = `order-${id()}`;
        await store.appendToStream(streamId, [testEvent('A')], { expectedVersion: NO_STREAM });
        const result = await store.appendToStream(streamId, [testEvent('B')], { expectedVersion: 1 });
        expect(result.nextExpectedVersion).toBe(2);
      });

      it.each([
        ['an exact version that is behind', 0],
        ['"no stream" on an existing stream', NO_STREAM],
      ] as const)('refuses %s, writing nothing', async (_label, expectedVersion) => {
        const streamId = `order-${id()}`;
        await store.appendToStream(streamId, [testEvent('A')]);
        await expect(store.appendToStream(streamId, [testEvent('B')], { expectedVersion })).rejects.toMatchObject({
          code: 'WRONG_EXPECTED_VERSION',
          actual: 1,
        });
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('refuses "stream exists" on a missing stream, and accepts it on an existing one', async () => {
        const streamId = `order-${id()}`;
        await expect(store.appendToStream(streamId, [testEvent('A')], { expectedVersion: STREAM_EXISTS })).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        await store.appendToStream(streamId, [testEvent('A')], { expectedVersion: NO_STREAM });
        await expect(store.appendToStream(streamId, [testEvent('B')], { expectedVersion: STREAM_EXISTS })).resolves.toMatchObject({
          nextExpectedVersion: 2,
        });
      });

      it('appends at any version when none is expected', async () => {
        const streamId = `order-${id()}`;
        await store.appendToStream(streamId, [testEvent('A')]);
        await store.appendToStream(streamId, [testEvent('B')]);
        expect((await store.readStream(streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
      });

      it('lets exactly one of two concurrent appends at the same version win', async () => {
        const streamId = `order-${id()}`;
        await store.appendToStream(streamId, [testEvent('A')]);
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => store.appendToStream(streamId, [testEvent(`B${i}`)], { expectedVersion: 1 })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('refuses an event id that is already recorded, writing nothing of the batch', async () => {
        const streamId = `order-${id()}`;
        const event = testEvent('A');
        await store.appendToStream(streamId, [event]);
        await expect(store.appendToStream(`order-${id()}`, [testEvent('B'), event])).rejects.toThrow();
        expect(await store.readAll()).toHaveLength(1);
      });
    });

    describe('reading a stream', () => {
      it('reads from a version, up to a count, and nothing for a missing stream', async () => {
        const streamId = `order-${id()}`;
        await store.appendToStream(streamId, ['A', 'B', 'C', 'D'].map((t) => testEvent(t)));
        expect((await store.readStream(streamId, { fromVersion: 2, maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
        expect(await store.readStream(`order-${id()}`)).toEqual([]);
      });
    });

    describe('reading the global log', () => {
      it('returns every stream in append order, after a position, filtered by category', async () => {
        const a = `order-${id()}`;
        const b = `invoice-${id()}`;
        await store.appendToStream(a, [testEvent('A1')]);
        await store.appendToStream(b, [testEvent('B1')]);
        await store.appendToStream(a, [testEvent('A2')]);

        const all = await store.readAll();
        expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'A2']);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1].position, all[i].position)).toBeLessThan(0);

        expect((await store.readAll({ after: all[0].position })).map((e) => e.type)).toEqual(['B1', 'A2']);
        expect((await store.readAll({ categories: ['order'] })).map((e) => e.type)).toEqual(['A1', 'A2']);
        expect((await store.readAll({ maxCount: 2 })).map((e) => e.type)).toEqual(['A1', 'B1']);
        expect(await store.readAll({ after: all[2].position })).toEqual([]);
      });
    });

    describe('subscribing to the global log', () => {
      it('catches up, then delivers live events, filtered by category', async () => {
        await store.appendToStream(`order-${id()}`, [testEvent('Past')]);
        await store.appendToStream(`invoice-${id()}`, [testEvent('Other')]);
        const seenPromise = collect(store, { after: START, categories: ['order'] }, (seen) => seen.length >= 3);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.appendToStream(`order-${id()}`, [testEvent('Live1'), testEvent('Live2')]);
        await store.appendToStream(`invoice-${id()}`, [testEvent('Ignored')]);
        const seen = await seenPromise;
        expect(seen.map((e) => e.type)).toEqual(['Past', 'Live1', 'Live2']);
      });

      it('starts after the given checkpoint', async () => {
        await store.appendToStream(`order-${id()}`, [testEvent('Old')]);
        const [old] = await store.readAll();
        await store.appendToStream(`order-${id()}`, [testEvent('New')]);
        const seen = await collect(store, { after: old.position }, (s) => s.length >= 1);
        expect(seen.map((e) => e.type)).toEqual(['New']);
      });

      it('stops, and reports a failing handler through `done`', async () => {
        await store.appendToStream(`order-${id()}`, [testEvent('A')]);
        const subscription = store.subscribeToAll({}, async () => {
          throw new Error('projection broke');
        });
        await expect(subscription.done).rejects.toThrow('projection broke');
        await subscription.stop();
      });
    });

    describe("large streams", () => {
      it('reads a large batch in order', async () => {
        const streamId = `order-${id()}`;
        await store.appendToStream(streamId, Array.from({ length: 300 }, (_, i) => testEvent('N', { i })));
        const events = await store.readStream(streamId);
        expect(events.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 300 }, (_, i) => i));
      });
    });
  });
}

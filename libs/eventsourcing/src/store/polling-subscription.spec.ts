import { comparePositions, ReadAllOptions, RecordedEvent, START } from './event-store.port';
import { pollingSubscription } from './polling-subscription';

const recorded = (n: number): RecordedEvent => ({
  streamId: `s-${n}`,
  streamVersion: 1,
  position: { commit: BigInt(n), prepare: BigInt(n) },
  type: 'Happened',
  data: { n },
  metadata: { eventId: `e${n}`, correlationId: 'c', causationId: 'c', actorId: 'test', networkId: null, occurredAt: '2026-01-01T00:00:00.000Z' },
  recordedAt: new Date(0),
});

/** A log the test appends to, that says which reads it served. */
function log(initial: number) {
  const events = Array.from({ length: initial }, (_, i) => recorded(i + 1));
  const reads: string[] = [];
  return {
    events,
    reads,
    source: {
      async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
        const after = options.after ?? START;
        reads.push(`read after ${after.prepare}`);
        const answer = events.filter((event) => comparePositions(event.position, after) > 0).slice(0, options.maxCount);
        return answer;
      },
    },
  };
}

describe('pollingSubscription', () => {
  it('reads the next batch while the handler takes a full one, and delivers every event once, in order', async () => {
    const store = log(5);
    const delivered: number[] = [];
    let allDelivered!: () => void;
    const finished = new Promise<void>((resolve) => (allDelivered = resolve));
    const subscription = pollingSubscription(
      store.source,
      { batchSize: 2, idleMs: 60_000 },
      async (events) => {
        store.reads.push(`handle ${events.map((event) => (event.data as { n: number }).n).join(',')}`);
        // Let the read ahead run before this batch's handling ends, as a database's would beside a transaction.
        await new Promise((resolve) => setImmediate(resolve));
        delivered.push(...events.map((event) => (event.data as { n: number }).n));
        store.reads.push('handled');
        if (delivered.length === 5) allDelivered();
      },
      () => () => undefined,
    );
    await finished;
    await subscription.stop();
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
    // Each full batch's successor is read before the batch is handled; the last, short batch reads nothing ahead.
    expect(store.reads).toEqual(['read after 0', 'read after 2', 'handle 1,2', 'handled', 'read after 4', 'handle 3,4', 'handled', 'handle 5', 'handled']);
  });

  it('keeps a wake-up that comes while a batch is handled after its successor was read ahead: the events it announces come without the idle delay', async () => {
    const store = log(2);
    let wake!: () => void;
    const delivered: number[] = [];
    let third!: () => void;
    const thirdDelivered = new Promise<void>((resolve) => (third = resolve));
    const subscription = pollingSubscription(
      store.source,
      // An idle delay no test waits for: only the wake-up can bring the third event.
      { batchSize: 2, idleMs: 3_600_000 },
      async (events) => {
        const numbers = events.map((event) => (event.data as { n: number }).n);
        delivered.push(...numbers);
        // An append commits while the first batch is handled, after the read ahead has found nothing more.
        if (numbers[0] === 1) {
          store.events.push(recorded(3));
          wake();
        }
        if (numbers.includes(3)) third();
      },
      (w) => {
        wake = w;
        return () => undefined;
      },
    );
    await thirdDelivered;
    await subscription.stop();
    expect(delivered).toEqual([1, 2, 3]);
    expect(store.reads).toEqual(['read after 0', 'read after 2', 'read after 2']);
  });
});

import { Decider, DomainError } from '@cnrms/decider';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store';
import { AppendResult, EventStore } from '../store/event-store.port';
import { handleCommand, handleMultiStreamCommand } from './command-handler';

type CounterEvent = { type: 'Incremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; data: { by: number; max: number } };
const counter: Decider<CounterCommand, CounterEvent, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command, state) => {
    if (command.data.by === 0) return [];
    if (state.total + command.data.by > command.data.max) throw new DomainError('OVER_MAX', 'Too much');
    return [{ type: 'Incremented', data: { by: command.data.by } }];
  },
};
const context = { actorId: 'user-7', correlationId: 'corr-1', causationId: 'cause-1', networkId: 'network-9' };
const increment = (by: number, max = 100): CounterCommand => ({ type: 'Increment', data: { by, max } });

describe('handleCommand', () => {
  let store: InMemoryEventStore;
  beforeEach(() => (store = new InMemoryEventStore()));

  it('records the decided events with the metadata of the context', async () => {
    const result = await handleCommand(store, counter, 'counter-1', increment(2), context, { clock: () => new Date('2026-03-01T08:00:00Z') });
    expect(result.state).toEqual({ total: 2 });
    expect(result.version).toBe(1);
    const [event] = await store.readStream('counter-1');
    expect(event.metadata).toMatchObject({ ...context, occurredAt: '2026-03-01T08:00:00.000Z', schemaVersion: 1 });
    expect(event.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('decides on the state folded from the stream', async () => {
    await handleCommand(store, counter, 'counter-1', increment(60), context);
    await expect(handleCommand(store, counter, 'counter-1', increment(60), context)).rejects.toMatchObject({ code: 'OVER_MAX' });
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });

  it('appends nothing when the command changes nothing', async () => {
    const result = await handleCommand(store, counter, 'counter-1', increment(0), context);
    expect(result.events).toEqual([]);
    expect(await store.readAll()).toEqual([]);
  });

  describe('when another writer appends in between', () => {
    it('decides again on the new state and succeeds', async () => {
      const racing = raceOnce(store, async () => {
        await store.appendToStream('counter-1', [{ type: 'Incremented', data: { by: 50 }, metadata: { ...context, eventId: crypto.randomUUID(), occurredAt: '' } }]);
      });
      const result = await handleCommand(racing, counter, 'counter-1', increment(10), context);
      expect(result.state).toEqual({ total: 60 });
      expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([{ by: 50 }, { by: 10 }]);
    });

    it('gives up with a conflict error after the bounded attempts', async () => {
      let n = 0;
      const alwaysRacing: EventStore = Object.create(store);
      alwaysRacing.appendToStream = async (...args): Promise<AppendResult> => {
        await store.appendToStream('counter-1', [{ type: 'Incremented', data: { by: 1 }, metadata: { ...context, eventId: `race-${n++}`, occurredAt: '' } }]);
        return store.appendToStream(...args);
      };
      await expect(handleCommand(alwaysRacing, counter, 'counter-1', increment(1), context, { maxAttempts: 3 })).rejects.toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        kind: 'CONFLICT',
      });
      expect(n).toBe(3);
    });
  });
});

/** A store whose first append is preceded by `race` (someone else writing after our read). */
function raceOnce(store: EventStore, race: () => Promise<void>): EventStore {
  let raced = false;
  const racing: EventStore = Object.create(store);
  racing.appendToStream = async (...args) => {
    if (!raced) {
      raced = true;
      await race();
    }
    return store.appendToStream(...args);
  };
  return racing;
}

describe('handleMultiStreamCommand', () => {
  let store: InMemoryEventStore;
  beforeEach(() => (store = new InMemoryEventStore()));

  it('appends every stream decided, in one change, with the states it decided on', async () => {
    await handleCommand(store, counter, 'counter-b', increment(5), context);
    const result = await handleMultiStreamCommand(store, context, async (tx) => {
      const a = await tx.decide(counter, 'counter-a', increment(1));
      const b = await tx.decide(counter, 'counter-b', increment(a.state.total + 1));
      return b.state.total;
    });
    expect(result.value).toBe(7);
    expect(result.events).toEqual([
      { streamId: 'counter-a', type: 'Incremented' },
      { streamId: 'counter-b', type: 'Incremented' },
    ]);
    expect((await store.readStream('counter-b')).map((e) => e.data)).toEqual([{ by: 5 }, { by: 2 }]);
    expect(result.position).toEqual((await store.readAll()).pop()!.position);
  });

  it('writes nothing when a later stream refuses', async () => {
    await expect(
      handleMultiStreamCommand(store, context, async (tx) => {
        await tx.decide(counter, 'counter-a', increment(1));
        await tx.decide(counter, 'counter-b', increment(500));
      }),
    ).rejects.toMatchObject({ code: 'OVER_MAX' });
    expect(await store.readAll()).toEqual([]);
  });

  it('writes nothing when the append fails, and a retry records the change once', async () => {
    const failing: EventStore = Object.create(store);
    failing.appendToStreams = async () => {
      throw new Error('connection lost');
    };
    const body = async (tx: Parameters<Parameters<typeof handleMultiStreamCommand>[2]>[0]) => {
      await tx.decide(counter, 'counter-a', increment(1));
      await tx.decide(counter, 'counter-b', increment(1));
    };
    await expect(handleMultiStreamCommand(failing, context, body)).rejects.toThrow('connection lost');
    expect(await store.readAll()).toEqual([]);
    await handleMultiStreamCommand(store, context, body);
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['counter-a', 'counter-b']);
  });

  it('decides the whole command again when another writer changed one of its streams', async () => {
    let raced = false;
    const racing: EventStore = Object.create(store);
    racing.appendToStreams = async (appends) => {
      if (!raced) {
        raced = true;
        await store.appendToStream('counter-b', [{ type: 'Incremented', data: { by: 95 }, metadata: { ...context, eventId: crypto.randomUUID(), occurredAt: '' } }]);
      }
      return store.appendToStreams(appends);
    };
    let runs = 0;
    const result = await handleMultiStreamCommand(racing, context, async (tx) => {
      runs++;
      await tx.decide(counter, 'counter-a', increment(1));
      return (await tx.decide(counter, 'counter-b', increment(3))).state.total;
    });
    expect(runs).toBe(2);
    expect(result.value).toBe(98);
    expect((await store.readStream('counter-a')).map((e) => e.data)).toEqual([{ by: 1 }]);
  });

  it('gives up with a conflict error after the bounded attempts, having written nothing of its own', async () => {
    let n = 0;
    const alwaysRacing: EventStore = Object.create(store);
    alwaysRacing.appendToStreams = async (appends) => {
      await store.appendToStream('counter-b', [{ type: 'Incremented', data: { by: 1 }, metadata: { ...context, eventId: `race-${n++}`, occurredAt: '' } }]);
      return store.appendToStreams(appends);
    };
    await expect(
      handleMultiStreamCommand(alwaysRacing, context, async (tx) => {
        await tx.decide(counter, 'counter-a', increment(1));
        await tx.decide(counter, 'counter-b', increment(1));
      }),
    ).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(await store.readStream('counter-a')).toEqual([]);
  });
});

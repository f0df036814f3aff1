import { EventStoreDBClient, WrongExpectedVersionError as EsdbWrongExpectedVersionError } from '@eventstore/db-client';
import { PassThrough } from 'node:stream';
import { testEvent } from '../store/event-store.contract';
import { EventStoreDbEventStore, toExpectedRevision, toReadPosition } from './eventstoredb-event-store';

/** Unit checks of the mapping with a fake client; the full contract runs in the int-spec against a server. */
function recorded(streamId: string, revision: number, commit: number, type = 'T') {
  const e = testEvent(type);
  return {
    event: {
      streamId,
      id: e.metadata.eventId,
      revision: BigInt(revision),
      type,
      created: new Date(),
      data: { n: commit },
      metadata: e.metadata,
      isJson: true,
      position: { commit: BigInt(commit), prepare: BigInt(commit) },
    },
  };
}

function fakeSubscription() {
  const stream = new PassThrough({ objectMode: true }) as PassThrough & { unsubscribe(): Promise<void> };
  stream.unsubscribe = async () => void stream.destroy();
  return stream;
}

describe('EventStoreDB adapter mapping', () => {
  it('maps expected versions to revisions', () => {
    expect(toExpectedRevision('no_stream')).toBe('no_stream');
    expect(toExpectedRevision('any')).toBe('any');
    expect(toExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toExpectedRevision(0)).toBe('no_stream');
    expect(toExpectedRevision(3)).toBe(2n);
    expect(() => toExpectedRevision(-1)).toThrow(RangeError);
    expect(toReadPosition({ commit: 0n, prepare: 0n })).toBe('start');
    expect(toReadPosition({ commit: 5n, prepare: 4n })).toEqual({ commit: 5n, prepare: 4n });
  });

  it('maps a wrong expected version to the port error with the actual version', async () => {
    const client = {
      appendToStream: jest.fn(async () => {
        throw new EsdbWrongExpectedVersionError(undefined, { streamName: 'p.order-1', expected: 'no_stream', current: 0n });
      }),
    } as unknown as EventStoreDBClient;
    const store = new EventStoreDbEventStore({ client, streamPrefix: 'p.', uniqueEventIds: false });
    await expect(store.appendToStream('order-1', [testEvent('A')], { expectedVersion: 'no_stream' })).rejects.toMatchObject({
      code: 'WRONG_EXPECTED_VERSION',
      streamId: 'order-1',
      actual: 1,
    });
    expect((client.appendToStream as jest.Mock).mock.calls[0][0]).toBe('p.order-1');
    expect((client.appendToStream as jest.Mock).mock.calls[0][2]).toEqual({ expectedRevision: 'no_stream' });
  });

  it('reads $all until caught up, leaving out other prefixes, system streams and the start position', async () => {
    const sub = fakeSubscription();
    const client = { subscribeToAll: jest.fn(() => sub) } as unknown as EventStoreDBClient;
    const store = new EventStoreDbEventStore({ client, streamPrefix: 'p.' });
    const read = store.readAll({ after: { commit: 10n, prepare: 10n }, categories: ['order'] });
    sub.write(recorded('p.order-1', 0, 10)); // at the checkpoint: excluded
    sub.write(recorded('p.order-1', 1, 11));
    sub.write(recorded('q.order-1', 0, 12));
    sub.write(recorded('p.$eventid-x', 0, 13));
    sub.write(recorded('p.invoice-1', 0, 14));
    sub.write(recorded('p.order-2', 0, 15));
    setImmediate(() => sub.emit('caughtUp'));
    const events = await read;
    expect(events.map((e) => [e.streamId, e.streamVersion])).toEqual([
      ['order-1', 2],
      ['order-2', 1],
    ]);
    const options = (client.subscribeToAll as jest.Mock).mock.calls[0][0];
    expect(options.fromPosition).toEqual({ commit: 10n, prepare: 10n });
    expect(options.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['p.order-'] });
  });

  it('delivers batches one at a time, waiting for the handler, and stops', async () => {
    const sub = fakeSubscription();
    const client = { subscribeToAll: jest.fn(() => sub) } as unknown as EventStoreDBClient;
    const store = new EventStoreDbEventStore({ client, batchSize: 2 });
    const batches: number[][] = [];
    let active = 0;
    let overlap = false;
    const subscription = store.subscribeToAll({}, async (events) => {
      overlap ||= active++ > 0;
      batches.push(events.map((e) => Number(e.position.commit)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
    });
    for (let i = 1; i <= 5; i++) sub.write(recorded(`order-${i}`, 0, i));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    await expect(subscription.done).resolves.toBeUndefined();
    expect(overlap).toBe(false);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(2);
    expect((client.subscribeToAll as jest.Mock).mock.calls[0][0].filter).toMatchObject({ filterOn: 'streamName', regex: '^[^$]' });
  });

  it('rejects `done` when the handler fails', async () => {
    const sub = fakeSubscription();
    const client = { subscribeToAll: jest.fn(() => sub) } as unknown as EventStoreDBClient;
    const onError = jest.fn();
    const subscription = new EventStoreDbEventStore({ client }).subscribeToAll({ onError }, async () => {
      throw new Error('projection broke');
    });
    sub.write(recorded('order-1', 0, 1));
    await expect(subscription.done).rejects.toThrow('projection broke');
    expect(onError).toHaveBeenCalled();
    await subscription.stop();
  });
});

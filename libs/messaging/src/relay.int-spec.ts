import { randomUUID } from 'node:crypto';
import { comparePositions, GlobalPosition, PostgresEventStore, RecordedEvent, START } from '@cnrms/eventsourcing';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { readCheckpoint } from './checkpoints';
import { IntegrationEvent } from './envelope';
import { KafkaMessageBus } from './kafka-bus';
import { Consumer, MessageBus } from './message-bus.port';
import { PostgresMessageBus } from './postgres-bus';
import { Relay, startRelay, Translator } from './relay';
import { assertKafkaReachable, eventually, kafkaBrokers, testRegistry, ThingHappened } from './testing';

interface BusFactory {
  name: string;
  /** Fails (never skips) when the bus's infrastructure is not there. */
  probe(): Promise<void>;
  create(database: TestDatabase): Promise<{ bus: MessageBus; createTopic(name: string): Promise<void> }>;
}

const buses: BusFactory[] = [
  {
    name: 'PostgreSQL',
    probe: async () => undefined,
    create: async (database) => ({
      bus: new PostgresMessageBus({ pool: database.pool, registry: testRegistry(), idleMs: 20 }),
      createTopic: async () => undefined,
    }),
  },
  {
    name: 'Kafka',
    probe: () => assertKafkaReachable(),
    create: async () => {
      const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'relay-tests', registry: testRegistry() });
      return { bus, createTopic: (name) => bus.ensureTopics([{ name, partitions: 3, retentionMs: 3_600_000 }]) };
    },
  },
];

/** The key of an integration event: the aggregate id, i.e. the stream id without its category. */
const aggregateId = (streamId: string) => streamId.slice(streamId.indexOf('-') + 1);

describe.each(buses)('relay on the $name bus', (factory) => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let bus: MessageBus;
  let topic: string;
  let relayName: string;
  let relay: Relay | undefined;
  let consumer: Consumer | undefined;
  const relayErrors: unknown[] = [];
  /** Every domain event appended, in append order, and the position of the last one the relay reads. */
  let appended: { eventId: string; streamId: string; type: string; n: number }[];
  let lastRelayed: GlobalPosition;

  const translate: Translator = (recorded: RecordedEvent) => {
    if (recorded.type !== 'ThingRecorded') return null;
    const data = recorded.data as { thingId: string; n: number };
    return { type: ThingHappened.type, version: 1, topic, key: aggregateId(recorded.streamId), payload: { thingId: data.thingId, n: data.n } };
  };

  async function append(streamId: string, ns: number[], type = 'ThingRecorded'): Promise<void> {
    const events = ns.map((n) => ({
      type,
      data: { thingId: aggregateId(streamId), n },
      metadata: { eventId: randomUUID(), correlationId: `corr-${n}`, causationId: null, actorId: 'user-1', networkId: 'net-1', occurredAt: new Date().toISOString() },
    }));
    const result = await store.appendToStream(streamId, events);
    appended.push(...events.map((e, i) => ({ eventId: e.metadata.eventId, streamId, type, n: ns[i] })));
    if (['thing', 'gadget'].includes(streamId.split('-')[0]) && comparePositions(result.position, lastRelayed) > 0) lastRelayed = result.position;
  }

  /** A few streams of two categories, several appends each (the relay reads them in several batches). */
  async function appendSome(from: number, count: number, type?: (n: number) => string): Promise<void> {
    for (let n = from; n < from + count; n++) {
      const streamId = [`thing-a`, `thing-b`, `gadget-c`][n % 3];
      await append(streamId, [n], type?.(n));
    }
  }

  const seen = async () =>
    (await database.pool.query<{ event_id: string; key: string; n: number; correlation_id: string }>('select event_id, key, n, correlation_id from consumer.seen order by position')).rows;
  const checkpoint = () => readCheckpoint(database.pool, 'svc', `relay:${relayName}`);

  async function subscribe(): Promise<Consumer> {
    return bus.subscribe({
      group: `relay-test-${randomUUID().slice(0, 8)}`,
      topics: [topic],
      pool: database.pool,
      schema: 'consumer',
      retryDelayMs: 20,
      handler: async (event, tx) => {
        const { n } = event.payload as { n: number };
        await tx.query('insert into consumer.seen (event_id, key, n, correlation_id) values ($1, $2, $3, $4)', [event.eventId, event.key, n, event.correlationId]);
      },
    });
  }

  function relayOn(target: MessageBus, translator: Translator = translate): Promise<Relay> {
    return startRelay({
      name: relayName,
      store,
      pool: database.pool,
      schema: 'svc',
      categories: ['thing', 'gadget'],
      translate: translator,
      bus: target,
      registry: testRegistry(),
      retryDelayMs: 50,
      onError: (error) => relayErrors.push(error),
    });
  }

  /** Each translated domain event exactly once, with the domain event's id, its correlation id and per-key order. */
  async function expectEachOnce(expected: typeof appended): Promise<void> {
    const rows = await eventually(seen, (r) => r.length >= expected.length, 60_000);
    // Give a late duplicate the time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const final = await seen();
    expect(final).toHaveLength(expected.length);
    expect(final.map((r) => r.event_id).sort()).toEqual(expected.map((e) => e.eventId).sort());
    for (const key of ['a', 'b', 'c']) {
      expect(final.filter((r) => r.key === key).map((r) => r.n)).toEqual(expected.filter((e) => aggregateId(e.streamId) === key).map((e) => e.n));
    }
    const byId = new Map(expected.map((e) => [e.eventId, e]));
    for (const row of rows) expect(row.correlation_id).toBe(`corr-${byId.get(row.event_id)?.n}`);
  }

  beforeAll(() => factory.probe(), 30_000);

  beforeEach(async () => {
    database = await createTestDatabase(`relay_${factory.name}`);
    // Small batches: the relay publishes and checkpoints several times.
    store = new PostgresEventStore({ pool: database.pool, schema: 'svc', idleMs: 50, batchSize: 4 });
    await store.migrate();
    const created = await factory.create(database);
    bus = created.bus;
    topic = `test.relay${randomUUID().slice(0, 8)}.v1`;
    relayName = `svc-${randomUUID().slice(0, 8)}`;
    await created.createTopic(topic);
    await database.pool.query(
      'create schema consumer; create table consumer.seen (position serial primary key, event_id text not null, key text not null, n integer not null, correlation_id text not null)',
    );
    appended = [];
    lastRelayed = START;
    relayErrors.length = 0;
    relay = undefined;
    consumer = undefined;
  }, 60_000);

  afterEach(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bus.close();
    await store.close();
    await database.drop();
  }, 60_000);

  it('publishes every domain event of its categories once, with the domain event id, and checkpoints the last one', async () => {
    await appendSome(1, 12);
    await append('other-x', [100]); // a category the relay does not read
    consumer = await subscribe();
    relay = await relayOn(bus);
    await appendSome(13, 6); // live, after the catch-up
    await expectEachOnce(appended.filter((e) => !e.streamId.startsWith('other-')));
    const position = await eventually(checkpoint, (p) => comparePositions(p, lastRelayed) === 0, 10_000);
    expect(position).toEqual(lastRelayed);
    expect(relayErrors).toEqual([]);
    // Its backlog (what operators alert on): nothing left; once stopped, the events appended meanwhile of its categories only.
    expect(await relay.backlog()).toBe(0);
    await relay.stop();
    await appendSome(19, 3);
    await append('other-y', [101]);
    expect(await relay.backlog()).toBe(3);
    expect(await relay.backlog(2)).toBe(2);
  }, 90_000);

  it('republishes after a crash between the publication and the checkpoint, and the consumer keeps each event once', async () => {
    await appendSome(1, 10);
    const published: string[] = [];
    let crashes = 1;
    // The broker has the batch; the process dies before the checkpoint is written.
    const crashing: MessageBus = {
      ensureTopics: (topics) => bus.ensureTopics(topics),
      subscribe: (options) => bus.subscribe(options),
      replayDeadLetters: (name) => bus.replayDeadLetters(name),
      close: () => bus.close(),
      async publish(events: readonly IntegrationEvent[]) {
        await bus.publish(events);
        published.push(...events.map((e) => e.eventId));
        if (events.length > 0 && crashes-- > 0) throw new Error('crashed after the broker acknowledged');
      },
    };
    consumer = await subscribe();
    relay = await relayOn(crashing);
    await appendSome(11, 5);

    await expectEachOnce(appended);
    // The first batch (4 events) went to the bus twice: the consumer did see a republication.
    expect(published).toHaveLength(appended.length + 4);
    expect(new Set(published).size).toBe(appended.length);
    expect(relayErrors).toEqual([expect.objectContaining({ message: 'crashed after the broker acknowledged' })]);
    const position = await eventually(checkpoint, (p) => comparePositions(p, lastRelayed) === 0, 10_000);
    expect(position).toEqual(lastRelayed);
  }, 90_000);

  it('skips the domain events it does not translate, and still moves its checkpoint past them', async () => {
    // n % 4 === 0 is internal; 9–12 (a whole relay batch) and the last ones too.
    const internal = (n: number) => n % 4 === 0 || (n >= 9 && n <= 12) || n >= 17;
    await appendSome(1, 19, (n) => (internal(n) ? 'ThingRenamed' : 'ThingRecorded'));
    consumer = await subscribe();
    relay = await relayOn(bus);

    const expected = appended.filter((e) => e.type === 'ThingRecorded');
    expect(expected.length).toBeLessThan(appended.length);
    await expectEachOnce(expected);
    // The last domain events are skipped ones: the checkpoint is at the very last event nonetheless.
    expect(appended[appended.length - 1].type).toBe('ThingRenamed');
    const position = await eventually(checkpoint, (p) => comparePositions(p, lastRelayed) === 0, 10_000);
    expect(position).toEqual(lastRelayed);
    expect(relayErrors).toEqual([]);
  }, 90_000);
});

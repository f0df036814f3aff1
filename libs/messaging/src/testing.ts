import { ContractRegistry, defineContract } from '@cnrms/contracts';
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { z } from 'zod';
import { resumeParked } from './consume';
import { IntegrationEvent } from './envelope';
import { DeadLetter, MessageBus } from './message-bus.port';

export interface MessageBusFixture {
  bus: MessageBus;
  /** The consumer's database (its read model, idempotency records). */
  pool: Pool;
  schema: string;
  /** Creates topics for a test (Kafka needs them; the PostgreSQL bus does not). */
  createTopic(name: string): Promise<void>;
  close(): Promise<void>;
}

export const ThingHappened = defineContract({
  type: 'test.ThingHappened',
  version: 1,
  topic: 'test.thing.v1',
  schema: z.object({ thingId: z.string().min(1), n: z.number().int() }),
});
export const testRegistry = () => new ContractRegistry([ThingHappened]);
/** The same contract a version later (a `colour`, 'none' for the v1 events): what a consumer deployed later knows. */
export const testRegistryV2 = () =>
  new ContractRegistry([
    defineContract({
      ...ThingHappened,
      version: 2,
      schema: z.object({ thingId: z.string().min(1), n: z.number().int(), colour: z.string() }),
      upcasters: [{ from: 1, upcast: (payload) => ({ ...(payload as object), colour: 'none' }) }],
    }),
  ]);

export function thing(topic: string, key: string, n: number, overrides: Partial<IntegrationEvent> = {}): IntegrationEvent {
  return {
    eventId: randomUUID(),
    type: ThingHappened.type,
    version: 1,
    topic,
    key,
    payload: { thingId: key, n },
    correlationId: `corr-${n}`,
    causationId: null,
    occurredAt: new Date().toISOString(),
    networkId: 'net-1',
    ...overrides,
  };
}

/** The brokers the Kafka tests use: KAFKA_BROKERS, else the local broker of tools/kafka. */
export const kafkaBrokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

/** Fails (the tests do not skip) when no broker answers, at once rather than after the clients' retries. */
export async function assertKafkaReachable(brokers: string[] = kafkaBrokers()): Promise<void> {
  const admin = new Kafka({ clientId: 'tests-probe', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 2 } }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    throw new Error(`no Kafka broker at ${brokers.join(',')} (bash tools/kafka/kafka.sh start, or KAFKA_BROKERS): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/**
 * What every bus must do, whatever carries the messages. Each adapter's test file calls it with a
 * factory of fresh fixtures.
 */
export function messageBusContract(name: string, createFixture: () => Promise<MessageBusFixture>): void {
  // Every case holds for a consumer with its handler alone and for one that also takes a delivered batch at once.
  describe.each([
    ['event by event', false],
    ['with a batch handler', true],
  ])(`${name} message bus (contract), %s`, (_mode, withBatchHandler) => {
    let fixture: MessageBusFixture;
    let topic: string;
    let group: string;
    const deadLetters: DeadLetter[] = [];

    const seen = async () =>
      (
        await fixture.pool.query<{ event_id: string; key: string; n: number; correlation_id: string; consumer_group: string; envelope: IntegrationEvent }>(
          `select event_id, key, n, correlation_id, consumer_group, envelope from "${fixture.schema}".seen order by position`,
        )
      ).rows;

    function subscribe(handlerFails: (n: number) => boolean = () => false, consumerGroup = group) {
      const handler = async (event: IntegrationEvent, tx: PoolClient) => {
        const { n } = event.payload as { n: number };
        if (handlerFails(n)) throw new Error(`handler refuses ${n}`);
        await tx.query(`insert into "${fixture.schema}".seen (event_id, key, n, correlation_id, consumer_group, envelope) values ($1, $2, $3, $4, $5, $6)`, [
          event.eventId,
          event.key,
          n,
          event.correlationId,
          consumerGroup,
          JSON.stringify(event),
        ]);
      };
      return fixture.bus.subscribe({
        group: consumerGroup,
        topics: [topic],
        pool: fixture.pool,
        schema: fixture.schema,
        maxAttempts: 2,
        retryDelayMs: 20,
        onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
        handler,
        batchHandler: withBatchHandler
          ? async (events, tx) => {
              for (const event of events) await handler(event, tx);
            }
          : undefined,
      });
    }

    beforeEach(async () => {
      fixture = await createFixture();
      topic = `test.thing${randomUUID().slice(0, 8)}.v1`;
      group = `test-${randomUUID().slice(0, 8)}`;
      deadLetters.length = 0;
      await fixture.createTopic(topic);
      await fixture.pool.query(`create schema if not exists "${fixture.schema}"`);
      await fixture.pool.query(
        `create table "${fixture.schema}".seen (position serial primary key, event_id text not null, key text not null, n integer not null, correlation_id text not null, consumer_group text not null, envelope jsonb not null)`,
      );
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('delivers every event with its envelope, in order for each key', async () => {
      const consumer = await subscribe();
      const events = [thing(topic, 'a', 1), thing(topic, 'b', 2), thing(topic, 'a', 3), thing(topic, 'a', 4)];
      await fixture.bus.publish(events);
      const rows = await eventually(seen, (r) => r.length >= 4);
      await consumer.stop();
      expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());
      expect(rows.filter((r) => r.key === 'a').map((r) => r.n)).toEqual([1, 3, 4]);
      expect(rows.find((r) => r.n === 2)?.correlation_id).toBe('corr-2');
    }, 60_000);

    it('hands the handler the whole envelope as published', async () => {
      const consumer = await subscribe();
      const event = thing(topic, 'ms-1', 7, { causationId: 'cause-1', networkId: 'net-ara', occurredAt: '2026-03-01T10:00:00.000Z', correlationId: 'corr-x' });
      const bare = thing(topic, 'ms-2', 8, { causationId: null, networkId: null });
      await fixture.bus.publish([event, bare]);
      const rows = await eventually(seen, (r) => r.length >= 2);
      await consumer.stop();
      expect(rows.find((r) => r.n === 7)?.envelope).toEqual(event);
      expect(rows.find((r) => r.n === 8)?.envelope).toEqual(bare);
    }, 60_000);

    it('handles a redelivered event once', async () => {
      const consumer = await subscribe();
      const once = thing(topic, 'a', 1);
      await fixture.bus.publish([once]);
      await fixture.bus.publish([once, thing(topic, 'a', 2)]);
      const rows = await eventually(seen, (r) => r.some((row) => row.n === 2));
      await consumer.stop();
      expect(rows.map((r) => r.n)).toEqual([1, 2]);
    }, 60_000);

    it('dead-letters a payload that breaks its contract, and goes on', async () => {
      const consumer = await subscribe();
      const broken = thing(topic, 'a', 1, { payload: { thingId: 'a', n: 'not a number' } });
      await fixture.bus.publish([broken, thing(topic, 'a', 2)]);
      const rows = await eventually(seen, (r) => r.length >= 1);
      await consumer.stop();
      expect(rows.map((r) => r.n)).toEqual([2]);
      expect(deadLetters).toEqual([expect.objectContaining({ group, topic, eventId: broken.eventId, reason: expect.stringMatching(/n: Expected number/) })]);
    }, 60_000);

    it('dead-letters a message whose handler keeps failing, goes on, and handles it once replayed after a fix', async () => {
      let broken = true;
      const consumer = await subscribe((n) => broken && n === 1);
      await fixture.bus.publish([thing(topic, 'a', 1), thing(topic, 'b', 2)]);
      await eventually(seen, (r) => r.some((row) => row.n === 2));
      expect(deadLetters.map((d) => d.reason)).toEqual([expect.stringMatching(/handler failed 2 times: handler refuses 1/)]);

      broken = false;
      expect(await fixture.bus.replayDeadLetters(topic)).toBe(1);
      const rows = await eventually(seen, (r) => r.some((row) => row.n === 1));
      expect(await fixture.bus.replayDeadLetters(topic)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await consumer.stop();
      expect((await seen()).map((r) => r.n).sort()).toEqual([1, 2]);
      expect(rows.filter((r) => r.n === 1)).toHaveLength(1);
    }, 90_000);

    it('replays only the dead letters of the group it is asked for', async () => {
      const other = `${group}-other`;
      let broken = true;
      const failing = await subscribe((n) => broken && n === 1);
      const healthy = await subscribe(() => false, other);
      try {
        await fixture.bus.publish([thing(topic, 'a', 1), thing(topic, 'a', 2)]);
        await eventually(seen, (r) => r.filter((row) => row.consumer_group === group).length >= 1 && r.filter((row) => row.consumer_group === other).length >= 2);
        expect(deadLetters).toEqual([expect.objectContaining({ group, topic })]);

        broken = false;
        // The dead letter is recorded, but a log reader may see it a moment later (on PostgreSQL, once no older
        // transaction of the server is still open): replay until it is read, then the other group finds none of its own.
        let replayed = 0;
        await eventually(async () => (replayed += await fixture.bus.replayDeadLetters(topic, group)), (n) => n >= 1);
        expect(replayed).toBe(1);
        expect(await fixture.bus.replayDeadLetters(topic, other)).toBe(0);
        await eventually(seen, (r) => r.some((row) => row.consumer_group === group && row.n === 1));
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        // Stopped whatever happened: a consumer left running would keep the test process alive.
        await failing.stop();
        await healthy.stop();
      }
      const rows = await seen();
      // The other group received the replayed event too, and skipped it: it had handled it already.
      expect(rows.filter((r) => r.consumer_group === other).map((r) => r.n).sort()).toEqual([1, 2]);
      expect(rows.filter((r) => r.consumer_group === group).map((r) => r.n).sort()).toEqual([1, 2]);
    }, 90_000);

    it('parks a version newer than it knows, and goes on', async () => {
      const consumer = await subscribe();
      const newer = thing(topic, 'a', 1, { version: 2, payload: { thingId: 'a', n: 1, colour: 'blue' } });
      await fixture.bus.publish([newer, thing(topic, 'a', 2)]);
      await eventually(seen, (r) => r.length >= 1);
      await consumer.stop();
      const parked = await fixture.pool.query(`select event_id, reason from "${fixture.schema}".messaging_parked where consumer_group = $1`, [group]);
      expect(parked.rows).toEqual([{ event_id: newer.eventId, reason: expect.stringMatching(/newer/) }]);
      expect((await seen()).map((r) => r.n)).toEqual([2]);

      // The consumer still on v1 leaves it parked; deployed with v2, it handles it, once.
      const resumeWith = (registry: ContractRegistry) =>
        resumeParked(
          {
            group,
            pool: fixture.pool,
            schema: fixture.schema,
            handler: async (event, tx) => {
              const { n, colour } = event.payload as { n: number; colour: string };
              await tx.query(`insert into "${fixture.schema}".seen (event_id, key, n, correlation_id, consumer_group, envelope) values ($1, $2, $3, $4, $5, $6)`, [
                event.eventId,
                event.key,
                n * 100,
                colour,
                group,
                JSON.stringify(event),
              ]);
            },
          },
          registry,
        );
      expect(await resumeWith(testRegistry())).toEqual({ handled: 0, stillParked: 1, failed: [] });
      expect(await resumeWith(testRegistryV2())).toEqual({ handled: 1, stillParked: 0, failed: [] });
      expect(await resumeWith(testRegistryV2())).toEqual({ handled: 0, stillParked: 0, failed: [] });
      expect((await seen()).map((r) => [r.n, r.correlation_id])).toEqual([
        [2, 'corr-2'],
        [100, 'blue'],
      ]);
    }, 60_000);
  });
}

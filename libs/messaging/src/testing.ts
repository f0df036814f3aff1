import { ContractRegistry, defineContract } from '@cnrms/contracts';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { z } from 'zod';
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
  describe(`${name} message bus (contract)`, () => {
    let fixture: MessageBusFixture;
    let topic: string;
    let group: string;
    const deadLetters: DeadLetter[] = [];

    const seen = async () =>
      (await fixture.pool.query<{ event_id: string; key: string; n: number; correlation_id: string }>(`select event_id, key, n, correlation_id from "${fixture.schema}".seen order by position`)).rows;

    function subscribe(handlerFails: (n: number) => boolean = () => false) {
      return fixture.bus.subscribe({
        group,
        topics: [topic],
        pool: fixture.pool,
        schema: fixture.schema,
        maxAttempts: 2,
        retryDelayMs: 20,
        onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
        handler: async (event, tx) => {
          const { n } = event.payload as { n: number };
          if (handlerFails(n)) throw new Error(`handler refuses ${n}`);
          await tx.query(`insert into "${fixture.schema}".seen (event_id, key, n, correlation_id) values ($1, $2, $3, $4)`, [event.eventId, event.key, n, event.correlationId]);
        },
      });
    }

    beforeEach(async () => {
      fixture = await createFixture();
      topic = `test.thing${randomUUID().slice(0, 8)}.v1`;
      group = `test-${randomUUID().slice(0, 8)}`;
      deadLetters.length = 0;
      await fixture.createTopic(topic);
      await fixture.pool.query(`create schema if not exists "${fixture.schema}"`);
      await fixture.pool.query(`create table "${fixture.schema}".seen (position serial primary key, event_id text not null, key text not null, n integer not null, correlation_id text not null)`);
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

    it('parks a version newer than it knows, and goes on', async () => {
      const consumer = await subscribe();
      const newer = thing(topic, 'a', 1, { version: 2, payload: { thingId: 'a', n: 1, colour: 'blue' } });
      await fixture.bus.publish([newer, thing(topic, 'a', 2)]);
      await eventually(seen, (r) => r.length >= 1);
      await consumer.stop();
      const parked = await fixture.pool.query(`select event_id, reason from "${fixture.schema}".messaging_parked where consumer_group = $1`, [group]);
      expect(parked.rows).toEqual([{ event_id: newer.eventId, reason: expect.stringMatching(/newer/) }]);
      expect((await seen()).map((r) => r.n)).toEqual([2]);
    }, 60_000);
  });
}

import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { ConfigResourceTypes, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { KafkaMessageBus } from './kafka-bus';
import { DeadLetter } from './message-bus.port';
import { assertKafkaReachable, eventually, kafkaBrokers, messageBusContract, testRegistry, thing } from './testing';

// No broker: every test of this file fails at once with how to start one (never skipped).
let reachable: Promise<void> | undefined;
const probe = () => (reachable ??= assertKafkaReachable());

messageBusContract('Kafka', async () => {
  await probe();
  const database: TestDatabase = await createTestDatabase('kafka_bus');
  const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'messaging-tests', registry: testRegistry() });
  return {
    bus,
    pool: database.pool,
    schema: 'consumer',
    createTopic: (name) => bus.ensureTopics([{ name, partitions: 2, retentionMs: 3_600_000 }]),
    async close() {
      await bus.close();
      await database.drop();
    },
  };
});

describe('Kafka message bus on the wire', () => {
  beforeAll(() => probe(), 30_000);

  it('creates topics with their partitions, retention and dead-letter topic, and keeps their retention in line', async () => {
    const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'messaging-tests', registry: testRegistry() });
    const kafka = new Kafka({ clientId: 'inspector', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const topic = `test.created${randomUUID().slice(0, 8)}.v1`;
    try {
      await bus.ensureTopics([{ name: topic, partitions: 4, retentionMs: 3_600_000 }]);
      // Already there: the retention follows the catalogue, the partitions never change.
      await bus.ensureTopics([{ name: topic, partitions: 8, retentionMs: 7_200_000 }]);
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic, `${topic}.dlq`] });
      expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
        [topic, 4],
        [`${topic}.dlq`, 1],
      ]);
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }] });
      expect(configs.resources[0].configEntries).toEqual([expect.objectContaining({ configName: 'retention.ms', configValue: '7200000' })]);
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  }, 60_000);

  it('publishes the payload as JSON, keyed by aggregate, with the envelope in headers', async () => {
    const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'messaging-tests', registry: testRegistry() });
    const kafka = new Kafka({ clientId: 'inspector', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `inspector-${randomUUID().slice(0, 8)}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 500 });
    const topic = `test.wire${randomUUID().slice(0, 8)}.v1`;
    const event = thing(topic, 'ms-42', 3, { causationId: 'cause-1' });
    const received: KafkaMessage[] = [];
    try {
      await bus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
      await bus.publish([event]);
      await reader.connect();
      await reader.subscribe({ topics: [topic], fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => void received.push(message) });
      await eventually(async () => received.length, (n) => n >= 1);
      const [message] = received;
      expect(message.key?.toString()).toBe('ms-42');
      expect(JSON.parse(message.value!.toString())).toEqual(event.payload);
      expect(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]))).toEqual({
        'event-id': event.eventId,
        'event-type': 'test.ThingHappened',
        'schema-version': '1',
        'correlation-id': 'corr-3',
        'causation-id': 'cause-1',
        'occurred-at': event.occurredAt,
        'network-id': 'net-1',
      });
    } finally {
      await reader.disconnect();
      await bus.close();
    }
  }, 60_000);
});

describe('Kafka message bus with a message that is not an integration event', () => {
  beforeAll(() => probe(), 30_000);

  it('dead-letters it with the reason and goes on', async () => {
    const database = await createTestDatabase('kafka_malformed');
    const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'messaging-tests', registry: testRegistry() });
    const kafka = new Kafka({ clientId: 'raw-producer', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const raw = kafka.producer();
    const topic = `test.raw${randomUUID().slice(0, 8)}.v1`;
    const deadLetters: DeadLetter[] = [];
    try {
      await bus.ensureTopics([{ name: topic, partitions: 1, retentionMs: 3_600_000 }]);
      await database.pool.query('create schema consumer; create table consumer.seen (event_id text primary key)');
      const consumer = await bus.subscribe({
        group: `test-${randomUUID().slice(0, 8)}`,
        topics: [topic],
        pool: database.pool,
        schema: 'consumer',
        onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
        handler: async (event, tx) => {
          await tx.query('insert into consumer.seen (event_id) values ($1)', [event.eventId]);
        },
      });
      await raw.connect();
      await raw.send({ topic, messages: [{ key: 'a', value: 'this is not JSON' }] });
      const valid = thing(topic, 'a', 1);
      await bus.publish([valid]);
      const rows = await eventually(async () => (await database.pool.query('select event_id from consumer.seen')).rows, (r) => r.length > 0);
      await consumer.stop();
      expect(rows).toEqual([{ event_id: valid.eventId }]);
      expect(deadLetters).toEqual([expect.objectContaining({ topic, eventId: null, reason: 'malformed message: the value is not JSON' })]);
    } finally {
      await raw.disconnect();
      await bus.close();
      await database.drop();
    }
  }, 60_000);
});

describe('Kafka consumer groups of several platforms on one broker', () => {
  beforeAll(() => probe(), 30_000);

  it('keeps each platform its own group when they are named with a prefix, so that neither takes the other’s partitions', async () => {
    const topic = `test.platforms${randomUUID().slice(0, 8)}.v1`;
    const platforms = await Promise.all(
      ['platform-a', 'platform-b'].map(async (prefix) => {
        const database = await createTestDatabase('kafka_group_prefix');
        const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'messaging-tests', registry: testRegistry(), groupPrefix: `${prefix}-${randomUUID().slice(0, 8)}` });
        await database.pool.query('create schema consumer; create table consumer.seen (event_id uuid primary key)');
        return { database, bus };
      }),
    );
    const consumers = [];
    try {
      await platforms[0].bus.ensureTopics([{ name: topic, partitions: 2, retentionMs: 3_600_000 }]);
      // The same service name in both platforms: without a prefix they would be one group of two members.
      for (const { bus, database } of platforms) {
        consumers.push(
          await bus.subscribe({
            group: 'inclusions',
            topics: [topic],
            pool: database.pool,
            schema: 'consumer',
            handler: async (event, tx) => void (await tx.query('insert into consumer.seen (event_id) values ($1)', [event.eventId])),
          }),
        );
      }
      const events = ['a', 'b', 'c', 'd', 'e', 'f'].map((key, n) => thing(topic, key, n));
      await platforms[0].bus.publish(events);
      for (const { database } of platforms) {
        const seen = await eventually(
          async () => (await database.pool.query<{ event_id: string }>('select event_id from consumer.seen')).rows.map((r) => r.event_id),
          (ids) => ids.length >= events.length,
        );
        expect(seen.sort()).toEqual(events.map((e) => e.eventId).sort());
      }
    } finally {
      for (const consumer of consumers) await consumer.stop();
      for (const { bus, database } of platforms) {
        await bus.close();
        await database.drop();
      }
    }
  }, 90_000);
});

describe('Kafka bus: a backlog in batches', () => {
  beforeAll(() => probe(), 30_000);

  it('applies a waiting backlog of one partition in one transaction, and a failing event makes it go one by one', async () => {
    const database = await createTestDatabase('kafka_batch');
    const bus = new KafkaMessageBus({ brokers: kafkaBrokers(), clientId: 'messaging-tests', registry: testRegistry() });
    const topic = `test.batch${randomUUID().slice(0, 8)}.v1`;
    const deadLetters: DeadLetter[] = [];
    try {
      await bus.ensureTopics([{ name: topic, partitions: 1, retentionMs: 3_600_000 }]);
      await database.pool.query(`create schema consumer`);
      await database.pool.query(`create table consumer.seen (event_id text primary key, n integer not null, tx text not null)`);
      const seen = async () => (await database.pool.query<{ n: number; tx: string }>(`select n, tx from consumer.seen order by n`)).rows;
      const subscribe = (group: string, fails: (n: number) => boolean) =>
        bus.subscribe({
          group,
          topics: [topic],
          pool: database.pool,
          schema: 'consumer',
          maxAttempts: 2,
          retryDelayMs: 20,
          onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
          handler: async (event, tx) => {
            const { n } = event.payload as { n: number };
            if (fails(n)) throw new Error(`handler refuses ${n}`);
            await tx.query(`insert into consumer.seen (event_id, n, tx) values ($1, $2, txid_current()::text) on conflict (event_id) do nothing`, [event.eventId, n]);
          },
        });
      await bus.publish([1, 2, 3, 4, 5].map((n) => thing(topic, 'same', n)));
      const first = await subscribe('batch-a', () => false);
      const rows = await eventually(seen, (r) => r.length === 5);
      await first.stop();
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);

      await database.pool.query(`truncate consumer.seen`);
      const second = await subscribe('batch-b', (n) => n === 3);
      const others = await eventually(seen, (r) => r.length === 4);
      await eventually(async () => deadLetters.length, (n) => n === 1);
      await second.stop();
      expect(others.map((r) => r.n)).toEqual([1, 2, 4, 5]);
      expect(new Set(others.map((r) => r.tx)).size).toBe(4);
      expect(deadLetters).toEqual([expect.objectContaining({ group: 'batch-b', topic, reason: expect.stringMatching(/handler refuses 3/) })]);
    } finally {
      await bus.close();
      await database.drop();
    }
  }, 120_000);
});

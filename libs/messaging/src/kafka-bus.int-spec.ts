import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaMessageBus } from './kafka-bus';
import { DeadLetter } from './message-bus.port';
import { eventually, messageBusContract, testRegistry, thing } from './testing';

export const kafkaBrokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

messageBusContract('Kafka', async () => {
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

describe('Kafka message bus with a message that is not an integration event', () => {
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

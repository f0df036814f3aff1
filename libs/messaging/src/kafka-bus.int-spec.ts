import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { KafkaMessageBus } from './kafka-bus';
import { messageBusContract, testRegistry } from './testing';

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

import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { PostgresMessageBus } from './postgres-bus';
import { messageBusContract, testRegistry } from './testing';

messageBusContract('PostgreSQL', async () => {
  const database: TestDatabase = await createTestDatabase('bus');
  const bus = new PostgresMessageBus({ pool: database.pool, registry: testRegistry(), idleMs: 20 });
  return {
    bus,
    pool: database.pool,
    schema: 'consumer',
    createTopic: async () => undefined,
    async close() {
      await bus.close();
      await database.drop();
    },
  };
});

import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { eventStoreContract } from '../store/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('PostgreSQL', async () => {
  const database: TestDatabase = await createTestDatabase('event_store_contract');
  const store = new PostgresEventStore({ pool: database.pool, schema: 'contract', idleMs: 50 });
  await store.migrate();
  return {
    store,
    async teardown() {
      await store.close();
      await database.drop();
    },
  };
});

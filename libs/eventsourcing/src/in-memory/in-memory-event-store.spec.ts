import { eventStoreContract } from '../store/event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

eventStoreContract('In-memory', async () => {
  const store = new InMemoryEventStore();
  return { store, teardown: () => store.close() };
});

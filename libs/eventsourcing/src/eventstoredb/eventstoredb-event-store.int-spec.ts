import { randomBytes } from 'node:crypto';
import { eventStoreContract } from '../store/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * Runs the event store contract against a real EventStoreDB (23.10 or later, e.g. the `eventstore` service of
 * docker-compose.yml): `EVENTSTORE_URL=esdb://127.0.0.1:2113?tls=false`. Every test gets its own stream prefix,
 * so the shared server looks empty to it.
 */
const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract('EventStoreDB', async () => {
    const store = new EventStoreDbEventStore({ connectionString: url, streamPrefix: `contract${randomBytes(6).toString('hex')}.` });
    return {
      store,
      teardown: () => store.close(),
    };
  }, { atomicMultiStream: false });
} else {
  // Written to stderr directly: Jest drops the console output of a file whose tests are all skipped.
  process.stderr.write('EventStoreDB contract skipped: EVENTSTORE_URL is not set (e.g. esdb://127.0.0.1:2113?tls=false); no EventStoreDB server to run it against.\n');
  describe.skip('EventStoreDB event store (contract) — skipped: EVENTSTORE_URL is not set', () => {
    it('passes the event store contract', () => undefined);
  });
}

import { platformContracts } from '@cnrms/contracts';
import { consumeOnce, IntegrationEvent, migrateMessaging } from '@cnrms/messaging';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { randomUUID } from 'node:crypto';
import { FederationReceiver } from './federation-receiver';
import { handleInBatches } from './integration';

/**
 * The receiving side of the federation against a real PostgreSQL, through the consumer path every service
 * uses (`consumeOnce`): an event from a region about a network it owns is applied once, with its origin and
 * the region's freshness; one about a network it does not own is dead-lettered at once with the reason.
 */
describe('FederationReceiver', () => {
  let database: TestDatabase;
  const receiver = new FederationReceiver('reporting', 'kafka', { DEPLOYMENT_KIND: 'national', FEDERATION_REGIONS: 'region-a:net-a,region-b:net-b' });
  const handled: { topic: string; source: string | null }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('federation_receiver');
    await database.pool.query('create schema reporting');
    await migrateMessaging(database.pool, 'reporting');
    await receiver.migrate(database.pool);
  });
  afterAll(() => database?.drop());

  const microstructureCreated = (topic: string, networkId: string, occurredAt: string): IntegrationEvent => ({
    eventId: randomUUID(),
    type: 'directory.MicrostructureCreated',
    version: 1,
    topic,
    key: 'ms-1',
    payload: { microstructureId: 'ms-1', networkId, name: 'Microstructure', kind: 'ADDICTION', department: '21' },
    correlationId: randomUUID(),
    causationId: null,
    occurredAt,
    networkId,
  });
  const consume = (event: IntegrationEvent) =>
    consumeOnce(
      {
        group: 'reporting',
        topics: [event.topic],
        pool: database.pool,
        schema: 'reporting',
        retryDelayMs: 1,
        handler: (received, tx) => receiver.receive(received, tx, async (e, origin) => void handled.push({ topic: e.topic, source: origin.source })),
      },
      platformContracts(),
      event,
    );
  const sources = async () => (await database.pool.query('select source, last_occurred_at, events from reporting.federation_sources order by source')).rows;

  it('applies an event of a region about its own network once, under the catalogue’s topic, and keeps up to when the region is counted', async () => {
    const event = microstructureCreated('region-a.directory.microstructure.v1', 'net-a', '2026-12-01T10:00:00.000Z');
    expect(await consume(event)).toEqual({ kind: 'handled' });
    expect(await consume(event)).toEqual({ kind: 'duplicate' });
    expect(handled).toEqual([{ topic: 'directory.microstructure.v1', source: 'region-a' }]);
    expect(await sources()).toEqual([{ source: 'region-a', last_occurred_at: new Date('2026-12-01T10:00:00.000Z'), events: '1' }]);
  });

  it('dead-letters at once, with the reason, an event of a region about a network it does not own, and applies nothing', async () => {
    handled.length = 0;
    const outcome = await consume(microstructureCreated('region-a.directory.microstructure.v1', 'net-b', '2026-12-02T10:00:00.000Z'));
    expect(outcome).toEqual({ kind: 'dead-letter', reason: 'ownership: the deployment region-a does not own the network net-b; its events about it are refused' });
    expect(handled).toEqual([]);
    expect((await sources())[0]).toMatchObject({ last_occurred_at: new Date('2026-12-01T10:00:00.000Z'), events: '1' });
  });

  it('leaves the national deployment’s own events as they are', async () => {
    handled.length = 0;
    expect(await consume(microstructureCreated('directory.microstructure.v1', 'net-n', '2026-12-03T10:00:00.000Z'))).toEqual({ kind: 'handled' });
    expect(handled).toEqual([{ topic: 'directory.microstructure.v1', source: null }]);
    expect(await sources()).toHaveLength(1);
  });

  it('in a delivered batch, hands runs of its own events to the batch handler and each copy from a region to the receiver, in order', async () => {
    const calls: string[] = [];
    const own = (n: number) => ({ ...microstructureCreated('directory.microstructure.v1', 'net-n', `2026-12-04T10:00:0${n}.000Z`), key: `own-${n}` });
    const copy = { ...microstructureCreated('region-b.directory.microstructure.v1', 'net-b', '2026-12-04T11:00:00.000Z'), key: 'copy' };
    const tx = await database.pool.connect();
    try {
      await tx.query('begin');
      await handleInBatches([own(1), own(2), copy, own(3)], tx, {
        topics: [],
        handle: async (event, _tx, origin) => void calls.push(`one ${event.key} ${event.topic} from ${origin?.source}`),
        handleBatch: async (events) => void calls.push(`batch ${events.map((event) => event.key).join(',')}`),
      }, receiver);
      await tx.query('commit');
    } finally {
      tx.release();
    }
    expect(calls).toEqual(['batch own-1,own-2', 'one copy directory.microstructure.v1 from region-b', 'batch own-3']);
    expect((await sources()).find((row) => row.source === 'region-b')).toMatchObject({ events: '1' });
  });
});

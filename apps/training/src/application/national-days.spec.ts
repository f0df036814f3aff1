import { IntegrationEvent } from '@cnrms/messaging';
import { IntegrationConsumer } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { withNationalDays } from './national-days';

// The training service keeps one consumer (one consumer group): national days are routed inside it.

const handled: string[] = [];
const reference: IntegrationConsumer = {
  topics: ['directory.network.v1'],
  handle: async (event) => void handled.push(`reference:${event.type}`),
};
const event = (topic: string, type: string): IntegrationEvent => ({ topic, type, version: 1, key: 'k', payload: {}, eventId: 'e', correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00Z', networkId: null }) as IntegrationEvent;
const queries: string[] = [];
const tx = { query: async (sql: string) => void queries.push(sql) } as unknown as PoolClient;

describe('the training service’s consumer, by deployment kind', () => {
  beforeEach(() => {
    handled.length = 0;
    queries.length = 0;
  });

  it('is the reference data consumer alone on a single platform', () => {
    expect(withNationalDays(reference, {})).toBe(reference);
  });

  it('nationally, also reads the regions’ requests', () => {
    const consumer = withNationalDays(reference, { DEPLOYMENT_KIND: 'national', FEDERATION_REGIONS: 'region-a:n-a' });
    expect(consumer.topics).toEqual(['directory.network.v1', 'training.national-day-request.v1']);
  });

  it('in a region, also reads the national days and answers, from the national deployment only', async () => {
    const consumer = withNationalDays(reference, { DEPLOYMENT_KIND: 'regional', DEPLOYMENT_ID: 'region-a', DEPLOYMENT_NETWORKS: 'n-a' });
    expect(consumer.topics).toEqual(['directory.network.v1', 'training.training.v1', 'training.national-day-answer.v1']);
    await consumer.handle(event('directory.network.v1', 'directory.NetworkCreated'), tx, { source: 'national' });
    expect(handled).toEqual(['reference:directory.NetworkCreated']);
    const answer = { ...event('training.national-day-answer.v1', 'training.NationalDayRegistrationAnswered'), payload: { requestId: 'r-1', outcome: 'REGISTERED' } };
    await consumer.handle(answer, tx, { source: null });
    expect(queries).toEqual([]);
    await consumer.handle(answer, tx, { source: 'national' });
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/update training.national_day_requests .* where request_id = \$1 and status = 'REQUESTED'/s);
  });
});

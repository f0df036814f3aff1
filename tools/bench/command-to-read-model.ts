/**
 * End-to-end delay from a command to another service's read model, through the whole platform as
 * `npm start` runs it: a GraphQL mutation at the gateway (the directory records MicrostructureCreated),
 * the directory's relay, the bus, the inclusions service's consumer. The delay is the consumer's
 * transaction time (inclusions.messaging_processed.processed_at) minus the command's time (the event's
 * metadata.occurredAt), both from this machine's clock.
 *
 *   node -r ./tools/register.js tools/bench/command-to-read-model.ts
 *
 * The baseline, in the same run: each command's own round trip at the gateway (the mutation answered, its event
 * recorded), measured by this client; the ratio is the read model's delay over it, at p50 and p99.
 *
 * BENCH_BUS=postgres|kafka|both (default both), BENCH_COMMANDS (default 200, sent one after the other),
 * KAFKA_BROKERS (default 127.0.0.1:19092; start it with `bash tools/kafka/kafka.sh start`).
 */
import { DEV_JWT_SECRET, issueToken } from '@cnrms/auth';
import { createTestDatabase } from '@cnrms/testing';
import { benchOnEachBus, loadAverage, startPlatform } from './platform';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 200);
const token = issueToken({ userId: 'bench', roles: ['admin'], networkIds: [], microstructureIds: [] }, { secret: DEV_JWT_SECRET });

async function graphql(url: string, query: string, variables: object) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

const round = (value: number) => Math.round(value * 100) / 100;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(bus: string, portOffset: number) {
  const database = await createTestDatabase(`bench_${bus}`);
  const platform = await startPlatform({ databaseUrl: database.url, portOffset, bus });
  try {
    const { createRegionalNetwork } = await graphql(platform.gateway, 'mutation { createRegionalNetwork(input: { name: "Réseau banc d’essai", region: "11", departments: ["75"] }) { id } }', {});
    const started = Date.now();
    const roundTrips: number[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      const sent = performance.now();
      await graphql(platform.gateway, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId: createRegionalNetwork.id, name: `Microstructure ${i}`, department: '75', practiceSite: { name: 'Cabinet', type: 'MSP', address: { street: '1 rue', postalCode: '75001', city: 'Paris' } } },
      });
      roundTrips.push(performance.now() - sent);
    }
    const commandSeconds = (Date.now() - started) / 1000;
    const delays = async () =>
      (
        await database.pool.query<{ delay_ms: number }>(
          `select extract(epoch from (p.processed_at - (e.metadata->>'occurredAt')::timestamptz)) * 1000 as delay_ms
           from directory.events e join inclusions.messaging_processed p on p.event_id = e.metadata->>'eventId' and p.consumer_group = 'inclusions'
           where e.event_type = 'MicrostructureCreated'`,
        )
      ).rows.map((r) => Number(r.delay_ms));
    let measured = await delays();
    for (let wait = 0; measured.length < COMMANDS && wait < 300; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      measured = await delays();
    }
    const sorted = measured.sort((a, b) => a - b);
    const own = roundTrips.sort((a, b) => a - b);
    return {
      bus,
      commands: COMMANDS,
      received: sorted.length,
      commandsPerSecond: Math.round(COMMANDS / commandSeconds),
      'command p50 ms': Math.round(percentile(own, 50)),
      'command p99 ms': Math.round(percentile(own, 99)),
      'read model p50 ms': Math.round(percentile(sorted, 50)),
      'read model p99 ms': Math.round(percentile(sorted, 99)),
      'read model max ms': Math.round(sorted[sorted.length - 1]),
      'p50 ÷ command': round(percentile(sorted, 50) / percentile(own, 50)),
      'p99 ÷ command': round(percentile(sorted, 99) / percentile(own, 99)),
      'load average': loadAverage(),
    };
  } finally {
    await platform.stop();
    await database.drop();
  }
}

benchOnEachBus(7000, run);

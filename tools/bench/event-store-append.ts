/**
 * Append throughput of the PostgreSQL event store, on a fresh database of the test server
 * (TEST_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   node -r ./tools/register.js tools/bench/event-store-append.ts
 *
 * Settings (environment): BENCH_EVENTS appends per scenario (default 5000), BENCH_STREAMS streams for the
 * concurrent scenarios (1000), BENCH_CONCURRENCY comma-separated concurrencies (8,16), BENCH_BATCH events
 * per append in the batch scenario (10), BENCH_POOL pool size (20), BENCH_JSON a file to write the results to.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { Pool } from 'pg';
import { EventToAppend, NO_STREAM, PostgresEventStore } from '@cnrms/eventsourcing';
import { createTestDatabase } from '@cnrms/testing';
import { intFromEnv, percentile } from './stats';

const EVENTS = intFromEnv('BENCH_EVENTS', 5000);
const STREAMS = intFromEnv('BENCH_STREAMS', 1000);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '8,16').split(',').map((c) => Number(c.trim()));
const BATCH = intFromEnv('BENCH_BATCH', 10);
const POOL = intFromEnv('BENCH_POOL', 20);

interface Result {
  scenario: string;
  appends: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  appendsPerSecond: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
}

function event(i: number): EventToAppend {
  return {
    type: 'BenchmarkEventRecorded',
    data: { i, label: 'microstructure follow-up session', minutes: 45, tags: ['gp', 'psychologist'] },
    metadata: {
      eventId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      actorId: 'system:bench',
      networkId: 'network-bench',
      occurredAt: new Date().toISOString(),
    },
  };
}

function summarise(scenario: string, latencies: number[], eventsPerAppend: number, seconds: number): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  const appends = latencies.length;
  return {
    scenario,
    appends,
    events: appends * eventsPerAppend,
    seconds: round(seconds, 3),
    eventsPerSecond: Math.round((appends * eventsPerAppend) / seconds),
    appendsPerSecond: Math.round(appends / seconds),
    p50ms: round(percentile(sorted, 50), 2),
    p99ms: round(percentile(sorted, 99), 2),
    maxms: round(sorted[sorted.length - 1] ?? 0, 2),
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const now = () => performance.now();

/** (a) one stream, one event per append, each at the exact expected version. */
async function singleStream(store: PostgresEventStore, appends: number): Promise<Result> {
  const streamId = `single-${randomUUID()}`;
  const latencies: number[] = [];
  const start = now();
  for (let version = 0; version < appends; version++) {
    const t = now();
    await store.appendToStream(streamId, [event(version)], { expectedVersion: version === 0 ? NO_STREAM : version });
    latencies.push(now() - t);
  }
  return summarise('single stream, 1 event/append, sequential', latencies, 1, (now() - start) / 1000);
}

/**
 * `operations` writes spread over `streams` streams by `concurrency` workers. Worker w owns the streams
 * i with i % concurrency == w and walks them round-robin, so every write is at the exact next version
 * and no two workers ever meet on a stream (no conflict noise in the numbers). `write(stream, version)` is
 * given the stream's index and its current version, and returns how many versions it added.
 */
async function spreadOverStreams(
  operations: number,
  streams: number,
  concurrency: number,
  write: (stream: number, version: number) => Promise<number>,
): Promise<{ latencies: number[]; seconds: number }> {
  const versions = new Array<number>(streams).fill(0);
  const latencies: number[] = [];
  let issued = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const own = Array.from({ length: streams }, (_, i) => i).filter((i) => i % concurrency === worker);
      for (let k = 0; issued < operations; k++) {
        issued++;
        const s = own[k % own.length];
        const t = now();
        versions[s] += await write(s, versions[s]);
        latencies.push(now() - t);
      }
    }),
  );
  return { latencies, seconds: (now() - start) / 1000 };
}

/** (b)/(c) `appends` appends of `batch` events spread over `streams` streams by `concurrency` workers. */
async function manyStreams(store: PostgresEventStore, appends: number, streams: number, concurrency: number, batch: number): Promise<Result> {
  const run = randomUUID().slice(0, 8);
  const { latencies, seconds } = await spreadOverStreams(appends, streams, concurrency, async (s, version) => {
    const events = Array.from({ length: batch }, (_, j) => event(version + j));
    await store.appendToStream(`bench-${run}-${s}`, events, { expectedVersion: version === 0 ? NO_STREAM : version });
    return batch;
  });
  return summarise(`${streams} streams, ${batch} event${batch > 1 ? 's' : ''}/append, concurrency ${concurrency}`, latencies, batch, seconds);
}

/**
 * The baseline, in the same run: what the database itself does with the same rows — one event-sized JSONB row
 * per INSERT, in autocommit, into a plain table with the event table's columns and keys, by `concurrency`
 * writers (each on its own streams, like the store's scenarios).
 */
async function rawInserts(pool: Pool, inserts: number, streams: number, concurrency: number): Promise<Result> {
  const run = randomUUID().slice(0, 8);
  const { latencies, seconds } = await spreadOverStreams(inserts, streams, concurrency, async (s, version) => {
    const e = event(version);
    await pool.query(
      `insert into bench.raw_events (stream_id, stream_category, stream_version, event_id, event_type, data, metadata) values ($1, 'raw', $2, $3, $4, $5, $6)`,
      [`raw-${run}-${s}`, version + 1, e.metadata.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
    );
    return 1;
  });
  return summarise(`raw INSERT, ${streams} stream${streams > 1 ? 's' : ''}, ${concurrency} writer${concurrency > 1 ? 's' : ''}`, latencies, 1, seconds);
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const database = await createTestDatabase('bench_append');
  // A pool sized for the highest concurrency (createTestDatabase's own pool has 20 connections).
  const pool = new Pool({ connectionString: database.url, max: Math.max(POOL, ...CONCURRENCIES) + 2 });
  pool.on('error', () => undefined); // idle connections are cut when the database is dropped at the end
  const store = new PostgresEventStore({ pool, schema: 'bench' });
  try {
    await store.migrate();
    const { rows } = await pool.query<{ version: string; settings: string }>(
      `select version() as version,
              (select string_agg(name || '=' || setting, ', ' order by name) from pg_settings
                where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'wal_level', 'max_connections')) as settings`,
    );
    const cpus = os.cpus();
    const machine = {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
      memory: `${round(os.totalmem() / 1024 ** 3, 1)} GiB`,
      node: process.version,
      postgres: rows[0].version,
      postgresSettings: rows[0].settings,
      database: database.url.replace(/\/\/[^@]*@/, '//…@'),
    };
    console.log('Machine');
    for (const [key, value] of Object.entries(machine)) console.log(`  ${key.padEnd(16)} ${value}`);
    console.log(`Settings: BENCH_EVENTS=${EVENTS} BENCH_STREAMS=${STREAMS} BENCH_CONCURRENCY=${CONCURRENCIES.join(',')} BENCH_BATCH=${BATCH}\n`);

    await pool.query(`create table bench.raw_events (
      global_position bigint generated always as identity primary key, transaction_id xid8 not null default pg_current_xact_id(),
      stream_id text not null, stream_category text not null, stream_version integer not null, event_id uuid not null unique,
      event_type text not null, data jsonb not null, metadata jsonb not null, recorded_at timestamptz not null default now(),
      unique (stream_id, stream_version))`);
    await manyStreams(store, 200, 50, 4, 1); // warm-up: connections, plans, caches
    await rawInserts(pool, 200, 50, 4);
    console.log(`load average before: ${load()}`);

    const results: Result[] = [];
    const report = (result: Result) => {
      results.push(result);
      console.log(
        `${result.scenario.padEnd(52)} ${String(result.eventsPerSecond).padStart(7)} events/s  ${String(result.appendsPerSecond).padStart(6)} appends/s  ` +
          `p50 ${result.p50ms.toFixed(2).padStart(6)} ms  p99 ${result.p99ms.toFixed(2).padStart(6)} ms  (${result.appends} appends, ${result.seconds} s)`,
      );
    };
    // Each event-store scenario right after its baseline, and the ratio (event store ÷ raw INSERT, events/s).
    const ratios: { scenario: string; ratio: number }[] = [];
    const pair = (baseline: Result, measured: Result) => {
      report(baseline);
      report(measured);
      const ratio = round(measured.eventsPerSecond / baseline.eventsPerSecond, 2);
      ratios.push({ scenario: measured.scenario, ratio });
      console.log(`  → event store ÷ raw INSERT: ${ratio.toFixed(2)}   (load average ${load()})`);
    };
    pair(await rawInserts(pool, EVENTS, 1, 1), await singleStream(store, EVENTS));
    for (const concurrency of CONCURRENCIES) pair(await rawInserts(pool, EVENTS, STREAMS, concurrency), await manyStreams(store, EVENTS, STREAMS, concurrency, 1));
    for (const concurrency of CONCURRENCIES) report(await manyStreams(store, Math.ceil(EVENTS / BATCH), STREAMS, concurrency, BATCH));

    const { rows: count } = await pool.query<{ n: string }>('select count(*) as n from bench.events');
    console.log(`\n${count[0].n} events in the store at the end.`);
    console.log(`load average after: ${load()}`);
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ date: new Date().toISOString(), machine, results, ratios, loadAverage: load() }, null, 2));
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Integration events end to end: a service's PostgreSQL event store → relay → bus → consumer read model,
 * on each bus, on a fresh database of the test server (TEST_DATABASE_URL, else DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres) and the Kafka broker at KAFKA_BROKERS (127.0.0.1:19092).
 *
 *   node -r ./tools/register.js tools/bench/bus-throughput.ts
 *
 * Settings (environment): BENCH_BUS postgres|kafka|both (default both), BENCH_EVENTS events of the
 * throughput scenario (5000), BENCH_STREAMS their streams (100), BENCH_RATE appends/s of the latency
 * scenario (50), BENCH_SECONDS its duration (10), BENCH_JSON a file to write the results to.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { EventToAppend, PostgresEventStore, RecordedEvent } from '@cnrms/eventsourcing';
import { Consumer, KafkaMessageBus, MessageBus, PostgresMessageBus, Relay, startRelay, Translator } from '@cnrms/messaging';
import { testRegistry, thing, ThingHappened } from '../../libs/messaging/src/testing';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { intFromEnv, percentile } from './stats';

type BusKind = 'postgres' | 'kafka';
const BUSES: BusKind[] = (() => {
  const raw = process.env.BENCH_BUS ?? 'both';
  if (raw === 'both') return ['postgres', 'kafka'];
  if (raw === 'postgres' || raw === 'kafka') return [raw];
  throw new Error(`BENCH_BUS must be postgres, kafka or both, got "${raw}"`);
})();
const EVENTS = intFromEnv('BENCH_EVENTS', 5000);
const STREAMS = intFromEnv('BENCH_STREAMS', 100);
const RATE = intFromEnv('BENCH_RATE', 50);
const SECONDS = intFromEnv('BENCH_SECONDS', 10);
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

interface Result {
  bus: BusKind;
  throughput: { events: number; seconds: number; eventsPerSecond: number };
  latency: { events: number; rate: number; p50ms: number; p90ms: number; p99ms: number; maxms: number; meanms: number };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Wall-clock milliseconds with sub-millisecond resolution, comparable with PostgreSQL's clock_timestamp() on the same machine. */
const wallClock = () => performance.timeOrigin + performance.now();

function domainEvent(thingId: string, n: number): EventToAppend {
  return {
    type: 'ThingRecorded',
    data: { thingId, n, label: 'microstructure follow-up session', minutes: 45 },
    metadata: { eventId: randomUUID(), correlationId: randomUUID(), causationId: null, actorId: 'system:bench', networkId: 'network-bench', occurredAt: new Date().toISOString() },
  };
}

function kafkaVersion(): string {
  try {
    const jar = readdirSync(path.join(__dirname, '..', 'kafka', '.lib')).find((file) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(file));
    return jar ? `Apache Kafka ${jar.replace(/^kafka_[\d.]+-|\.jar$/g, '')} (tools/kafka, single KRaft node)` : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function benchBus(kind: BusKind): Promise<Result> {
  const database: TestDatabase = await createTestDatabase(`bench_bus_${kind}`);
  const pool = database.pool;
  const store = new PostgresEventStore({ pool, schema: 'svc' });
  const topic = `bench.thing${randomUUID().slice(0, 8)}.v1`;
  const registry = testRegistry();
  const bus: MessageBus =
    kind === 'kafka' ? new KafkaMessageBus({ brokers: KAFKA_BROKERS, clientId: 'bench', registry }) : new PostgresMessageBus({ pool, registry });
  let relay: Relay | undefined;
  let consumer: Consumer | undefined;
  const errors: unknown[] = [];
  try {
    await store.migrate();
    await bus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
    await pool.query(`create schema consumer;
      create table consumer.received (event_id text primary key, thing_id text not null, n integer not null, received_at timestamptz not null default clock_timestamp())`);
    const translate: Translator = (recorded: RecordedEvent) => {
      const { thingId, n } = recorded.data as { thingId: string; n: number };
      return { type: ThingHappened.type, version: 1, topic, key: thingId, payload: { thingId, n } };
    };
    const count = async () => Number((await pool.query<{ n: string }>('select count(*) as n from consumer.received where n >= 0')).rows[0].n);
    const waitFor = async (expected: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while ((await count()) < expected) {
        if (Date.now() > deadline) throw new Error(`${kind}: ${await count()} of ${expected} events arrived in ${timeoutMs} ms (errors: ${errors.map(String).join('; ')})`);
        await sleep(20);
      }
    };

    consumer = await bus.subscribe({
      group: 'bench-consumer',
      topics: [topic],
      pool,
      schema: 'consumer',
      onError: (error) => errors.push(error),
      handler: async (event, tx) => {
        const { thingId, n } = event.payload as { thingId: string; n: number };
        await tx.query('insert into consumer.received (event_id, thing_id, n) values ($1, $2, $3)', [event.eventId, thingId, n]);
      },
    });
    // Warm-up straight through the bus (Kafka: the consumer joins its group; both: connections, plans).
    await bus.publish([thing(topic, 'warm-up', -1)]);
    const warmDeadline = Date.now() + 60_000;
    while (Number((await pool.query<{ n: string }>('select count(*) as n from consumer.received where n < 0')).rows[0].n) < 1) {
      if (Date.now() > warmDeadline) throw new Error(`${kind}: the warm-up event did not arrive`);
      await sleep(20);
    }

    // (a) Throughput: a backlog of EVENTS domain events over STREAMS streams, then relay + consumer drain it.
    const perStream = Math.ceil(EVENTS / STREAMS);
    let appended = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let s = worker; s < STREAMS; s += 8) {
          const thingId = `t${s}`;
          for (let v = 0; v < perStream && appended < EVENTS; v += 50) {
            const size = Math.min(50, perStream - v, EVENTS - appended);
            appended += size;
            await store.appendToStream(`thing-${thingId}`, Array.from({ length: size }, (_, i) => domainEvent(thingId, v + i)));
          }
        }
      }),
    );
    const startedAt = wallClock();
    relay = await startRelay({ name: 'bench', store, pool, schema: 'svc', categories: ['thing'], translate, bus, registry, onError: (error) => errors.push(error) });
    await waitFor(EVENTS, 600_000);
    const { rows: last } = await pool.query<{ at: number }>('select extract(epoch from max(received_at)) * 1000 as at from consumer.received');
    const seconds = (Number(last[0].at) - startedAt) / 1000;
    const throughput = { events: EVENTS, seconds: round(seconds, 3), eventsPerSecond: Math.round(EVENTS / seconds) };

    // (b) Latency: with relay and consumer running, one append at a time at a steady RATE; append committed → row committed.
    const total = RATE * SECONDS;
    const appendedAt = new Map<string, number>();
    const begin = wallClock();
    for (let i = 0; i < total; i++) {
      const due = begin + (i * 1000) / RATE;
      const wait = due - wallClock();
      if (wait > 0) await sleep(wait);
      const event = domainEvent(`live${i % STREAMS}`, 1_000_000 + i);
      await store.appendToStream(`thing-live${i % STREAMS}`, [event]);
      appendedAt.set(event.metadata.eventId, wallClock());
    }
    await waitFor(EVENTS + total, 120_000);
    const { rows } = await pool.query<{ event_id: string; at: number }>('select event_id, extract(epoch from received_at) * 1000 as at from consumer.received where n >= 1000000');
    const delays = rows.map((row) => Number(row.at) - appendedAt.get(row.event_id)!).sort((a, b) => a - b);
    const latency = {
      events: delays.length,
      rate: RATE,
      p50ms: round(percentile(delays, 50), 1),
      p90ms: round(percentile(delays, 90), 1),
      p99ms: round(percentile(delays, 99), 1),
      maxms: round(delays[delays.length - 1] ?? 0, 1),
      meanms: round(delays.reduce((sum, d) => sum + d, 0) / Math.max(1, delays.length), 1),
    };
    if (errors.length > 0) console.warn(`${kind}: ${errors.length} error(s) reported: ${errors.map(String).slice(0, 3).join('; ')}`);
    return { bus: kind, throughput, latency };
  } finally {
    await relay?.stop();
    await consumer?.stop();
    await bus.close();
    await store.close();
    await database.drop();
  }
}

async function machineInfo(): Promise<Record<string, string>> {
  const database = await createTestDatabase('bench_bus_info');
  try {
    const { rows } = await (database.pool as Pool).query<{ version: string; settings: string }>(
      `select version() as version,
              (select string_agg(name || '=' || setting, ', ' order by name) from pg_settings
                where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'wal_level', 'max_connections')) as settings`,
    );
    const cpus = os.cpus();
    return {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
      memory: `${round(os.totalmem() / 1024 ** 3, 1)} GiB`,
      node: process.version,
      postgres: rows[0].version,
      postgresSettings: rows[0].settings,
      database: database.url.replace(/\/\/[^@]*@/, '//…@').replace(/\/[^/]*$/, '/<fresh database>'),
      ...(BUSES.includes('kafka') ? { kafka: `${kafkaVersion()} at ${KAFKA_BROKERS.join(',')}` } : {}),
    };
  } finally {
    await database.drop();
  }
}

async function main() {
  const machine = await machineInfo();
  console.log('Machine');
  for (const [key, value] of Object.entries(machine)) console.log(`  ${key.padEnd(16)} ${value}`);
  console.log(`Settings: BENCH_BUS=${BUSES.join(',')} BENCH_EVENTS=${EVENTS} BENCH_STREAMS=${STREAMS} BENCH_RATE=${RATE} BENCH_SECONDS=${SECONDS}\n`);
  const results: Result[] = [];
  for (const kind of BUSES) {
    const result = await benchBus(kind);
    results.push(result);
    const { throughput: t, latency: l } = result;
    console.log(
      `${kind.padEnd(8)} throughput ${String(t.eventsPerSecond).padStart(6)} events/s (${t.events} events in ${t.seconds} s)   ` +
        `latency at ${l.rate}/s: p50 ${l.p50ms} ms  p90 ${l.p90ms} ms  p99 ${l.p99ms} ms  max ${l.maxms} ms  mean ${l.meanms} ms (${l.events} events)`,
    );
  }
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2));
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

/**
 * Reporting's live consumer and rebuild, without the platform: a generated history (reporting's own
 * seeded generator, apps/reporting/src/testing/generated-history.ts) is published on the PostgreSQL bus
 * of a fresh database; then, in the same run:
 *   1. baseline: the raw PostgreSQL INSERT rate of fact-sized rows (one row per statement, 500 per
 *      transaction: the shape of a consumer batch without any logic);
 *   2. live consumption: reporting's consumer (the real handlers, batched bus delivery) subscribes at the
 *      start of the log and drains it: events/s until its inbox holds every event — as the service runs it
 *      (a delivered batch at once, `handleBatch`), then on a copy of the log event by event (`handle`);
 *   3. rebuild: `rebuildFacts` (set-based, 50,000 inbox events per transaction) on that inbox: events/s.
 * Prints each rate, its ratio to the baseline, and the machine's load average before and after.
 *
 *   node -r ./tools/register.js tools/bench/reporting-consumer.ts
 *
 * Settings: BENCH_PATIENTS (default 2000, about 20 events each), TEST_DATABASE_URL (the test server).
 */
import os from 'node:os';
import { PostgresMessageBus } from '@cnrms/messaging';
import { Pool } from 'pg';
import { platformContracts } from '@cnrms/contracts';
import { createReportingDatabase } from '../../apps/reporting/src/testing/reporting-database';
import { generatedHistory } from '../../apps/reporting/src/testing/generated-history';
import { reportingConsumer } from '../../apps/reporting/src/application/reporting.consumer';
import { rebuildFacts } from '../../apps/reporting/src/application/facts/rebuild';
import { intFromEnv } from './stats';

const PATIENTS = intFromEnv('BENCH_PATIENTS', 2000);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  console.log(`load average (1/5/15 min) before: ${load()}`);
  const db = await createReportingDatabase('bench_reporting_consumer');
  const pool = db.database.pool;
  const bus = new PostgresMessageBus({ pool, registry: platformContracts(), idleMs: 20 });
  try {
    const history = generatedHistory({ name: 'bench', seed: 15, networks: 10, microstructuresPerNetwork: 10, patients: PATIENTS });
    const events = history.events;
    await bus.ensureTopics([]);
    const published = Date.now();
    await bus.publish(events);
    console.log(`history: ${events.length} integration events (${PATIENTS} patients, 100 microstructures), published in ${((Date.now() - published) / 1000).toFixed(1)} s`);

    // 1. Baseline: fact-sized rows, one insert statement per row, 500 rows per transaction.
    await pool.query(`create table public.baseline (month date, microstructure_id text, patient_id text, contacts int, sex text, age_band text, primary key (month, microstructure_id, patient_id))`);
    const baselineStart = Date.now();
    for (let start = 0; start < events.length; start += 500) {
      const tx = await pool.connect();
      try {
        await tx.query('begin');
        for (let i = start; i < Math.min(start + 500, events.length); i++) {
          await tx.query(`insert into public.baseline values ($1, $2, $3, 1, 'FEMALE', 'AGE_25_34')`, ['2024-01-01', `ms-${i % 100}`, `p-${i}`]);
        }
        await tx.query('commit');
      } finally {
        tx.release();
      }
    }
    const baseline = events.length / ((Date.now() - baselineStart) / 1000);
    console.log(`baseline: raw INSERT of fact-sized rows, 500 per transaction: ${Math.round(baseline)} rows/s`);

    // 2. Live consumption: reporting's consumer drains the log, as the service runs it (a delivered batch at once),
    // then, on a second database holding the same log, event by event (the handler alone), for comparison.
    const live = await drain(bus, pool, events.length, true);
    console.log(`live consumption (PostgreSQL bus, a delivered batch at once): ${Math.round(live)} events/s, ${(live / baseline).toFixed(2)} × baseline`);
    const other = await createReportingDatabase('bench_reporting_consumer_one_by_one');
    const otherBus = new PostgresMessageBus({ pool: other.database.pool, registry: platformContracts(), idleMs: 20 });
    try {
      await otherBus.ensureTopics([]);
      await otherBus.publish(events);
      const oneByOne = await drain(otherBus, other.database.pool, events.length, false);
      console.log(`live consumption (PostgreSQL bus, batched delivery, event by event handler): ${Math.round(oneByOne)} events/s, ${(oneByOne / baseline).toFixed(2)} × baseline`);
    } finally {
      await otherBus.close();
      await other.database.drop();
    }

    // 3. Rebuild from the inbox.
    const rebuildStart = Date.now();
    const done = await rebuildFacts(pool);
    const rebuild = done.eventsDone / ((Date.now() - rebuildStart) / 1000);
    console.log(`rebuild (set-based): ${done.eventsDone} events, ${Math.round(rebuild)} events/s, ${(rebuild / baseline).toFixed(2)} × baseline`);
    console.log(`load average (1/5/15 min) after: ${load()}`);
  } finally {
    await bus.close();
    await db.database.drop();
  }
}

/** Subscribes reporting's consumer at the start of the log and waits until its inbox holds every event: events/s. */
async function drain(bus: PostgresMessageBus, pool: Pool, total: number, batches: boolean): Promise<number> {
  const start = Date.now();
  const consumer = await bus.subscribe({
    group: 'reporting',
    topics: reportingConsumer.topics,
    pool,
    schema: 'reporting',
    handler: (event, tx) => reportingConsumer.handle(event, tx),
    batchHandler: batches ? (batch, tx) => reportingConsumer.handleBatch!(batch, tx) : undefined,
    handlersRecordEventIds: reportingConsumer.recordsEventIds,
  });
  try {
    for (;;) {
      const { rows } = await pool.query<{ n: string }>(`select count(*)::text as n from reporting.inbox`);
      if (Number(rows[0].n) >= total) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return total / ((Date.now() - start) / 1000);
  } finally {
    await consumer.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

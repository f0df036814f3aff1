import { platformContracts } from '@cnrms/contracts';
import { PostgresEventStore } from '@cnrms/eventsourcing';
import { IntegrationEvent } from '@cnrms/messaging';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { actEvents, EnvelopeFactory, microstructureDirectoryEvents, networkEvents } from '../events/integration-events';
import { addDays, monthOf } from '../plan/dates';
import { historyStart } from '../plan/directory.plan';
import { Plan } from '../plan/plan';
import { Random, subSeed } from '../plan/random';

/**
 * The benchmark's history, written straight into the PostgreSQL bus's event log (schema `bus`, the
 * `events` table of `PostgresEventStore`) with COPY, in batches of one transaction each: the
 * integration events the services would have published for the plan, in date order. It bypasses the
 * command path on purpose — through the gateway a national history of millions of events takes hours
 * on a 2-core machine — so the services' own event stores stay empty: only the bus consumers
 * (reporting) see this history.
 */
export interface BulkLoadOptions {
  pool: Pool;
  plan: Plan;
  schema?: string;
  /** Rows per COPY (one transaction each). */
  batchSize?: number;
  /** Validate one event out of N against its zod contract (1: all). */
  validateEvery?: number;
  /** Stop after this many events (a measuring run). */
  maxEvents?: number;
  /** Drop the secondary indexes during the load and rebuild them at the end (default true). */
  deferIndexes?: boolean;
  /** Complete a load cut short: the events already in the log are not written again. */
  resume?: boolean;
  onProgress?: (progress: { events: number; month: string; seconds: number }) => void;
}

export interface BulkLoadResult {
  events: number;
  validated: number;
  batches: number;
  seconds: number;
  /** Of which rebuilding the indexes at the end. */
  indexSeconds: number;
  byType: Record<string, number>;
}

/** COPY text format: a backslash is the escape character; JSON.stringify leaves no raw tab or newline. */
const copyText = (value: string) => value.replace(/\\/g, '\\\\');

export async function bulkLoad(options: BulkLoadOptions): Promise<BulkLoadResult> {
  const schema = options.schema ?? 'bus';
  const { pool, plan } = options;
  await new PostgresEventStore({ pool, schema }).migrate();
  // A load cut short (a server restart) resumes: the plan is replayed and its first `already` events, committed batch by batch, are not written again.
  const already = options.resume ? await countLogEvents(pool, schema) : 0;
  if (!options.resume && (await countLogEvents(pool, schema)) > 0) throw new Error(`the log of schema ${schema} is not empty: --resume to complete a load cut short`);
  const restore = options.deferIndexes === false ? async () => 0 : await deferIndexes(pool, schema);
  const registry = platformContracts();
  const envelopes = new EnvelopeFactory(new Random(subSeed(plan.parameters.seed, 'envelopes')));
  const logIds = new Random(subSeed(plan.parameters.seed, 'log-ids'));
  const versions = new Map<string, number>();
  const byType: Record<string, number> = {};
  const validateEvery = options.validateEvery ?? 1;
  const batchSize = options.batchSize ?? 20_000;
  const maxEvents = options.maxEvents ?? Infinity;
  const started = Date.now();
  let lines: string[] = [];
  let events = 0;
  let validated = 0;
  let batches = 0;
  let month = '';

  // One COPY in flight while the next batch is built: batches still commit in order, one after the other.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (lines.length === 0) return;
    const text = lines.join('');
    const progress = { events, month };
    lines = [];
    await inFlight;
    inFlight = copyBatch(pool, schema, text).then(() => {
      batches++;
      options.onProgress?.({ ...progress, seconds: (Date.now() - started) / 1000 });
    });
  };

  const add = async (batch: IntegrationEvent[]) => {
    for (const event of batch) {
      if (events >= maxEvents) return;
      if (events % validateEvery === 0) {
        registry.validateForPublish(event.type, event.version, event.payload);
        validated++;
      }
      // As PostgresMessageBus.publish appends it: stream `<topic>-<key>`, the envelope as data, a log id of its own.
      const streamId = `${event.topic}-${event.key}`;
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      const metadata = { eventId: logIds.uuid(), correlationId: event.correlationId, causationId: event.causationId, actorId: 'system:bus', networkId: event.networkId, occurredAt: event.occurredAt };
      if (events < already) {
        events++;
        continue;
      }
      lines.push(`${streamId}\t${event.topic}\t${version}\t${metadata.eventId}\t${event.type}\t${copyText(JSON.stringify(event))}\t${copyText(JSON.stringify(metadata))}\n`);
      byType[event.type] = (byType[event.type] ?? 0) + 1;
      events++;
      if (lines.length >= batchSize) await flush();
    }
  };

  const start = historyStart(plan.parameters);
  await add(networkEvents(plan.directory, envelopes, addDays(start, -1)));
  const opening = new Map<string, typeof plan.directory.microstructures>();
  for (const m of plan.directory.microstructures) {
    const at = m.openedOn < start ? monthOf(start) : monthOf(m.openedOn);
    opening.set(at, [...(opening.get(at) ?? []), m]);
  }
  for (const batch of plan.months()) {
    month = batch.month;
    // A microstructure's directory events come in the month it opens, before its first patients.
    for (const m of opening.get(batch.month) ?? []) await add(microstructureDirectoryEvents(m, envelopes));
    for (const act of batch.acts) await add(actEvents(act, envelopes));
    if (events >= maxEvents) break;
  }
  await flush();
  await inFlight;
  const indexSeconds = await restore();
  return { events, validated, batches, seconds: (Date.now() - started) / 1000, indexSeconds, byType };
}

async function copyBatch(pool: Pool, schema: string, text: string): Promise<void> {
  const client = await pool.connect();
  try {
    // A lost batch is loaded again from the same seed: no need to wait for each commit's flush to disk.
    await client.query('set synchronous_commit = off');
    await client.query('begin');
    const copy = client.query(copyFrom(`copy "${schema}".events (stream_id, stream_category, stream_version, event_id, event_type, data, metadata) from stdin`));
    await pipeline(Readable.from([text]), copy);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Into an empty log, the secondary indexes and unique constraints are dropped and rebuilt once at the
 * end (a sort each, instead of millions of random B-tree inserts), from the definitions PostgreSQL
 * itself gives before the drop: the table ends exactly as the event store's migration made it.
 */
async function deferIndexes(pool: Pool, schema: string): Promise<() => Promise<number>> {
  const table = `"${schema}".events`;
  const saved = `"${schema}".generator_deferred_indexes`;
  // The definitions are kept in the database until rebuilt, so that a resumed load still has them.
  await pool.query(`create table if not exists ${saved} (position serial primary key, statement text not null)`);
  const { rows: constraints } = await pool.query<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = $1::regclass and contype = 'u'`,
    [table],
  );
  const { rows: indexes } = await pool.query<{ name: string; definition: string }>(
    `select i.relname as name, pg_get_indexdef(i.oid) as definition from pg_index x join pg_class i on i.oid = x.indexrelid
     where x.indrelid = $1::regclass and not x.indisprimary and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`,
    [table],
  );
  for (const c of constraints) {
    await pool.query(`insert into ${saved} (statement) values ($1)`, [`alter table ${table} add constraint "${c.name}" ${c.definition}`]);
    await pool.query(`alter table ${table} drop constraint "${c.name}"`);
  }
  for (const i of indexes) {
    await pool.query(`insert into ${saved} (statement) values ($1)`, [i.definition]);
    await pool.query(`drop index "${schema}"."${i.name}"`);
  }
  return async () => {
    const started = Date.now();
    await pool.query(`set maintenance_work_mem = '512MB'`);
    const { rows } = await pool.query<{ statement: string }>(`select statement from ${saved} order by position`);
    for (const { statement } of rows) await pool.query(statement);
    await pool.query(`drop table ${saved}`);
    await pool.query(`analyze ${table}`);
    return (Date.now() - started) / 1000;
  };
}

/** Events already in the log (to refuse loading twice, `--if-empty`, or to resume). */
export async function countLogEvents(pool: Pool, schema = 'bus'): Promise<number> {
  const { rows } = await pool.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [`"${schema}".events`]);
  if (!rows[0].exists) return 0;
  const count = await pool.query<{ n: string }>(`select count(*) as n from "${schema}".events`);
  return Number(count.rows[0].n);
}

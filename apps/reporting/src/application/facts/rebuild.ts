import { DomainError } from '@cnrms/decider';
import { inTransaction } from '@cnrms/service-kit';
import { Pool, PoolClient } from 'pg';
import { applyRange, factStatementGroups } from './apply-range';
import { allCellsSql } from './cells';
import { CellWriting, createFactSet, FACTS_LOCK_SQL, FactSetRow, prepareFactWrites, secondaryIndexStatements } from './fact-sets';

/** Where a rebuild stands: logged, queryable (GraphQL `reportingRebuild`) and drawn by the CLI. */
export interface RebuildProgress {
  version: number;
  status: FactSetRow['status'];
  eventsDone: number;
  eventsTotal: number;
  ratePerSecond: number;
  secondsLeft: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export function progressOf(row: FactSetRow, now = new Date()): RebuildProgress {
  const done = Number(row.events_applied);
  const remaining = Math.max(0, Number(row.target_position ?? row.position) - Number(row.position));
  const elapsed = row.started_at ? ((row.finished_at ?? now).getTime() - row.started_at.getTime()) / 1000 : 0;
  const rate = elapsed > 0 ? done / elapsed : 0;
  return {
    version: row.version,
    status: row.status,
    eventsDone: done,
    eventsTotal: row.status === 'BUILDING' ? done + remaining : done,
    ratePerSecond: Math.round(rate),
    secondsLeft: row.status !== 'BUILDING' ? 0 : rate > 0 ? Math.ceil(remaining / rate) : null,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    error: row.error,
  };
}

export interface RebuildOptions extends CellWriting {
  /** Inbox sequence numbers applied per transaction (set-based: the statements per chunk do not grow with it). */
  batchSize?: number;
  /** After each batch (awaited: a slow callback slows the rebuild). */
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  /** Called once the new fact set is created (the caller may answer before the rebuild ends). */
  onStarted?: (progress: RebuildProgress) => void;
}

const REBUILD_LOCK = `hashtext('cnrms:reporting:rebuild')`;

/** Applies the inbox range (from, to] to the set with its cells and moves its position, count and freshness, in the caller's transaction. */
async function applyChunk(tx: PoolClient, set: FactSetRow, from: string, to: string, writing: CellWriting): Promise<void> {
  await prepareFactWrites(tx, writing);
  await useBatchMemory(tx);
  await applyRange(tx, set.schema_name, from, to);
  await movePosition(tx, set, from, to);
}

/** Moves the set's position, count and freshness past the inbox range (from, to], in the caller's transaction. */
async function movePosition(tx: PoolClient, set: FactSetRow, from: string, to: string): Promise<void> {
  await tx.query(
    `update reporting.fact_sets f set position = $3, events_applied = events_applied + x.n, last_event_at = greatest(last_event_at, x.latest),
       target_position = greatest(coalesce(target_position, 0), (select coalesce(max(seq), 0) from reporting.inbox))
     from (select count(*) as n, max(occurred_at) as latest from reporting.inbox where seq > $2 and seq <= $3) x where f.version = $1`,
    [set.version, from, to],
  );
}

/**
 * `applyChunk` without the cells, for the chunks before the switch, on two connections: the reference data and the
 * inclusions in a transaction, then the follow-up and the outcomes side by side (`FactStatements`: they touch no common
 * row), the position moved with the follow-up. A chunk applied on one connection kept one of the machine's cores
 * busy. The set is nobody's to read yet: a failure of either transaction marks it FAILED, whatever the other did.
 */
async function applyChunkSideBySide(pool: Pool, set: FactSetRow, from: string, to: string, writing: CellWriting): Promise<void> {
  const { reference, followUp, outcomes } = factStatementGroups(set.schema_name, { logIncrements: false });
  const apply = (statements: string[], then?: (tx: PoolClient) => Promise<void>) =>
    inTransaction(pool, async (tx) => {
      await prepareFactWrites(tx, writing);
      await useBatchMemory(tx);
      for (const sql of statements) await tx.query(sql, [from, to]);
      await then?.(tx);
    });
  await apply(reference);
  const results = await Promise.allSettled([apply(followUp, (tx) => movePosition(tx, set, from, to)), apply(outcomes)]);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * A rebuild's transactions sort and hash tens of thousands of events, and all of a set's patient-months for its
 * cells: with the server's default `work_mem` (4 MB) they spill to disk. One session, so a larger setting is bounded.
 */
async function useBatchMemory(tx: PoolClient, workMem = '256MB'): Promise<void> {
  await tx.query(`set local work_mem = '${workMem}'; set local maintenance_work_mem = '512MB'`);
}

/**
 * The cells' computation sorts a whole set's rows once (the month-end rows with every contact and review: 4.5 million
 * rows, 600 MB, on the national history), where 256 MB spilled to disk.
 */
const CELLS_MEMORY = '1GB';

/** Runs each chain of statements in a transaction of its own (prepared by `prepare`), the chains side by side. */
async function sideBySide(pool: Pool, chains: string[][], prepare: (tx: PoolClient) => Promise<void>): Promise<void> {
  await Promise.all(
    chains.map((chain) =>
      inTransaction(pool, async (tx) => {
        await prepare(tx);
        for (const sql of chain) await tx.query(sql);
      }),
    ),
  );
}

/**
 * Statistics for the planner, and the visibility map: a fresh table's pages are not yet marked all-visible, so an
 * index-only scan (lost to follow-up looks each active patient's months up by index) still reads every row's page
 * until autovacuum gets to it — measured 1.5 s more on the national history.
 */
async function vacuumFactSet(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by pg_total_relation_size(format('%I.%I', table_schema, table_name)) desc`,
    [schema],
  );
  // On two connections, each taking the largest table left (a vacuum runs on one core: 10 s one after the other on the national history).
  const left = rows.map((row) => row.table_name);
  await Promise.all(
    [0, 1].map(async () => {
      for (let table = left.shift(); table; table = left.shift()) await pool.query(`vacuum (analyze) ${schema}.${table}`);
    }),
  );
}

const lastSeq = async (db: Pick<Pool | PoolClient, 'query'>) => BigInt((await db.query<{ max: string }>(`select coalesce(max(seq), 0)::text as max from reporting.inbox`)).rows[0].max);

const reload = async (db: Pick<Pool | PoolClient, 'query'>, version: number) => (await db.query<FactSetRow>(`select * from reporting.fact_sets where version = $1`, [version])).rows[0];

/**
 * Rebuilds every reporting projection from the start of the inbox into a new fact set (a new schema),
 * while queries go on reading the active one; then, under the lock live events take, applies what
 * arrived meanwhile and switches. The previous set is kept (RETIRED) until the next rebuild drops it,
 * so that a query still reading it finishes. One rebuild at a time (a session advisory lock).
 */
export async function rebuildFacts(pool: Pool, options: RebuildOptions = {}): Promise<RebuildProgress> {
  const batchSize = BigInt(options.batchSize ?? 50_000);
  const lockHolder = await pool.connect();
  try {
    const { rows } = await lockHolder.query<{ locked: boolean }>(`select pg_try_advisory_lock(${REBUILD_LOCK}) as locked`);
    if (!rows[0].locked) throw new DomainError('REBUILD_ALREADY_RUNNING', 'Une reconstruction des indicateurs est déjà en cours.', 'CONFLICT');
    let set = await inTransaction(pool, async (tx) => {
      // A rebuild that died left its set BUILDING; sets retired by the previous rebuild have no reader left.
      const stale = (await tx.query<{ schema_name: string }>(`update reporting.fact_sets set status = 'FAILED', error = coalesce(error, 'interrompue') where status = 'BUILDING' returning schema_name`)).rows;
      const retired = (await tx.query<{ schema_name: string }>(`select schema_name from reporting.fact_sets where status in ('RETIRED', 'FAILED')`)).rows;
      for (const { schema_name } of [...stale, ...retired]) await tx.query(`drop schema if exists ${schema_name} cascade`);
      const next = (await tx.query<{ next: number }>(`select coalesce(max(version), 0) + 1 as next from reporting.fact_sets`)).rows[0].next;
      await createFactSet(tx, next, 'BUILDING', { withSecondaryIndexes: false });
      await tx.query(`update reporting.fact_sets set target_position = (select coalesce(max(seq), 0) from reporting.inbox) where version = $1`, [next]);
      return reload(tx, next);
    });
    options.onStarted?.(progressOf(set));
    try {
      // Chunks while far from the end of the inbox; the last stretch under the lock live events take, then the switch.
      for (let position = BigInt(set.position); (await lastSeq(pool)) - position > batchSize; position += batchSize) {
        await applyChunkSideBySide(pool, set, position.toString(), (position + batchSize).toString(), options);
        set = await reload(pool, set.version);
        await options.onProgress?.(progressOf(set));
      }
      // The cells of everything applied so far, set-based (they read whole tables, no index), then the secondary
      // indexes, each built once over its full table rather than kept up to date row by row (the last stretch, below,
      // keeps the cells up to date, reading by those indexes). Each on two connections side by side: the set is
      // nobody's to read yet, and a failure marks it FAILED.
      await sideBySide(pool, allCellsSql(set.schema_name), async (tx) => {
        await useBatchMemory(tx, CELLS_MEMORY);
        await prepareFactWrites(tx, options);
      });
      const indexes = secondaryIndexStatements(set.schema_name);
      await sideBySide(pool, [0, 1].map((half) => indexes.filter((_, index) => index % 2 === half)), (tx) => useBatchMemory(tx));
      // Fresh tables have no statistics nor visibility map yet: without them the first dashboards after the switch get poor plans.
      await vacuumFactSet(pool, set.schema_name);
      await inTransaction(pool, async (tx) => {
        await tx.query(FACTS_LOCK_SQL);
        const position = (await reload(tx, set.version)).position;
        await applyChunk(tx, set, position, (await lastSeq(tx)).toString(), options);
        await tx.query(`update reporting.fact_sets set status = 'RETIRED' where status = 'ACTIVE'`);
        await tx.query(`update reporting.fact_sets set status = 'ACTIVE', activated_at = now(), finished_at = now(), target_position = position where version = $1`, [set.version]);
      });
    } catch (error) {
      await pool.query(`update reporting.fact_sets set status = 'FAILED', finished_at = now(), error = $2 where version = $1`, [set.version, error instanceof Error ? error.message : String(error)]);
      throw error;
    }
    const done = progressOf(await reload(pool, set.version));
    await options.onProgress?.(done);
    return done;
  } finally {
    await lockHolder.query(`select pg_advisory_unlock(${REBUILD_LOCK})`).catch(() => undefined);
    lockHolder.release();
  }
}

/** The rebuild in progress, else the last one (or the active set when none ever ran). */
export async function lastRebuild(db: Pick<Pool | PoolClient, 'query'>): Promise<RebuildProgress | null> {
  const { rows } = await db.query<FactSetRow>(`select * from reporting.fact_sets order by (status = 'BUILDING') desc, version desc limit 1`);
  return rows[0] ? progressOf(rows[0]) : null;
}

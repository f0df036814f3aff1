import { DomainError } from '@cnrms/decider';
import { Pool, PoolClient } from 'pg';
import { applyEvent } from './apply-event';
import { createFactSet, FACTS_LOCK_SQL, FactSetRow } from './fact-sets';

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

interface InboxRow {
  seq: string;
  type: string;
  payload: unknown;
  occurred_at: Date;
}

export interface RebuildOptions {
  batchSize?: number;
  /** After each batch (awaited: a slow callback slows the rebuild). */
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  /** Called once the new fact set is created (the caller may answer before the rebuild ends). */
  onStarted?: (progress: RebuildProgress) => void;
}

const REBUILD_LOCK = `hashtext('cnrms:reporting:rebuild')`;

async function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('begin');
    const result = await work(tx);
    await tx.query('commit');
    return result;
  } catch (error) {
    await tx.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}

async function applyBatch(tx: PoolClient, set: FactSetRow, rows: InboxRow[]): Promise<void> {
  for (const row of rows) await applyEvent(tx, set.schema_name, { type: row.type, payload: row.payload });
  const last = rows[rows.length - 1];
  const latest = rows.reduce((max, row) => (row.occurred_at > max ? row.occurred_at : max), rows[0].occurred_at);
  await tx.query(
    `update reporting.fact_sets set position = $2, events_applied = events_applied + $3, last_event_at = greatest(last_event_at, $4),
       target_position = greatest(coalesce(target_position, 0), (select coalesce(max(seq), 0) from reporting.inbox)) where version = $1`,
    [set.version, last.seq, rows.length, latest],
  );
}

const readBatch = async (db: Pick<Pool | PoolClient, 'query'>, after: string, limit: number) =>
  (await db.query<InboxRow>(`select seq, type, payload, occurred_at from reporting.inbox where seq > $1 order by seq limit $2`, [after, limit])).rows;

const reload = async (db: Pick<Pool | PoolClient, 'query'>, version: number) => (await db.query<FactSetRow>(`select * from reporting.fact_sets where version = $1`, [version])).rows[0];

/**
 * Rebuilds every reporting projection from the start of the inbox into a new fact set (a new schema),
 * while queries go on reading the active one; then, under the lock live events take, applies what
 * arrived meanwhile and switches. The previous set is kept (RETIRED) until the next rebuild drops it,
 * so that a query still reading it finishes. One rebuild at a time (a session advisory lock).
 */
export async function rebuildFacts(pool: Pool, options: RebuildOptions = {}): Promise<RebuildProgress> {
  const batchSize = options.batchSize ?? 2000;
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
      await createFactSet(tx, next, 'BUILDING');
      await tx.query(`update reporting.fact_sets set target_position = (select coalesce(max(seq), 0) from reporting.inbox) where version = $1`, [next]);
      return reload(tx, next);
    });
    options.onStarted?.(progressOf(set));
    try {
      for (;;) {
        const batch = await readBatch(pool, set.position, batchSize);
        if (batch.length < batchSize) break;
        await inTransaction(pool, (tx) => applyBatch(tx, set, batch));
        set = await reload(pool, set.version);
        await options.onProgress?.(progressOf(set));
      }
      await inTransaction(pool, async (tx) => {
        await tx.query(FACTS_LOCK_SQL);
        for (let position = (await reload(tx, set.version)).position; ; ) {
          const batch = await readBatch(tx, position, batchSize);
          if (batch.length === 0) break;
          await applyBatch(tx, set, batch);
          position = batch[batch.length - 1].seq;
        }
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

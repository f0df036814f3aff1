import { Pool, PoolClient } from 'pg';
import { streamCategory } from '../store/event-store.port';
import { quoteIdentifier } from './event-store.migrations';

/**
 * Moving streams between two PostgreSQL event stores of the same service (a network moved from the national
 * deployment to its own, docs/deployments.md): events keep their ids, stream versions, types, data, metadata
 * and recording time; they take new global positions at the end of the target's log, in the order they had in
 * the source, so that the target's projections and relay see them as new events.
 */
export interface TransferredEvent {
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: Date;
}

/** A target stream already holds other events than the source's: nothing was imported. */
export class StreamTransferConflict extends Error {
  constructor(readonly streamId: string, reason: string) {
    super(`Le flux ${streamId} ne peut pas être importé : ${reason}.`);
    this.name = 'StreamTransferConflict';
  }
}

interface Row {
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const fromRow = (row: Row): TransferredEvent => ({
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  eventId: row.event_id,
  type: row.event_type,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at,
});

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Every event of the given streams, in the store's global order. */
export async function exportStreams(db: Queryable, schema: string, streamIds: readonly string[]): Promise<TransferredEvent[]> {
  if (streamIds.length === 0) return [];
  const { rows } = await db.query<Row>(
    `select stream_id, stream_version, event_id::text, event_type, data, metadata, recorded_at
       from ${quoteIdentifier(schema)}.events where stream_id = any($1::text[]) order by transaction_id, global_position`,
    [streamIds],
  );
  return rows.map(fromRow);
}

/**
 * Appends exported events to a target store in ONE transaction, with the stream locks of an append.
 * Resumable: a stream whose target already holds the same first events (same ids, same versions) gets only
 * the rest; a stream that holds anything else refuses the whole import (`StreamTransferConflict`), and
 * nothing is written. Returns how many events were written.
 */
export async function importStreams(pool: Pool, schema: string, events: readonly TransferredEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const table = `${quoteIdentifier(schema)}.events`;
  const streamIds = [...new Set(events.map((e) => e.streamId))];
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (const streamId of [...streamIds].sort()) {
      await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`${schema}:${streamId}`]);
    }
    const { rows } = await client.query<{ stream_id: string; stream_version: number; event_id: string }>(
      `select stream_id, stream_version, event_id::text from ${table} where stream_id = any($1::text[]) order by stream_id, stream_version`,
      [streamIds],
    );
    const present = new Map<string, Map<number, string>>();
    for (const row of rows) present.set(row.stream_id, (present.get(row.stream_id) ?? new Map()).set(row.stream_version, row.event_id));
    const missing: TransferredEvent[] = [];
    for (const event of events) {
      const held = present.get(event.streamId)?.get(event.streamVersion);
      if (held === undefined) missing.push(event);
      else if (held !== event.eventId) throw new StreamTransferConflict(event.streamId, `la version ${event.streamVersion} y est déjà un autre événement`);
    }
    for (const [streamId, versions] of present) {
      const source = events.filter((e) => e.streamId === streamId);
      if (versions.size > source.length) throw new StreamTransferConflict(streamId, 'la cible y a enregistré des événements que la source n’a pas');
    }
    const taken = await client.query<{ event_id: string }>(`select event_id::text from ${table} where event_id = any($1::uuid[])`, [missing.map((e) => e.eventId)]);
    if (taken.rows.length > 0) throw new StreamTransferConflict(missing.find((e) => e.eventId === taken.rows[0].event_id)!.streamId, `l’événement ${taken.rows[0].event_id} est déjà dans un autre flux de la cible`);
    // Positions are given in insertion order: `order by n` keeps the source's order, 500 events a statement.
    for (let start = 0; start < missing.length; start += 500) {
      const chunk = missing.slice(start, start + 500);
      await client.query(
        `insert into ${table} (stream_id, stream_category, stream_version, event_id, event_type, data, metadata, recorded_at)
         select s, c, v, id, t, d, m, r
           from unnest($1::text[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])
             with ordinality as e(s, c, v, id, t, d, m, r, n)
          order by n`,
        [
          chunk.map((e) => e.streamId),
          chunk.map((e) => streamCategory(e.streamId)),
          chunk.map((e) => e.streamVersion),
          chunk.map((e) => e.eventId),
          chunk.map((e) => e.type),
          chunk.map((e) => JSON.stringify(e.data)),
          chunk.map((e) => JSON.stringify(e.metadata)),
          chunk.map((e) => e.recordedAt),
        ],
      );
    }
    // The store's subscribers (projections, relay) wake up as after an append.
    if (missing.length > 0) await client.query('select pg_notify($1, $2)', [`${schema}_events`, streamIds.slice(0, 50).join(',')]);
    await client.query('commit');
    return missing.length;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Deletes whole streams, inside the caller's transaction (a network handed over to its own deployment). */
export async function deleteStreams(client: PoolClient, schema: string, streamIds: readonly string[]): Promise<number> {
  if (streamIds.length === 0) return 0;
  const { rowCount } = await client.query(`delete from ${quoteIdentifier(schema)}.events where stream_id = any($1::text[])`, [streamIds]);
  return rowCount ?? 0;
}

import { Client, Pool, PoolClient } from 'pg';
import { assertDistinctStreams, checkExpectedVersion } from '../store/errors';
import {
  AppendResult,
  BatchHandler,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  GlobalPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  streamCategory,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../store/event-store.port';
import { pollingSubscription } from '../store/polling-subscription';
import { migrateEventStore, quoteIdentifier } from './event-store.migrations';

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** PostgreSQL schema holding this service's events. */
  schema: string;
  /** Longest wait of an idle subscription before it reads again (late commits without notification). */
  idleMs?: number;
  batchSize?: number;
}

interface EventRow {
  global_position: string;
  transaction_id_text: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

/**
 * Selected columns. The transaction id is read as text (JavaScript has no 64-bit integer row type) under
 * its own name: an output column named `transaction_id` would shadow the table's xid8 column in
 * ORDER BY, which then sorts the ids as strings ('100001' before '99967') whenever they differ in their
 * number of digits, and a subscriber's checkpoint goes backwards (events delivered twice, out of order).
 * ORDER BY clauses also name the table's columns through the `e` alias, never an output column.
 */
const columns =
  'e.global_position, e.transaction_id::text as transaction_id_text, e.stream_id, e.stream_version, e.event_type, e.data, e.metadata, e.recorded_at';

/**
 * Event store on one PostgreSQL table. The global order is (transaction id, global position), and a
 * reader only sees events of transactions older than the oldest one still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`): an event whose transaction commits after a
 * later-numbered one is never skipped by a subscriber, it is delivered once its transaction is visible.
 * Appends to one stream are serialised by a transaction-scoped advisory lock, so the stream's current
 * version is read after the previous append committed and its transaction id is always greater.
 */
export class PostgresEventStore implements EventStore {
  private readonly table: string;
  private readonly channel: string;
  private listener?: Promise<Client>;
  private readonly wakeups = new Set<() => void>();

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.table = `${quoteIdentifier(options.schema)}.events`;
    this.channel = `${options.schema}_events`;
  }

  migrate(): Promise<void> {
    return migrateEventStore(this.options.pool, this.options.schema);
  }

  async appendToStream(streamId: string, events: readonly EventToAppend[], options: { expectedVersion?: ExpectedVersion } = {}): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, events, expectedVersion: options.expectedVersion }]);
    return result;
  }

  /**
   * One transaction for every stream: the advisory locks are taken in a fixed order (sorted stream ids,
   * so that two multi-stream appends cannot deadlock), every version is checked, then every event is
   * inserted; any failure rolls the whole change back.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    const client = await this.options.pool.connect();
    try {
      await client.query('begin');
      const locked = [...appends].map((a) => a.streamId).sort();
      for (const streamId of locked) {
        await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.options.schema}:${streamId}`]);
      }
      const results: AppendResult[] = [];
      let notify = false;
      for (const { streamId, events, expectedVersion } of appends) {
        const current = await this.currentVersion(client, streamId);
        checkExpectedVersion(streamId, expectedVersion ?? 'any', current);
        if (events.length === 0) {
          results.push({ nextExpectedVersion: current, position: START });
          continue;
        }
        const { rows } = await client.query<{ global_position: string; transaction_id_text: string }>(
          `insert into ${this.table} (stream_id, stream_category, stream_version, event_id, event_type, data, metadata)
           select $1, $2, v, id, t, d, m
           from unnest($3::int[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[]) as e(v, id, t, d, m)
           returning global_position, transaction_id::text as transaction_id_text`,
          [
            streamId,
            streamCategory(streamId),
            events.map((_, i) => current + i + 1),
            events.map((e) => e.metadata.eventId),
            events.map((e) => e.type),
            events.map((e) => JSON.stringify(e.data)),
            events.map((e) => JSON.stringify(e.metadata)),
          ],
        );
        notify = true;
        const last = rows[rows.length - 1];
        results.push({
          nextExpectedVersion: current + events.length,
          position: { commit: BigInt(last.transaction_id_text), prepare: BigInt(last.global_position) },
        });
      }
      if (notify) await client.query('select pg_notify($1, $2)', [this.channel, appends.map((a) => a.streamId).join(',')]);
      await client.query('commit');
      return results;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.options.pool.query<EventRow>(
      `select ${columns} from ${this.table} as e where e.stream_id = $1 and e.stream_version >= $2 order by e.stream_version limit $3`,
      [streamId, options.fromVersion ?? 1, options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const params: unknown[] = [after.commit.toString(), after.prepare.toString(), options.maxCount ?? null];
    let categoryFilter = '';
    if (options.categories) {
      params.push(options.categories);
      categoryFilter = `and e.stream_category = any($4::text[])`;
    }
    const { rows } = await this.options.pool.query<EventRow>(
      `select ${columns} from ${this.table} as e
       where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
         and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ${categoryFilter}
       order by e.transaction_id, e.global_position
       limit $3`,
      params,
    );
    return rows.map(toRecordedEvent);
  }

  /** Position of the last event visible to readers (START when the log is empty). */
  async headPosition(): Promise<GlobalPosition> {
    const { rows } = await this.options.pool.query<{ transaction_id_text: string; global_position: string }>(
      `select e.transaction_id::text as transaction_id_text, e.global_position from ${this.table} as e
       where e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       order by e.transaction_id desc, e.global_position desc limit 1`,
    );
    return rows[0] ? { commit: BigInt(rows[0].transaction_id_text), prepare: BigInt(rows[0].global_position) } : START;
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    return pollingSubscription(this, { batchSize: this.options.batchSize, idleMs: this.options.idleMs, ...options }, handler, (wake) => {
      this.wakeups.add(wake);
      this.ensureListener().catch((error) => options.onError?.(error));
      return () => this.wakeups.delete(wake);
    });
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await (await listener.catch(() => undefined))?.end().catch(() => undefined);
  }

  private async currentVersion(client: PoolClient, streamId: string): Promise<number> {
    const { rows } = await client.query<{ version: number | null }>(`select max(stream_version) as version from ${this.table} where stream_id = $1`, [streamId]);
    return rows[0].version ?? 0;
  }

  /** One LISTEN connection per store wakes every live subscription when an append commits. */
  private ensureListener(): Promise<Client> {
    this.listener ??= (async () => {
      const { pool } = this.options;
      const client = new Client((pool as Pool & { options: object }).options);
      client.on('notification', () => this.wakeups.forEach((wake) => wake()));
      client.on('error', () => {
        // The connection is gone: the subscriptions keep polling; a later subscription reconnects.
        this.listener = undefined;
      });
      await client.connect();
      await client.query(`listen "${this.channel}"`);
      return client;
    })();
    return this.listener;
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: { commit: BigInt(row.transaction_id_text), prepare: BigInt(row.global_position) },
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

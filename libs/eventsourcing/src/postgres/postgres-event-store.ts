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
import { pollingSubscription, SubscriptionRead } from '../store/polling-subscription';
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
  private readonly appendFunction: string;
  private readonly channel: string;
  private listener?: Promise<Client>;
  private readonly wakeups = new Set<() => void>();
  private notifying = false;
  private notifyAgain = false;
  private appending = 0;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.table = `${quoteIdentifier(options.schema)}.events`;
    this.appendFunction = `${quoteIdentifier(options.schema)}.append_to_stream`;
    this.channel = `${options.schema}_events`;
  }

  migrate(): Promise<void> {
    return migrateEventStore(this.options.pool, this.options.schema);
  }

  /**
   * One stream: one round trip, `append_to_stream` (event-store.migrations.ts) takes the stream's lock, reads its
   * version, checks the expected one and inserts in the statement's own transaction. Alone, it also sends the
   * wake-up NOTIFY there; with other appends of this store in flight, the wake-up is sent after the commit
   * (`notifyOtherProcesses`), so that concurrent commits do not queue on PostgreSQL's notification lock.
   */
  async appendToStream(streamId: string, events: readonly EventToAppend[], options: { expectedVersion?: ExpectedVersion } = {}): Promise<AppendResult> {
    const expected = options.expectedVersion ?? 'any';
    const notifyInside = this.appending === 0;
    this.appending++;
    const { rows } = await this.options.pool.query<{ o_version: number; o_position: string | null; o_transaction: string | null }>(
      `select o_version, o_position, o_transaction from ${this.appendFunction}($1, $2, $3, $4, $5::uuid[], $6::text[], $7::jsonb[], $8::jsonb[], $9)`,
      [
        `${this.options.schema}:${streamId}`,
        streamId,
        streamCategory(streamId),
        String(expected),
        events.map((e) => e.metadata.eventId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
        notifyInside ? this.channel : null,
      ],
    ).finally(() => this.appending--);
    const last = rows[rows.length - 1];
    if (last.o_position === null) {
      checkExpectedVersion(streamId, expected, last.o_version);
      return { nextExpectedVersion: last.o_version, position: START };
    }
    this.wakeSubscriptions();
    if (!notifyInside) this.notifyOtherProcesses();
    return { nextExpectedVersion: last.o_version + events.length, position: { commit: BigInt(last.o_transaction!), prepare: BigInt(last.o_position) } };
  }

  /** After an append commits: this process's subscriptions read at once. */
  private wakeSubscriptions(): void {
    this.wakeups.forEach((wake) => wake());
  }

  /**
   * After an append commits without its own NOTIFY: the other processes' subscriptions are woken by one NOTIFY
   * on the store's channel, sent from outside the append's transaction and coalesced (while one is on its way,
   * the appends that follow share the next). A lost wake-up costs at most `idleMs`: subscriptions poll.
   */
  private notifyOtherProcesses(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    void this.options.pool
      .query('select pg_notify($1, $2)', [this.channel, ''])
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.notifyOtherProcesses();
        }
      });
  }

  /**
   * Several streams, one transaction: the advisory locks are taken in a fixed order (sorted stream ids,
   * so that two multi-stream appends cannot deadlock), every version is checked, then every event is
   * inserted; any failure rolls the whole change back.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    if (appends.length === 1) return [await this.appendToStream(appends[0].streamId, appends[0].events, { expectedVersion: appends[0].expectedVersion })];
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
      await client.query('commit');
      if (notify) {
        this.wakeSubscriptions();
        this.notifyOtherProcesses();
      }
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
    return (await this.readForSubscription(options)).events;
  }

  /**
   * The events after a position in commit order, up to the horizon (`pg_snapshot_xmin`: every transaction
   * before it has ended, so nothing can commit before what is returned), and whether committed events lie beyond
   * it, held back by an older transaction still open: the subscription then reads again soon.
   */
  async readForSubscription(options: ReadAllOptions = {}): Promise<SubscriptionRead> {
    const after = options.after ?? START;
    const params: unknown[] = [after.commit.toString(), after.prepare.toString(), options.maxCount ?? null];
    let categoryFilter = '';
    if (options.categories) {
      params.push(options.categories);
      categoryFilter = `and e.stream_category = any($4::text[])`;
    }
    // Ordered by transaction then position, every row below the horizon comes before every row beyond it:
    // the rows below are the answer, one row beyond says that something is held back.
    const { rows } = await this.options.pool.query<EventRow & { beyond: boolean }>(
      `select ${columns}, e.transaction_id >= pg_snapshot_xmin(pg_current_snapshot()) as beyond from ${this.table} as e
       where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
         ${categoryFilter}
       order by e.transaction_id, e.global_position
       limit $3`,
      params,
    );
    const visible = rows.findIndex((row) => row.beyond);
    return { events: (visible === -1 ? rows : rows.slice(0, visible)).map(toRecordedEvent), heldBack: visible !== -1 };
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
      client.on('notification', () => this.wakeSubscriptions());
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

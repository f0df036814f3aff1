import { Pool } from 'pg';

/** Versioned schema of the PostgreSQL event store. Append-only list: never edit a released step. */
const steps: ((schema: string) => string)[] = [
  (s) => `
    create table ${s}.events (
      global_position bigint generated always as identity primary key,
      transaction_id xid8 not null default pg_current_xact_id(),
      stream_id text not null,
      stream_category text not null,
      stream_version integer not null,
      event_id uuid not null,
      event_type text not null,
      data jsonb not null,
      metadata jsonb not null,
      recorded_at timestamptz not null default now(),
      constraint events_stream_version_unique unique (stream_id, stream_version),
      constraint events_event_id_unique unique (event_id)
    );
    create index events_global_order on ${s}.events (transaction_id, global_position);
    create index events_category_order on ${s}.events (stream_category, transaction_id, global_position);
  `,
  // A client's command id (Idempotency-Key), when it gave one: finds what a command recorded after a crash.
  (s) => `create index events_command_id on ${s}.events ((metadata->>'commandId')) where metadata ? 'commandId';`,
  // A one-stream append in one round trip: the stream's lock, its version, the check, the insert and, when asked
  // (p_notify_channel), the wake-up NOTIFY, in one call (each statement of a function sees what committed before
  // it, so the version read after the lock is the latest). Returns the version before the append, and each event's
  // position; no position when the expected version does not hold (nothing is written) or when there is nothing to
  // write. The NOTIFY is asked only by a writer with no other append in flight: PostgreSQL serialises the commits of
  // notifying transactions (one lock per database), which halves concurrent appends; concurrent writers wake the
  // listeners after the commit instead, coalesced (postgres-event-store.ts).
  (s) => `
    create function ${s}.append_to_stream(p_lock text, p_stream text, p_category text, p_expected text,
        p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_notify_channel text)
      returns table (o_version integer, o_position bigint, o_transaction text)
      language plpgsql as $fn$
    declare
      v_current integer;
    begin
      perform pg_advisory_xact_lock(hashtextextended(p_lock, 0));
      select coalesce(max(e.stream_version), 0) into v_current from ${s}.events e where e.stream_id = p_stream;
      if not (p_expected = 'any' or (p_expected = 'no_stream' and v_current = 0) or (p_expected = 'stream_exists' and v_current > 0)
              or p_expected = v_current::text) or coalesce(cardinality(p_ids), 0) = 0 then
        return query select v_current, null::bigint, null::text;
        return;
      end if;
      if p_notify_channel is not null then
        perform pg_notify(p_notify_channel, '');
      end if;
      return query
        insert into ${s}.events as ev (stream_id, stream_category, stream_version, event_id, event_type, data, metadata)
        select p_stream, p_category, v_current + x.n::integer, x.id, x.t, x.d, x.m
        from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as x(id, t, d, m, n)
        order by x.n
        returning v_current, ev.global_position, ev.transaction_id::text;
    end
    $fn$;
  `,
];

/**
 * `create schema if not exists` is not safe against itself: two transactions creating the same schema at
 * once make one fail on pg_namespace's unique index. Every creator in the platform goes through here,
 * inside its own transaction, serialised by one transaction-scoped advisory lock per schema name.
 */
export async function createSchemaIfMissing(query: (text: string, values?: unknown[]) => Promise<unknown>, schema: string): Promise<void> {
  await query('select pg_advisory_xact_lock(hashtext($1))', [`cnrms:create-schema:${schema}`]);
  await query(`create schema if not exists ${quoteIdentifier(schema)}`);
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid schema name: ${name}`);
  return `"${name}"`;
}

/** Creates or upgrades the event store tables of a schema; safe to run from several processes at once. */
export async function migrateEventStore(pool: Pool, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`event-store-migration:${schema}`]);
    await createSchemaIfMissing((text, values) => client.query(text, values), schema);
    await client.query(`create table if not exists ${s}.event_store_migrations (version integer primary key, applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ version: number }>(`select coalesce(max(version), 0) as version from ${s}.event_store_migrations`);
    for (let version = rows[0].version + 1; version <= steps.length; version++) {
      await client.query(steps[version - 1](s));
      await client.query(`insert into ${s}.event_store_migrations (version) values ($1)`, [version]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

import { createSchemaIfMissing } from '@cnrms/eventsourcing';
import { Pool } from 'pg';

export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  return `"${schema}"`;
}

/** The consumer and relay tables of a service's schema; safe to run from several processes at once. */
export async function migrateMessaging(pool: Pool, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await createSchemaIfMissing((text, values) => client.query(text, values), schema);
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`cnrms:messaging-migration:${schema}`]);
    await client.query(`
      create table if not exists ${s}.messaging_processed (
        consumer_group text not null,
        event_id text not null,
        processed_at timestamptz not null default now(),
        primary key (consumer_group, event_id)
      );
      create table if not exists ${s}.messaging_parked (
        consumer_group text not null,
        event_id text not null,
        topic text not null,
        event_type text not null,
        version integer not null,
        envelope jsonb not null,
        reason text not null,
        parked_at timestamptz not null default now(),
        primary key (consumer_group, event_id)
      );
      create table if not exists ${s}.messaging_checkpoints (
        name text primary key,
        commit_position bigint not null,
        prepare_position bigint not null,
        updated_at timestamptz not null default now()
      );
    `);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

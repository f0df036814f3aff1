import { platformContracts, TOPICS } from '@cnrms/contracts';
import { Pool } from 'pg';
import { FACTS_LOCK_SQL } from './fact-sets';

/**
 * Copies into the inbox, in one statement, the integration events of the embedded bus's PostgreSQL log
 * (schema `bus`) that it lacks — for a first rebuild over a log written in bulk (the synthetic history's
 * COPY driver) instead of handing millions of events to the consumer one transaction each. Only types and
 * versions reporting knows at their current version are copied (older or newer ones still come through
 * the consumer, which upcasts or parks them); payloads are trusted as validated by their publisher's relay.
 * The events copied are in the inbox but not in the active fact set: a rebuild must follow (the CLI runs
 * one). Returns how many were copied.
 */
export async function backfillInboxFromBus(pool: Pool, busSchema = 'bus'): Promise<number> {
  if (!/^[a-z_][a-z0-9_]*$/.test(busSchema)) throw new Error(`invalid bus schema ${busSchema}`);
  const known = platformContracts().all();
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(FACTS_LOCK_SQL);
    const result = await client.query(
      `insert into reporting.inbox (event_id, type, version, topic, payload, occurred_at)
       select data->>'eventId', data->>'type', (data->>'version')::int, data->>'topic', data->'payload', (data->>'occurredAt')::timestamptz
       from ${busSchema}.events e
       join unnest($2::text[], $3::int[]) as k(type, version) on k.type = e.data->>'type' and k.version = (e.data->>'version')::int
       where e.stream_category = any($1::text[])
       order by e.transaction_id, e.global_position
       on conflict (event_id) do nothing`,
      [TOPICS.map((topic) => topic.name), known.map((c) => c.type), known.map((c) => c.version)],
    );
    await client.query('commit');
    return result.rowCount ?? 0;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

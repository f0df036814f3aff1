import { TOPICS } from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { IntegrationConsumer } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { applyEvent } from './facts/apply-event';
import { FACTS_LOCK_SQL } from './facts/fact-sets';

/**
 * Records one integration event, in the bus's transaction: into the inbox (once per event id: a
 * redelivery changes nothing) and into the active fact set, whose position and freshness move with it.
 * Every topic of the platform is consumed, including those of services still to come (their events are
 * parked by the messaging lib until reporting knows their contract). A malformed or unknown-version
 * event is dead-lettered or parked by the messaging lib and never stops the consumer.
 */
export async function recordIntegrationEvent(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  // Three round trips: the lock and the inbox row, the active set's position (which also names it), the facts.
  const inserted = await tx.query<{ seq: string }>(
    `with locked as (${FACTS_LOCK_SQL})
     insert into reporting.inbox (event_id, type, version, topic, payload, occurred_at) select $1::text, $2::text, $3::int, $4::text, $5::jsonb, $6::timestamptz from locked
     on conflict (event_id) do nothing returning seq`,
    [event.eventId, event.type, event.version, event.topic, JSON.stringify(event.payload), event.occurredAt],
  );
  if (inserted.rowCount === 0) return;
  const active = await tx.query<{ schema_name: string }>(
    `update reporting.fact_sets set position = $1, events_applied = events_applied + 1, last_event_at = greatest(last_event_at, $2::timestamptz) where status = 'ACTIVE' returning schema_name`,
    [inserted.rows[0].seq, event.occurredAt],
  );
  if (active.rowCount === 0) return;
  await applyEvent(tx, active.rows[0].schema_name, event);
}

export const reportingConsumer: IntegrationConsumer = {
  topics: TOPICS.map((topic) => topic.name),
  handle: recordIntegrationEvent,
};

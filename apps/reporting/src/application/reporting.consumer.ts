import { TOPICS } from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { IntegrationConsumer } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { applyEvent } from './facts/apply-event';
import { activeFactSet, FACTS_LOCK_SQL } from './facts/fact-sets';

/**
 * Records one integration event, in the bus's transaction: into the inbox (once per event id: a
 * redelivery changes nothing) and into the active fact set, whose position and freshness move with it.
 * Every topic of the platform is consumed, including those of services still to come (their events are
 * parked by the messaging lib until reporting knows their contract). A malformed or unknown-version
 * event is dead-lettered or parked by the messaging lib and never stops the consumer.
 */
export async function recordIntegrationEvent(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  await tx.query(FACTS_LOCK_SQL);
  const inserted = await tx.query<{ seq: string }>(
    `insert into reporting.inbox (event_id, type, version, topic, payload, occurred_at) values ($1, $2, $3, $4, $5, $6) on conflict (event_id) do nothing returning seq`,
    [event.eventId, event.type, event.version, event.topic, JSON.stringify(event.payload), event.occurredAt],
  );
  if (inserted.rowCount === 0) return;
  const active = await activeFactSet(tx);
  if (!active) return;
  await applyEvent(tx, active.schema_name, event);
  await tx.query(
    `update reporting.fact_sets set position = $2, events_applied = events_applied + 1, last_event_at = greatest(last_event_at, $3::timestamptz) where version = $1`,
    [active.version, inserted.rows[0].seq, event.occurredAt],
  );
}

export const reportingConsumer: IntegrationConsumer = {
  topics: TOPICS.map((topic) => topic.name),
  handle: recordIntegrationEvent,
};

import { TOPICS } from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { IntegrationConsumer } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { applyEvent } from './facts/apply-event';
import { applyRange } from './facts/apply-range';
import { CellWriting, prepareFactWrites } from './facts/fact-sets';
import { FACTS_LOCK_SQL } from './facts/fact-sets';
import { applierSpan, NOTIFY_APPLIERS_SQL } from './facts/part-appliers';

/**
 * The active set's position, count and freshness moved past the inbox rows `$1` … `$2` (`$3` events, the latest at
 * `$4`) when it had applied every event before them; every part at that position (`part-appliers.ts`). Otherwise a
 * backlog waits for the appliers, and these rows after it: nothing moves, and the set is not named.
 */
const CAUGHT_UP_MOVED_SQL = `update reporting.fact_sets set position = $2, part_positions = null, events_applied = events_applied + $3, last_event_at = greatest(last_event_at, $4::timestamptz)
  where status = 'ACTIVE' and position = (select coalesce(max(seq), 0) from reporting.inbox where seq < $1) returning schema_name`;

/**
 * Records one integration event, in the bus's transaction: into the inbox (once per event id: a
 * redelivery changes nothing) and, when the active fact set has applied every event before it, into the set, whose
 * position and freshness move with it; else the appliers apply it after the backlog (`part-appliers.ts`).
 * Every topic of the platform is consumed, including those of services still to come (their events are
 * parked by the messaging lib until reporting knows their contract). A malformed or unknown-version
 * event is dead-lettered or parked by the messaging lib and never stops the consumer.
 */
export async function recordIntegrationEvent(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  // Three round trips: the lock and the inbox row, the active set's position (which also names it), the facts.
  const inserted = await tx.query<{ seq: string }>(
    `with locked as (${FACTS_LOCK_SQL})
     insert into reporting.inbox (event_id, type, version, topic, payload, occurred_at, command_id) select $1::text, $2::text, $3::int, $4::text, $5::jsonb, $6::timestamptz, $7::text from locked
     on conflict (event_id) do nothing returning seq`,
    [event.eventId, event.type, event.version, event.topic, JSON.stringify(event.payload), event.occurredAt, event.commandId ?? null],
  );
  if (inserted.rowCount === 0) return;
  const { seq } = inserted.rows[0];
  const active = await tx.query<{ schema_name: string }>(CAUGHT_UP_MOVED_SQL, [seq, seq, 1, event.occurredAt]);
  if (active.rowCount === 0) return void (await tx.query(NOTIFY_APPLIERS_SQL));
  await applyEvent(tx, active.rows[0].schema_name, event);
}

/**
 * A batch of at least this many events is left to the appliers, in parts side by side, even when the active set is
 * caught up (a smaller one is applied at once, in the bus's transaction: a command's figures follow it).
 */
export const APPLIERS_FROM_EVENTS = 1_000;

/**
 * `recordIntegrationEvent` for a delivered batch, set-based: the events into the inbox in one statement (in
 * their order: their sequence follows it); then, for a batch under `appliersFrom` events the active set is caught up
 * with, the set's position moved once and the facts applied by `applyRange` over the batch's sequence range — the
 * rebuild's statements, a few per event type for the whole batch. The facts lock serialises every inbox writer, so
 * the range holds this batch's events only. A larger batch, or one after a backlog, is left to the appliers.
 */
export async function recordIntegrationEvents(events: readonly IntegrationEvent[], tx: PoolClient, appliersFrom = APPLIERS_FROM_EVENTS): Promise<void> {
  await tx.query(FACTS_LOCK_SQL);
  const rows = events.map((event) => ({ event_id: event.eventId, type: event.type, version: event.version, topic: event.topic, payload: event.payload, occurred_at: event.occurredAt, command_id: event.commandId ?? null }));
  const inserted = await tx.query<{ first: string | null; last: string | null; count: number; latest: Date | null }>(
    `with added as (
       insert into reporting.inbox (event_id, type, version, topic, payload, occurred_at, command_id)
       select e.event_id, e.type, e.version, e.topic, e.payload, e.occurred_at, e.command_id
         from rows from (jsonb_to_recordset($1::jsonb) as (event_id text, type text, version int, topic text, payload jsonb, occurred_at timestamptz, command_id text))
           with ordinality as e(event_id, type, version, topic, payload, occurred_at, command_id, n)
        order by e.n
       on conflict (event_id) do nothing returning seq, occurred_at
     )
     select min(seq)::text as first, max(seq)::text as last, count(*)::int as count, max(occurred_at) as latest from added`,
    [JSON.stringify(rows)],
  );
  const { first, last, count, latest } = inserted.rows[0];
  if (count === 0 || first === null || last === null) return;
  const active = count < appliersFrom ? await tx.query<{ schema_name: string }>(CAUGHT_UP_MOVED_SQL, [first, last, count, latest]) : undefined;
  if (!active?.rowCount) return void (await tx.query(NOTIFY_APPLIERS_SQL));
  await applyRange(tx, active.rows[0].schema_name, String(BigInt(first) - 1n), last);
}


/**
 * Events per transaction of the live consumer's intake when a backlog waits (`REPORTING_MAX_BATCH_EVENTS`), and about
 * the events of its part each applier applies in one. The cells of a range cost less per event in bigger ones: on the
 * national history drained by two appliers, 4,834 events/s with 10,000 (and the horizon three months ahead, commits
 * waiting for the disk), 5,237 with 20,000 (`tools/bench/README.md`).
 */
export const DEFAULT_MAX_BATCH_EVENTS = 20_000;

/**
 * Before a delivered batch is taken in: waits, up to `AHEAD_WAIT_MS`, while the inbox is more than `ahead` sequence
 * numbers ahead of the active set's position (its slowest part). Without it, the intake of a backlog ran through the
 * whole of it first, on the cores the appliers need: the figures caught up later, for the same work in the end. No
 * wait while a rebuild fills the next set: the appliers leave the backlog to its switch.
 */
async function waitForAppliers(tx: PoolClient, ahead: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < AHEAD_WAIT_MS; await new Promise((resolve) => setTimeout(resolve, AHEAD_LOOK_MS))) {
    const { rows } = await tx.query<{ backlog: string }>(
      `select case when exists (select 1 from reporting.fact_sets where status = 'BUILDING') then 0
         else coalesce((select max(seq) from reporting.inbox), 0) - coalesce((select position from reporting.fact_sets where status = 'ACTIVE'), 0) end as backlog`,
    );
    if (Number(rows[0].backlog) <= ahead) return;
  }
}

/** The longest an intake waits for the appliers (then it takes its batch in anyway), and how often it looks. */
const AHEAD_WAIT_MS = 10_000;
const AHEAD_LOOK_MS = 100;

/**
 * The consumer the service runs: every topic, event by event or a batch at once, each transaction given the
 * secret the cells' record keys derive from and the outcome window (`prepareFactWrites`; without them the cells stay
 * untagged and the answers that need them read the facts).
 */
export function reportingConsumerWith(writing: CellWriting & { maxBatchEvents?: number; applierParts?: number } = {}): IntegrationConsumer {
  const maxBatch = writing.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS;
  // The appliers' next ranges taken in, and one more.
  const ahead = 2 * applierSpan(maxBatch, writing.applierParts ?? 1);
  return {
    topics: TOPICS.map((topic) => topic.name),
    maxBatch,
    // The inbox keeps every event id (`on conflict (event_id) do nothing`, a batch applied by its new rows' range): the
    // bus's record of processed ids would be a second index of random keys written per event (a fifth of a batch's WAL).
    recordsEventIds: true,
    handle: async (event, tx) => {
      await prepareFactWrites(tx, writing);
      await recordIntegrationEvent(event, tx);
    },
    handleBatch: async (events, tx) => {
      await waitForAppliers(tx, ahead);
      await prepareFactWrites(tx, writing);
      await recordIntegrationEvents(events, tx);
    },
  };
}

/** Without a secret (tools and specs that do not publish with keys). */
export const reportingConsumer: IntegrationConsumer = reportingConsumerWith();

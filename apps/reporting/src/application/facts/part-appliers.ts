import { inTransaction } from '@cnrms/service-kit';
import { Pool, PoolClient } from 'pg';
import { applyRange, CONTACT_DAY_SQL, CONTACT_TYPES_SQL } from './apply-range';
import { CellWriting, prepareFactWrites } from './fact-sets';
import { HCV_WINDOW } from './hcv-screening-windows';
import { extendMonthEndsSql } from './month-end-cells';
import { inboxRangeSql, NetworkPart, networkPart, networkPartSql } from './network-parts';
import { PACKAGE_RULE } from './package-cells';
import { sameRecordedSetting } from './writing-settings';

/**
 * The appliers of a backlog (`REPORTING_APPLIER_PARTS`): when the live consumer takes in a batch the active set is not
 * caught up with, or a large one, it only records it in the inbox (`recordIntegrationEvents`); then one transaction
 * per part of the networks at a time applies that part's events of the next range of the inbox (`applyRange` with the
 * part), side by side on the machine's cores, each moving its own position (`fact_sets.part_positions`; the set's
 * `position` is their least, so `includingCommand` and the freshness keep their meaning).
 *
 * Each part writes only its networks' rows, but three things are shared by every part: the month-end horizon (its
 * extension adds the rows of every inclusion: `month-end-cells.ts`), a patient included in networks of two parts
 * (their month-end rows, HCV windows, spread periods read each other's facts), and summaries computed again for a
 * changed setting. What touches one of them runs alone (an exclusive advisory lock, which the others take shared); it
 * waits for the transactions in flight, which then see what it committed. The horizon moves before the contacts that
 * pass it are applied, in a transaction of its own, `HORIZON_AHEAD_MONTHS` further than them: the rows of months after
 * the last contact are kept exact as any (an inclusion, an exit, a contact or a review moves those up to the horizon),
 * and the parts wait for each other once every few months of history rather than once a month.
 */

/** Taken shared by every applier's transaction, exclusive by one that runs alone. */
const APPLIERS_LOCK = `hashtext('cnrms:reporting:appliers')`;
/** One applier's transaction per part at a time (a second replica of the service skips a part being applied). */
const PART_LOCK = (part: NetworkPart) => `hashtext('cnrms:reporting:part'), ${part.count * 1000 + part.index}`;

/**
 * An applier's commit does not wait for its write-ahead log to reach the disk: what a crash would lose of it is the
 * inbox's events after the part's position as the disk has it, applied again at the restart (the inbox itself, and
 * the bus's checkpoint, are committed by the intake as any transaction).
 */
const ASYNC_COMMIT_SQL = `set local synchronous_commit = off`;

/** The channel the inbox's intake notifies, on commit, when it leaves events to the appliers. */
export const INBOX_CHANNEL = 'reporting_inbox';
export const NOTIFY_APPLIERS_SQL = `select pg_notify('${INBOX_CHANNEL}', '')`;

/** Months the appliers move the month-end horizon past the last contact that passes it. */
export const HORIZON_AHEAD_MONTHS = 6;

interface ActiveParts {
  version: number;
  schema_name: string;
  part_positions: string[];
}

/**
 * Gives the active set one position per part (`count` of them) when it has none, or another number of parts when all
 * are at the same position (a changed setting): the rebuild's switch and the consumer's own transactions leave
 * `part_positions` null, every part at `position`. Returns the set's positions; null without an active set, or while a
 * rebuild fills the next one: its switch applies the backlog to the new set (an inbox filled from the bus by
 * `rebuild.cli.ts --from-bus` would otherwise be applied twice, to both sets, on the same cores).
 */
async function activeParts(db: Pool | PoolClient, count: number): Promise<ActiveParts | null> {
  await db.query(
    `update reporting.fact_sets set part_positions = array_fill(position, array[$1::int])
     where status = 'ACTIVE' and (part_positions is null or (cardinality(part_positions) <> $1 and position = all(part_positions)))`,
    [count],
  );
  const { rows } = await db.query<ActiveParts>(
    `select version, schema_name, part_positions::text[] from reporting.fact_sets where status = 'ACTIVE' and not exists (select 1 from reporting.fact_sets where status = 'BUILDING')`,
  );
  return rows[0] ?? null;
}

/**
 * What a transaction applying `part`'s events of the range (`$1`, `$2`) needs first: the month its last contact passes
 * the month-end horizon in, if any (`past`); whether it must run alone (`alone`): one of its patients included in a
 * network of another part, a summary to compute again for the transaction's setting. Read before the lock: what
 * another transaction commits meanwhile cannot make it run alone where it would not have (its own patients' networks
 * are in the inbox already).
 */
const rangeNeedsSql = (s: string, part: NetworkPart) => `
  with events as (select type, payload, occurred_at from reporting.inbox where ${inboxRangeSql(part)}),
    contacts as (select date_trunc('month', max(${CONTACT_DAY_SQL}))::date as last from events where type in ${CONTACT_TYPES_SQL})
  select (select c.last from contacts c, ${s}.month_end_horizon h where c.last > coalesce(h.month, '-infinity'::date))::text as past,
    exists (select 1 from events e join reporting.patient_networks n on n.patient_id = e.payload->>'patientId'
                 where ${networkPartSql('n.network_id', part.count)} <> ${part.index})
    or not coalesce(${sameRecordedSetting(s, PACKAGE_RULE)} and ${sameRecordedSetting(s, HCV_WINDOW)}, false) as alone,
    (select count(*) from events)::int as events,
    (select max(occurred_at) from events) as latest`;

/**
 * Moves the month-end horizon of the set in `s` to `HORIZON_AHEAD_MONTHS` after `month` (its rows and cells: every
 * inclusion's, from the facts every part committed), alone, in a transaction of its own.
 */
async function moveHorizonPast(pool: Pool, s: string, month: string, writing: CellWriting): Promise<void> {
  await inTransaction(pool, async (tx) => {
    await prepareFactWrites(tx, writing);
    await tx.query(ASYNC_COMMIT_SQL);
    await tx.query(`select pg_advisory_xact_lock(${APPLIERS_LOCK})`);
    const through = `('${month}'::date + interval '${HORIZON_AHEAD_MONTHS} months')::date`;
    for (const sql of extendMonthEndsSql(s, { through })) await tx.query(sql);
  });
}

export interface ApplierOptions extends CellWriting {
  /** Inbox sequence numbers a transaction covers at most (of which its part has about a `count`th): `applierSpan`. */
  span: number;
}

/** The inbox sequence numbers an applier's transaction covers with `parts` parts: about `maxBatchEvents` of its own part's events. */
export const applierSpan = (maxBatchEvents: number, parts: number): number => maxBatchEvents * parts;

/**
 * One transaction of the applier of `part`: the part's events of the next range of the inbox after its position, with
 * their cells, and its position moved. Returns the inbox sequence numbers it moved past (0: nothing to apply, or the
 * part taken by another transaction, or the set switched meanwhile by a rebuild).
 */
export async function applyNextRange(pool: Pool, part: NetworkPart, options: ApplierOptions): Promise<number> {
  const active = await activeParts(pool, part.count);
  if (!active || active.part_positions.length !== part.count) return 0;
  const tx = await pool.connect();
  let range = '';
  try {
    await tx.query('begin');
    const taken = (await tx.query<{ taken: boolean }>(`select pg_try_advisory_xact_lock(${PART_LOCK(part)}) as taken`)).rows[0].taken;
    const from = (await tx.query<{ position: string }>(`select part_positions[${part.index + 1}]::text as position from reporting.fact_sets where version = $1`, [active.version])).rows[0]?.position;
    const last = (await tx.query<{ last: string }>(`select coalesce(max(seq), 0)::text as last from reporting.inbox`)).rows[0].last;
    if (!taken || from === undefined || BigInt(last) <= BigInt(from)) {
      await tx.query('rollback');
      return 0;
    }
    const to = String(BigInt(from) + BigInt(options.span) < BigInt(last) ? BigInt(from) + BigInt(options.span) : BigInt(last));
    range = ` (part ${part.index} of ${part.count}, inbox ${from} < seq <= ${to})`;
    await prepareFactWrites(tx, options);
    await tx.query(ASYNC_COMMIT_SQL);
    const s = active.schema_name;
    const decided = (await tx.query<{ past: string | null; alone: boolean; events: number; latest: Date | null }>(rangeNeedsSql(s, part), [from, to])).rows[0];
    // Its own transaction, on another connection: this one holds no lock the others wait for yet.
    if (decided.past) await moveHorizonPast(pool, s, decided.past, options);
    await tx.query(`select ${decided.alone ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}(${APPLIERS_LOCK})`);
    if (decided.events > 0) await applyRange(tx, s, from, to, part.count > 1 ? part : undefined);
    // The set's position: the least of its parts', this one's new (`least` over the row as it is when this update takes it).
    const parts = Array.from({ length: part.count }, (_, index) => (index === part.index ? '$3::bigint' : `part_positions[${index + 1}]`));
    const moved = await tx.query(
      `update reporting.fact_sets set part_positions[${part.index + 1}] = $3, position = least(${parts.join(', ')}), events_applied = events_applied + $4,
         last_event_at = greatest(last_event_at, $5::timestamptz)
       where version = $1 and status = 'ACTIVE' and part_positions[${part.index + 1}] = $2`,
      [active.version, from, to, decided.events, decided.latest],
    );
    if (moved.rowCount === 0) {
      await tx.query('rollback');
      return 0;
    }
    await tx.query('commit');
    return Number(BigInt(to) - BigInt(from));
  } catch (error) {
    await tx.query('rollback').catch(() => undefined);
    throw range && error instanceof Error ? new Error(`${error.message}${range}`, { cause: error }) : error;
  } finally {
    tx.release();
  }
}

/** The parts `count` appliers apply: applier `index` takes the parts `p` of the set with `p % count = index`. */
export const partsOfApplier = (index: number, count: number, setParts: number): NetworkPart[] =>
  Array.from({ length: setParts }, (_, p) => p)
    .filter((p) => p % count === index)
    .map((p) => networkPart(p, setParts));

/** The number of parts the active set is applied in now (`count` once it adopts them, what it has until then). */
export async function setParts(pool: Pool, count: number): Promise<number> {
  return (await activeParts(pool, count))?.part_positions.length ?? count;
}

/**
 * Applies the whole backlog of the inbox with `count` appliers side by side, until every part is caught up (specs,
 * tools); the service runs `FactSetAppliers` instead, woken by the intake.
 */
export async function drainParts(pool: Pool, count: number, options: ApplierOptions): Promise<void> {
  const parts = await setParts(pool, count);
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      for (const part of partsOfApplier(index, count, parts)) while ((await applyNextRange(pool, part, options)) > 0);
    }),
  );
}

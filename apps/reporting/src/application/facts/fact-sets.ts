import { Pool, PoolClient } from 'pg';
import { FACT_SET_LAYOUT, factSetDdl, factSetSchemaName } from './fact-set.schema';
import { OUTCOME_WINDOW_SETTING, RETENTION_12M_DAYS_SETTING, RETENTION_6M_DAYS_SETTING } from './inclusion-cells';
import { CELL_KEY_SECRET_SETTING } from './cell-keys';
import { LOST_TO_FOLLOW_UP_MONTHS_SETTING, REVIEW_WINDOW_MONTHS_SETTING } from './month-end-cells';
import { PACKAGE_MIN_CONTACTS_SETTING } from './package-cells';

type Db = Pick<Pool | PoolClient, 'query'>;

/**
 * Taken by every transaction that writes the inbox and the active fact set, and by a rebuild's switch:
 * live events are applied in the order of their inbox sequence, and no event slips between a rebuild's
 * last batch and the switch.
 */
export const FACTS_LOCK_SQL = `select pg_advisory_xact_lock(hashtext('cnrms:reporting:facts'))`;

/** What the cells' writers need of the settings: the secret of the record keys, the windows, the packages' threshold (`inclusion-cells.ts`, `month-end-cells.ts`, `package-cells.ts`). */
export interface CellWriting {
  cellKeySecret?: string;
  outcomeWindowMonths?: number;
  lostToFollowUpMonths?: number;
  reviewWindowMonths?: number;
  packageMinContacts?: number;
  retention6mDays?: number;
  retention12mDays?: number;
}

/** Each of them, with the transaction-local setting it is given as. */
const WRITING_SETTINGS: readonly (readonly [keyof CellWriting, string])[] = [
  ['cellKeySecret', CELL_KEY_SECRET_SETTING],
  ['outcomeWindowMonths', OUTCOME_WINDOW_SETTING],
  ['lostToFollowUpMonths', LOST_TO_FOLLOW_UP_MONTHS_SETTING],
  ['reviewWindowMonths', REVIEW_WINDOW_MONTHS_SETTING],
  ['packageMinContacts', PACKAGE_MIN_CONTACTS_SETTING],
  ['retention6mDays', RETENTION_6M_DAYS_SETTING],
  ['retention12mDays', RETENTION_12M_DAYS_SETTING],
];

/** The settings' part the cells' writers need (the service's own: what its answers are checked against). */
export const cellWritingOf = (settings: Required<CellWriting>): CellWriting => Object.fromEntries(WRITING_SETTINGS.map(([key]) => [key, settings[key]]));

/**
 * The sort and hash memory of a transaction that writes a fact set. With the server's default (4 MB), a live batch
 * of 10,000 events sorted its 26,000 patient-months to disk to recompute their quarters and years.
 */
export const FACT_WRITE_WORK_MEM = '64MB';

/**
 * Prepares a transaction that writes a fact set: gives it the secret the record keys derive from, the
 * windows, the retention's days and the packages' threshold, its sort memory (`FACT_WRITE_WORK_MEM`), and turns JIT
 * compilation off. The planner's cost estimates grow with the fact tables; past
 * `jit_above_cost` every statement of a batch was compiled first, about 20 ms each at a million events, more than
 * the statements themselves take.
 */
export async function prepareFactWrites(db: Db, writing: CellWriting = {}): Promise<void> {
  const settings = WRITING_SETTINGS.map(([, name], index) => `set_config('${name}', coalesce($${index + 1}::text, ''), true)`);
  await db.query(
    `select set_config('jit', 'off', true), set_config('work_mem', '${FACT_WRITE_WORK_MEM}', true), ${settings.join(', ')}`,
    WRITING_SETTINGS.map(([key]) => writing[key] ?? null),
  );
}

export interface FactSetRow {
  version: number;
  schema_name: string;
  layout: number;
  status: 'BUILDING' | 'ACTIVE' | 'RETIRED' | 'FAILED';
  position: string;
  events_applied: string;
  last_event_at: Date | null;
  target_position: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  activated_at: Date | null;
  error: string | null;
}

export async function activeFactSet(db: Db): Promise<FactSetRow | null> {
  const { rows } = await db.query<FactSetRow>(`select * from reporting.fact_sets where status = 'ACTIVE'`);
  return rows[0] ?? null;
}

/** The statements of a fact set's DDL (comments dropped), and which of them create a secondary index. */
function factSetStatements(schema: string): { statement: string; secondaryIndex: boolean }[] {
  return factSetDdl(schema)
    .split(';')
    .map((statement) => statement.replace(/--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0)
    .map((statement) => ({ statement, secondaryIndex: /^create index /i.test(statement) }));
}

/** The secondary indexes of a fact set (what its queries and the live refreshes read by), a statement each. */
export const secondaryIndexStatements = (schema: string): string[] =>
  factSetStatements(schema)
    .filter(({ secondaryIndex }) => secondaryIndex)
    .map(({ statement }) => statement);

/**
 * Creates a fact-set version's schema and tables, and records it with `status`. A rebuild creates its set without
 * the secondary indexes (`withSecondaryIndexes: false`): its set-based statements look rows up by primary key only,
 * and building each index once over the whole set costs less than keeping it up to date row by row.
 */
export async function createFactSet(db: Db, version: number, status: 'BUILDING' | 'ACTIVE', options: { withSecondaryIndexes?: boolean } = {}): Promise<FactSetRow> {
  const schema = factSetSchemaName(version);
  const statements = factSetStatements(schema).filter(({ secondaryIndex }) => options.withSecondaryIndexes !== false || !secondaryIndex);
  await db.query(statements.map(({ statement }) => `${statement};`).join('\n'));
  const { rows } = await db.query<FactSetRow>(
    `insert into reporting.fact_sets (version, schema_name, layout, status, started_at, activated_at) values ($1, $2, $3, $4, now(), case when $4 = 'ACTIVE' then now() end) returning *`,
    [version, schema, FACT_SET_LAYOUT, status],
  );
  return rows[0];
}

/** At start: the first fact set, empty, when there is none yet (a later rebuild fills any new one from the inbox). */
export async function ensureActiveFactSet(pool: Pool): Promise<FactSetRow> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(FACTS_LOCK_SQL);
    const active = await activeFactSet(client);
    if (active) {
      await client.query('commit');
      return active;
    }
    const { rows } = await client.query<{ next: number }>(`select coalesce(max(version), 0) + 1 as next from reporting.fact_sets`);
    const created = await createFactSet(client, rows[0].next, 'ACTIVE');
    await client.query('commit');
    return created;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

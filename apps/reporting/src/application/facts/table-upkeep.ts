import { quoteIdentifier } from '@cnrms/eventsourcing';
import { Queryable } from './apply-event';

/**
 * Reporting's own table upkeep, for a PostgreSQL server whose autovacuum is off (for the server or for a table).
 * The live consumer fills a fact set from empty and rewrites its summary rows batch after batch: without `analyze`
 * the planner keeps the estimates of empty tables, and without `vacuum` the dead row versions and the visibility map
 * are never seen to. Where the server's autovacuum would have, the service does it: the same thresholds as its
 * defaults, on the tables of reporting's own schema and of the active fact set, from another connection than the
 * consumer's (a vacuum blocks no write).
 */

/** What the statistics collector says of a table (`pg_stat_user_tables`), and whether autovacuum takes care of it. */
export interface TableActivity {
  schema: string;
  table: string;
  liveRows: number;
  deadRows: number;
  modifiedSinceAnalyze: number;
  insertedSinceVacuum: number;
  autovacuum: boolean;
}

export type UpkeepAction = 'analyze' | 'vacuum (analyze)';

export interface UpkeepStep {
  schema: string;
  table: string;
  action: UpkeepAction;
}

/** PostgreSQL's defaults for autovacuum (`autovacuum_*_threshold`, `autovacuum_*_scale_factor`). */
const THRESHOLDS = { analyze: [50, 0.1], vacuum: [50, 0.2], vacuumInserts: [1000, 0.2] } as const;
const over = (count: number, [base, scale]: readonly [number, number], rows: number) => count > base + scale * rows;

/** The upkeep the tables need: none for a table autovacuum takes care of; a vacuum (which analyzes) first, then the analyzes. */
export function upkeepSteps(tables: readonly TableActivity[]): UpkeepStep[] {
  const steps: UpkeepStep[] = [];
  for (const t of tables) {
    if (t.autovacuum) continue;
    const vacuum = over(t.deadRows, THRESHOLDS.vacuum, t.liveRows) || over(t.insertedSinceVacuum, THRESHOLDS.vacuumInserts, t.liveRows);
    if (vacuum) steps.push({ schema: t.schema, table: t.table, action: 'vacuum (analyze)' });
    else if (over(t.modifiedSinceAnalyze, THRESHOLDS.analyze, t.liveRows)) steps.push({ schema: t.schema, table: t.table, action: 'analyze' });
  }
  return steps.sort((a, b) => (a.action === b.action ? 0 : a.action === 'vacuum (analyze)' ? -1 : 1));
}

/** The activity of every table of `schemas`, with whether autovacuum runs for it (the server's setting and the table's own). */
export async function tableActivity(db: Queryable, schemas: readonly string[]): Promise<TableActivity[]> {
  const { rows } = (await db.query(
    `select s.schemaname as schema, s.relname as table, s.n_live_tup::float8 as "liveRows", s.n_dead_tup::float8 as "deadRows",
       s.n_mod_since_analyze::float8 as "modifiedSinceAnalyze", s.n_ins_since_vacuum::float8 as "insertedSinceVacuum",
       current_setting('autovacuum')::boolean
         and coalesce((select o.option_value::boolean from pg_options_to_table(c.reloptions) o where o.option_name = 'autovacuum_enabled'), true) as autovacuum
     from pg_stat_user_tables s join pg_class c on c.oid = s.relid
     where s.schemaname = any($1::text[])
     order by s.schemaname, s.relname`,
    [schemas],
  )) as { rows: TableActivity[] };
  return rows;
}

/** Runs the steps one after the other (outside any transaction: a vacuum cannot run in one). */
export async function runUpkeep(db: Queryable, steps: readonly UpkeepStep[], onStep?: (step: UpkeepStep, ms: number) => void): Promise<void> {
  for (const step of steps) {
    const started = Date.now();
    await db.query(`${step.action} ${quoteIdentifier(step.schema)}.${quoteIdentifier(step.table)}`);
    onStep?.(step, Date.now() - started);
  }
}

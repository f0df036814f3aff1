import { IndicatorAnswer, Viewer } from '@cnrms/domain-reporting';
import { IntegrationEvent } from '@cnrms/messaging';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { Pool, PoolClient } from 'pg';
import { QueryRunner } from 'typeorm';
import { reportingSettings, ReportingSettings } from '../config';
import { ensureActiveFactSet } from '../application/facts/fact-sets';
import { answersBySource, IndicatorRequest, IndicatorService } from '../application/indicator.service';
import { recordIntegrationEvent, recordIntegrationEvents } from '../application/reporting.consumer';
import { prepareFactWrites } from '../application/facts/fact-sets';
import { REPORTING_MIGRATIONS } from '../infrastructure/migrations';
import { applierSpan, drainParts } from '../application/facts/part-appliers';
import { CellSource } from '../application/indicators/indicator-queries';

/** A real PostgreSQL database with reporting's schema, fed events the way the bus's consumer does (one transaction each). */
export interface ReportingDatabase {
  database: TestDatabase;
  /** Each event in its own transaction, as the consumer's event-by-event path records it (then the appliers' backlog, if any, drained). */
  feed(events: readonly IntegrationEvent[]): Promise<void>;
  /** The events in one transaction, as the consumer records a delivered batch (then the appliers' backlog, if any, drained). */
  feedBatch(events: readonly IntegrationEvent[]): Promise<void>;
  /**
   * The events in one transaction, as the consumer records a delivered batch, nothing drained after: applied at once
   * when the set is caught up and the batch under `appliersFrom` events (`recordIntegrationEvents`), else left to the appliers.
   */
  takeIn(events: readonly IntegrationEvent[], appliersFrom?: number): Promise<void>;
  /**
   * The events taken in by batches of `batch` (left to the appliers whatever their size), then applied by `parts`
   * appliers side by side, each transaction covering `span` inbox sequence numbers at most.
   */
  feedThroughAppliers(events: readonly IntegrationEvent[], options: { parts: number; span: number; batch: number }): Promise<void>;
  /** The appliers' backlog applied, by `parts` of them side by side (the settings' by default). */
  drain(options?: { parts?: number; span?: number }): Promise<void>;
  service(settings?: Partial<ReportingSettings>, today?: string): IndicatorService;
}

/** What a migration's `up` needs of TypeORM's query runner: `query` with parameters, answering rows. */
export const migrationRunnerOf = (pool: Pool): QueryRunner =>
  ({ query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows }) as unknown as QueryRunner;

/** `settings`: what the database's writers and services use beside `reportingSettings`' defaults (an outcome window…). */
export async function createReportingDatabase(label: string, settings: Partial<ReportingSettings> = {}): Promise<ReportingDatabase> {
  const defaults = { ...reportingSettings({}), ...settings };
  const database = await createTestDatabase(label);
  await database.pool.query('create schema reporting');
  const runner = migrationRunnerOf(database.pool);
  for (const Migration of REPORTING_MIGRATIONS) await new Migration().up(runner);
  await ensureActiveFactSet(database.pool);
  /** A transaction given the secret and outcome window the specs' services answer with (reportingSettings' defaults): the cells match them. */
  const recording = async (record: (tx: PoolClient) => Promise<void>) => {
    const tx = await database.pool.connect();
    try {
      await tx.query('begin');
      await prepareFactWrites(tx, defaults);
      await record(tx);
      await tx.query('commit');
    } catch (error) {
      await tx.query('rollback');
      throw error;
    } finally {
      tx.release();
    }
  };
  const takeIn = (events: readonly IntegrationEvent[], appliersFrom?: number) => recording((tx) => recordIntegrationEvents(events, tx, appliersFrom));
  const drain = ({ parts = defaults.applierParts, span = applierSpan(defaults.maxBatchEvents, parts) }: { parts?: number; span?: number } = {}) =>
    drainParts(database.pool, parts, { ...defaults, span });
  return {
    database,
    async feed(events) {
      for (const event of events) await recording((tx) => recordIntegrationEvent(event, tx));
      await drain();
    },
    async feedBatch(events) {
      await takeIn(events);
      await drain();
    },
    takeIn,
    async feedThroughAppliers(events, { parts, span, batch }) {
      for (let start = 0; start < events.length; start += batch) await takeIn(events.slice(start, start + batch), 0);
      await drain({ parts, span });
    },
    drain,
    service(overrides = {}, today = '2025-03-15') {
      return new IndicatorService(database.pool, { ...defaults, ...overrides }, () => new Date(`${today}T10:00:00Z`));
    },
  };
}

/** What each fact-set layout added to a set, undone (newest first: a set put back as an older layout left it). */
const LAYOUT_ADDITIONS_UNDONE: Record<number, (s: string) => string> = {
  7: (s) => `alter table ${s}.referrals drop column patient_key, drop column key_tag; drop index ${s}.screenings_hcv_positive, ${s}.referrals_patient; drop table ${s}.first_contact_delay_periods, ${s}.referral_periods, ${s}.referral_cells`,
  6: (s) =>
    `drop table ${s}.treating_gp_spans, ${s}.network_microstructures, ${s}.hcv_screening_windows, ${s}.hcv_screening_cells, ${s}.hcv_screening_window, ${s}.package_cells, ${s}.package_rule;
     alter table ${s}.inclusion_cells drop column retained_6m, drop column retained_12m, drop column retained_6m_keys, drop column retained_12m_keys,
       drop column retention_6m_days, drop column retention_12m_days;
     drop index ${s}.inclusions_treating_gp, ${s}.screenings_patient, ${s}.patient_periods_network_spread`,
  5: (s) =>
    `drop table ${s}.network_cells, ${s}.inclusion_cells, ${s}.first_contact_delays, ${s}.exit_cells, ${s}.month_ends, ${s}.month_end_cells, ${s}.month_end_horizon;
     drop index ${s}.inclusions_network, ${s}.inclusions_network_exited, ${s}.month_cells_network, ${s}.period_cells_network;
     alter table ${s}.patient_periods drop column contacts, drop column last_month`,
  4: (s) => `drop table ${s}.patient_periods, ${s}.period_cells`,
  3: (s) => `drop table ${s}.month_cells`,
};

/**
 * For the migrations' specs: puts the active set (version 1) back as layout `layout` left it, then returns what runs
 * the migrations from `Migration` on (to the current layout, as a service start would).
 */
export async function asLayout(pool: Pool, layout: number): Promise<{ migrateFrom: (Migration: (typeof REPORTING_MIGRATIONS)[number]) => Promise<void> }> {
  for (const [added, undo] of Object.entries(LAYOUT_ADDITIONS_UNDONE).sort(([a], [b]) => Number(b) - Number(a))) {
    if (Number(added) > layout) await pool.query(undo('reporting_facts_1'));
  }
  await pool.query(`update reporting.fact_sets set layout = $1`, [layout]);
  return {
    migrateFrom: async (Migration) => {
      for (const Next of REPORTING_MIGRATIONS.slice(REPORTING_MIGRATIONS.indexOf(Migration))) await new Next().up(migrationRunnerOf(pool));
    },
  };
}

/** Every table of a fact set (layout 7), for the specs that compare two sets or two ways of filling one. */
export const FACT_TABLES = [
  'networks', 'microstructures', 'professionals', 'memberships', 'inclusions', 'patient_months', 'sessions', 'screenings', 'rights', 'referrals', 'treatments',
  'assessments', 'meetings', 'case_reviews', 'microstructure_months', 'training_attendances', 'month_cells',
  'patient_periods', 'period_cells', 'network_cells', 'inclusion_cells', 'first_contact_delays', 'exit_cells', 'month_ends', 'month_end_cells', 'month_end_horizon',
  'treating_gp_spans', 'network_microstructures', 'hcv_screening_windows', 'hcv_screening_cells', 'hcv_screening_window',
  'package_cells', 'package_rule', 'first_contact_delay_periods', 'referral_periods', 'referral_cells',
] as const;

/** How many answers this process has computed from `source` (the month cells, the quarter and year cells, or the facts), as /metrics counts them. */
export const answersFrom = async (source: CellSource | 'facts'): Promise<number> => (await answersBySource.get()).values.find((v) => v.labels.source === source)?.value ?? 0;

export const viewers = {
  national: { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] } as Viewer,
  coordinatorA: { roles: ['regional_coordinator'], networkIds: ['net-A'], microstructureIds: [] } as Viewer,
  funderAll: { roles: ['funder'], networkIds: ['net-A', 'net-B', 'net-C'], microstructureIds: [] } as Viewer,
  funderA: { roles: ['funder'], networkIds: ['net-A'], microstructureIds: [] } as Viewer,
  /** A professional in both teams of net-A: exact figures (the team's own), where the regional coordinator now sees published ones. */
  teamA: { roles: ['professional'], networkIds: ['net-A'], microstructureIds: ['ms-A1', 'ms-A2'] } as Viewer,
  teamA2: { roles: ['professional'], networkIds: ['net-A'], microstructureIds: ['ms-A2'] } as Viewer,
};

export const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31', granularity: 'YEAR' as const };

/** An answer as rows easy to compare: [period, ...dimension values, numerator, denominator, value], or 'hidden' figures. */
export function rowsOf(answer: IndicatorAnswer): (string | number | null)[][] {
  return answer.cells.map((cell) => [cell.period, ...cell.dimensions.map((d) => d.value), ...(cell.suppressed ? ['hidden'] : [cell.numerator, cell.denominator, cell.value])]);
}

export function totalsOf(answer: IndicatorAnswer): (string | number | null)[][] {
  return answer.totals.map((cell) => [cell.period, ...(cell.suppressed ? ['hidden'] : [cell.numerator, cell.denominator, cell.value])]);
}

export async function ask(service: IndicatorService, viewer: Viewer, code: string, request: Partial<IndicatorRequest> = {}): Promise<IndicatorAnswer> {
  return service.answer(viewer, code, { period: YEAR_2024, ...request });
}

import {
  Ancestors,
  AnswerCell,
  Bucket,
  audienceOf,
  bucketsOf,
  CountedRecords,
  checkRequest,
  coarserPeriodsOf,
  dayInParis,
  Dimension,
  IndicatorAnswer,
  indicatorOf,
  parseDimensions,
  PeriodInput,
  publishFigures,
  ReportingError,
  scopeOf,
  suppress,
  SUPPRESSION_REASONS,
  SuppressionKind,
  AGE_BANDS,
  SEXES,
  VALUE_LABELS,
  Viewer,
} from '@cnrms/domain-reporting';
import { INCLUSIONS_CONTRACT_CODES } from '@cnrms/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { Counter } from 'prom-client';
import { COMMAND_ID } from '@cnrms/auth';
import { ReportingSettings } from '../config';
import { activeFactSet } from './facts/fact-sets';
import { AggregateRow, CELL_QUERIES, CellQuery, INDICATOR_QUERIES, IndicatorQuery } from './indicators/indicator-queries';
import { withoutPatientCounts, withRecordKeys } from './indicators/record-keys';
import { DIMENSION_COLUMNS, IndicatorFilter, SqlContext } from './indicators/sql-context';
import { Clock, CLOCK, REPORTING_SETTINGS } from './tokens';

export interface IndicatorRequest {
  period: PeriodInput;
  groupBy?: readonly string[] | null;
  filter?: IndicatorFilter | null;
  /** A client's command id (its Idempotency-Key): answer once the figures include what that command recorded. */
  includingCommand?: string | null;
}

/** First pause while waiting for a command to reach the figures; it doubles up to `INCLUDE_POLL_MAX_MS`. */
const INCLUDE_POLL_FIRST_MS = 5;
const INCLUDE_POLL_MAX_MS = 100;

/** Which filter narrows which dimension: a filter on a dimension the indicator does not support is refused. */
const FILTER_DIMENSIONS: Partial<Record<keyof IndicatorFilter, Dimension>> = {
  regions: 'REGION',
  departments: 'DEPARTMENT',
  microstructureKinds: 'MICROSTRUCTURE_KIND',
  sexes: 'SEX',
  ageBands: 'AGE_BAND',
  exitReasons: 'EXIT_REASON',
  partnerTypes: 'PARTNER_TYPE',
};

export const MAX_INDICATORS_PER_REQUEST = 30;
/** Largest table an audience outside the team may ask for: every cell of its grid is answered (hidden or not). */
export const MAX_GRID_CELLS = 50_000;

/** Dimensions whose values are places of the directory (a microstructure belongs to one network, one department…). */
const GEOGRAPHY: readonly Dimension[] = ['NETWORK', 'REGION', 'DEPARTMENT', 'MICROSTRUCTURE', 'MICROSTRUCTURE_KIND'];
/** Every value of the coded dimensions, and the filter that narrows each. */
const CODED: Partial<Record<Dimension, { values: readonly string[]; filter: keyof IndicatorFilter }>> = {
  SEX: { values: SEXES, filter: 'sexes' },
  AGE_BAND: { values: AGE_BANDS, filter: 'ageBands' },
  EXIT_REASON: { values: INCLUSIONS_CONTRACT_CODES.exitReasons, filter: 'exitReasons' },
  PARTNER_TYPE: { values: INCLUSIONS_CONTRACT_CODES.partnerTypes, filter: 'partnerTypes' },
};
const PARALLEL_ANSWERS = 3;
/** Memory for an indicator query's sorts and hashes (at most `PARALLEL_ANSWERS` at once per request). */
const INDICATOR_WORK_MEM = '32MB';

/** Where answers came from: the month cells, the quarter and year cells, the inclusion cells, or the facts (another indicator, shared patients, untagged cells). */
export const answersBySource = new Counter({ name: 'cnrms_reporting_answers_total', help: 'Indicator answers, by what they were computed from', labelNames: ['source'] });

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/**
 * Answers indicator requests from the active fact set: checks the request against the catalogue, the
 * caller's rights and the allowed span, runs the indicator's query over the periods' facts only, labels
 * the dimension values, and suppresses small cells for funders and the national level.
 */
@Injectable()
export class IndicatorService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async answers(viewer: Viewer, codes: readonly string[], request: IndicatorRequest): Promise<IndicatorAnswer[]> {
    if (codes.length === 0) throw new ReportingError('UNKNOWN_INDICATOR', 'Aucun indicateur demandé.');
    if (codes.length > MAX_INDICATORS_PER_REQUEST) throw new ReportingError('TOO_MANY_INDICATORS', `Au plus ${MAX_INDICATORS_PER_REQUEST} indicateurs par requête.`);
    codes.forEach(indicatorOf);
    const { includingCommand, ...each } = request;
    await this.includingCommand(includingCommand);
    // A few at a time: each is one query over its periods' facts; PostgreSQL overlaps them well, the pool bounds them.
    const answers: IndicatorAnswer[] = new Array(codes.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < codes.length; index = next++) answers[index] = await this.answer(viewer, codes[index], each);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_ANSWERS, codes.length) }, worker));
    return answers;
  }

  async answer(viewer: Viewer, code: string, request: IndicatorRequest): Promise<IndicatorAnswer> {
    const { indicator, groupBy, filter, buckets, audience, scope } = this.checked(viewer, code, request);
    await this.includingCommand(request.includingCommand);
    const asOf = dayInParis(this.clock());
    const active = await activeFactSet(this.pool);
    const suppressionApplied = audience.suppressed && indicator.patientBased;
    const base = { indicator, from: buckets[0].from, to: buckets[buckets.length - 1].to, granularity: request.period.granularity, groupBy, eventsUpTo: active?.last_event_at?.toISOString() ?? null, asOf, suppressionApplied };
    if (!indicator.available || !active) return { ...base, cells: [], totals: [] };

    const newContext = () => new SqlContext(active.schema_name, buckets, groupBy, scope, filter, asOf, this.settings, suppressionApplied);
    // From the cells when they can answer exactly; otherwise from the facts.
    const cellQuery = this.settings.cells ? CELL_QUERIES[code] : undefined;
    const fromCells = cellQuery ? await this.fromCells(cellQuery, newContext(), suppressionApplied) : null;
    const query: IndicatorQuery = fromCells ? cellQuery! : INDICATOR_QUERIES[code];
    const ctx = fromCells?.ctx ?? newContext();
    const measures = fromCells?.measures ?? (suppressionApplied ? withRecordKeys(query.measures(ctx), ctx, this.settings.cellKeySecret) : withoutPatientCounts(query.measures(ctx)));
    let rows = fromCells?.rows ?? (await this.run(ctx.aggregate(query.units(ctx), measures), ctx.values));
    answersBySource.inc({ source: fromCells ? cellQuery!.source(ctx) : 'facts' });
    if (query.finish) rows = query.finish(rows, ctx);
    // Outside the team, the whole grid: a missing row would tell an exact 0, hence that the hidden ones hold someone.
    if (suppressionApplied && groupBy.length > 0 && this.settings.suppressionThreshold > 1) rows = [...rows, ...(await this.absentCells(rows, ctx, Object.keys(measures)))];

    const toCell = cellsOf(query, ctx, buckets, await this.labels(active.schema_name, rows));
    const cells = rows.filter((row) => !row.is_total || groupBy.length === 0).map(toCell).sort(byPeriodThenValues);
    const totalRows = new Map(rows.filter((row) => row.is_total).map((row) => [row.bucket, row]));
    // A period without any fact still has its total (zero).
    const hasDenominator = 'denominator' in query.measures(ctx);
    const totals = buckets.map((bucket) => toCell(totalRows.get(bucket.key) ?? ({ bucket: bucket.key, is_total: true, numerator: 0, ...(hasDenominator ? { denominator: 0 } : {}) } as AggregateRow)));
    if (suppressionApplied) {
      [...cells, ...totals].forEach((cell) => this.publish(cell, query, ctx));
      const ancestors = groupBy.includes('MICROSTRUCTURE') || groupBy.includes('NETWORK') ? await this.hierarchy(active.schema_name) : () => [];
      this.applySuppression(groupBy.length === 0 ? [] : cells, totals, groupBy, groupBy.length === 0 ? cells : [], ancestors);
    }
    const strip = ({ patients: _patients, records: _records, median: _median, ...cell }: CountedCell): AnswerCell => cell;
    return { ...base, cells: cells.map(strip), totals: totals.map(strip) };
  }

  /**
   * An answer's rows from the cells, or null when they cannot give it exactly: they do not keep what the request
   * cuts or filters by, or a cell read would count a patient twice (followed in two microstructures that month),
   * was computed with another outcome window, or, outside the team, lacks the tag of the secret this service
   * publishes with (its key sums are not the ones to publish) — `CellQuery.inexact`.
   */
  private async fromCells(query: CellQuery, ctx: SqlContext, withKeys: boolean): Promise<{ rows: AggregateRow[]; measures: Record<string, string>; ctx: SqlContext } | null> {
    if (!query.covers(ctx)) return null;
    const secret = this.settings.cellKeySecret;
    const measures = withKeys ? { ...query.measures(ctx), ...query.recordKeys(ctx, secret) } : withoutPatientCounts(query.measures(ctx));
    const rows = await this.run(ctx.aggregate(query.units(ctx), { ...measures, inexact: query.inexact(ctx, withKeys ? secret : null) }, query.lists?.(ctx)), ctx.values);
    if (rows.some((row) => Number(row.inexact) > 0)) return null;
    return { rows: rows.map(({ inexact: _inexact, ...row }) => row as AggregateRow), measures, ctx };
  }

  /**
   * Waits until the active fact set has applied the integration events recorded by the client's command
   * `commandId` (reporting's inbox keeps each event's command id), so that the answer that follows includes
   * them: a client asks for the figures with its change instead of polling a clock. Refused with
   * `REPORTING_BEHIND` after `REPORTING_INCLUDE_WAIT_MS` (a command that records nothing counted never arrives).
   */
  private async includingCommand(commandId: string | null | undefined): Promise<void> {
    if (commandId === null || commandId === undefined) return;
    // The format every service accepts for a command id (`Idempotency-Key`): another one was never recorded.
    if (!COMMAND_ID.test(commandId)) {
      throw new ReportingError(
        'INVALID_COMMAND_ID',
        'L’identifiant de commande attendu (includingCommand) est celui de l’en-tête Idempotency-Key : de 8 à 100 lettres, chiffres, « - », « _ », « . » ou « : ».',
      );
    }
    const deadline = Date.now() + this.settings.includeWaitMs;
    for (let pause = INCLUDE_POLL_FIRST_MS; ; pause = Math.min(pause * 2, INCLUDE_POLL_MAX_MS)) {
      const { rows } = await this.pool.query<{ included: boolean }>(
        `select exists (select 1 from reporting.inbox i join reporting.fact_sets f on f.status = 'ACTIVE' where i.command_id = $1 and i.seq <= f.position) as included`,
        [commandId],
      );
      if (rows[0].included) return;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))));
    }
    const active = await activeFactSet(this.pool);
    throw new ReportingError(
      'REPORTING_BEHIND',
      `Les indicateurs n’incluent pas encore la modification attendue après ${this.settings.includeWaitMs / 1000} s : elle est peut-être encore en route (réessayez dans un instant), ou elle ne change aucun indicateur.`,
      { commandId, eventsUpTo: active?.last_event_at?.toISOString() ?? null, waitedMs: this.settings.includeWaitMs },
      'UNAVAILABLE',
    );
  }

  /**
   * The cells of the answer's grid that no fact reached, as rows of zeros (hidden when published): every
   * period × every value of each grouped dimension in the caller's scope and filters — the places of the
   * directory that were open during the periods, every code of the coded dimensions.
   */
  private async absentCells(rows: AggregateRow[], ctx: SqlContext, measureNames: string[]): Promise<AggregateRow[]> {
    const groupBy = ctx.groupBy;
    const columns = groupBy.map((dimension) => DIMENSION_COLUMNS[dimension]);
    const places = groupBy.filter((dimension) => GEOGRAPHY.includes(dimension));
    let placeValues: Record<string, string | null>[] = [{}];
    if (places.length > 0) {
      const values: unknown[] = [ctx.buckets[0].from, ctx.buckets[ctx.buckets.length - 1].to];
      const conditions = ['m.opened_on <= $2::date', '(m.closed_on is null or m.closed_on >= $1::date)'];
      const any = (expression: string, list: readonly string[] | null | undefined) => {
        if (!list || list.length === 0) return;
        values.push(list);
        conditions.push(`${expression} = any($${values.length}::text[])`);
      };
      any('m.network_id', ctx.scope.networkIds);
      any('m.id', ctx.scope.microstructureIds);
      any('n.region', ctx.filter.regions);
      any('m.department', ctx.filter.departments);
      any('m.kind', ctx.filter.microstructureKinds);
      const select = places.map((dimension) => `${PLACE_COLUMNS[dimension]} as ${DIMENSION_COLUMNS[dimension]}`).join(', ');
      placeValues = (
        await this.pool.query<Record<string, string | null>>(
          `select distinct ${select} from ${ctx.table('microstructures')} m left join ${ctx.table('networks')} n on n.id = m.network_id where ${conditions.join(' and ')}`,
          values,
        )
      ).rows;
    }
    let combinations = placeValues;
    for (const dimension of groupBy) {
      const coded = CODED[dimension];
      if (!coded) continue;
      const asked = ctx.filter[coded.filter];
      const codes = asked?.length ? coded.values.filter((code) => asked.includes(code)) : coded.values;
      combinations = combinations.flatMap((combination) => codes.map((code) => ({ ...combination, [DIMENSION_COLUMNS[dimension]]: code })));
    }
    const size = combinations.length * ctx.buckets.length;
    if (size > MAX_GRID_CELLS) {
      throw new ReportingError(
        'TABLE_TOO_DETAILED',
        `Ce tableau compterait ${size.toLocaleString('fr-FR')} cases (au plus ${MAX_GRID_CELLS.toLocaleString('fr-FR')}) : regroupez par moins de dimensions, filtrez, ou choisissez une période plus courte ou moins fine.`,
        { cells: size, limit: MAX_GRID_CELLS },
      );
    }
    const keyOf = (bucket: string, row: Record<string, unknown>) => [bucket, ...columns.map((column) => row[column] ?? '')].join('\u0000');
    const present = new Set(rows.filter((row) => !row.is_total).map((row) => keyOf(row.bucket, row)));
    const zeros = Object.fromEntries(measureNames.map((name) => [name, 0]));
    const absent: AggregateRow[] = [];
    for (const bucket of ctx.buckets) {
      for (const combination of combinations) {
        if (!present.has(keyOf(bucket.key, combination))) absent.push({ ...zeros, ...combination, bucket: bucket.key, is_total: false } as AggregateRow);
      }
    }
    return absent;
  }

  /**
   * One indicator query. JIT compilation is off (it costs more than it saves on these short aggregations: ~0.6 s
   * measured); sorts of a few tens of thousands of unit rows stay in memory (with the server's default 4 MB, the
   * delays' histogram of a year went to disk).
   */
  private async run(sql: string, values: unknown[]): Promise<AggregateRow[]> {
    const client = await this.pool.connect();
    try {
      await client.query(`set jit = off; set work_mem = '${INDICATOR_WORK_MEM}'`);
      return (await client.query<AggregateRow>(sql, values)).rows;
    } finally {
      client.release();
    }
  }

  /** The request checked against the catalogue, the allowed span and the caller's rights (French errors). */
  private checked(viewer: Viewer, code: string, request: IndicatorRequest) {
    const indicator = indicatorOf(code);
    const groupBy = parseDimensions(request.groupBy ?? []);
    checkRequest(indicator, groupBy, request.period.granularity);
    const filter = request.filter ?? {};
    for (const [name, dimension] of Object.entries(FILTER_DIMENSIONS) as [keyof IndicatorFilter, Dimension][]) {
      if (filter[name]?.length && !indicator.dimensions.includes(dimension)) {
        throw new ReportingError('INVALID_FILTER', `L’indicateur « ${code} » ne se filtre pas par ${dimension}.`, { indicator: code, dimension });
      }
    }
    const buckets = bucketsOf(request.period, this.settings.maxPeriodMonths);
    const audience = audienceOf(viewer);
    return { indicator, groupBy, filter, buckets, audience, scope: scopeOf(audience, filter) };
  }

  /**
   * The cell key method (docs/disclosure-control.md): every count of records the cell reveals is replaced
   * by its published count, a magnitude scaled with it, the value recomputed from the published figures;
   * a cell with a hidden count is marked small (its figures go in `applySuppression`). Totals are cells of
   * their own. Same records, same figure: in every answer, grouping, filter and export.
   */
  private publish(cell: CountedCell, query: IndicatorQuery, ctx: SqlContext) {
    if (cell.numerator === null) return;
    const published = publishFigures({ numerator: cell.numerator, denominator: cell.denominator, numeratorRecords: cell.records.n, denominatorRecords: cell.records.d }, {
      threshold: this.settings.suppressionThreshold,
      maxPerturbation: this.settings.cellKeyMaxPerturbation,
    });
    if (!published.shown) {
      cell.patients = [1]; // below the threshold once published: a small cell for the complementary suppression
      return;
    }
    cell.numerator = published.numerator;
    cell.denominator = published.denominator;
    cell.value = query.value({ numerator: published.numerator, denominator: published.denominator, median: cell.median }, ctx);
    // Published counts only from here on: the complementary suppression ranks on what the caller sees.
    cell.patients = [cell.records.n ? published.numerator : null, cell.records.d ? published.denominator : null].filter((count): count is number => count !== null);
  }

  /** Without grouping the cells are the totals: they are suppressed as totals are. */
  private applySuppression(
    cells: CountedCell[],
    totals: CountedCell[],
    groupBy: Dimension[],
    sameAsTotals: CountedCell[],
    ancestors: Ancestors,
  ) {
    const threshold = this.settings.suppressionThreshold;
    const result = suppress(
      cells.map((cell) => ({ period: cell.period, key: Object.fromEntries(cell.dimensions.map((d) => [d.dimension, d.value])), patientCounts: cell.patients })),
      totals.map((total) => ({ period: total.period, patientCounts: total.patients })),
      groupBy,
      threshold,
      ancestors,
      coarserPeriodsOf,
    );
    const hide = (cell: AnswerCell, kind: SuppressionKind | null) => {
      if (!kind) return;
      Object.assign(cell, { numerator: null, denominator: null, value: null, suppressed: true, suppression: kind, suppressionReason: SUPPRESSION_REASONS[kind](threshold) });
    };
    cells.forEach((cell, index) => hide(cell, result.cells[index]));
    totals.forEach((total) => hide(total, result.totals[total.period]));
    sameAsTotals.forEach((cell) => hide(cell, result.totals[cell.period]));
  }

  /** Microstructures within networks within regions: a caller can ask each level, so each level's cells are lines for suppression. */
  private async hierarchy(schema: string): Promise<Ancestors> {
    const { rows } = await this.pool.query<{ id: string; network_id: string; region: string | null }>(`select m.id, m.network_id, n.region from ${schema}.microstructures m left join ${schema}.networks n on n.id = m.network_id`);
    const networks = new Map(rows.map((row) => [row.id, row]));
    const regions = new Map(rows.map((row) => [row.network_id, row.region]));
    return (dimension, value) => {
      if (value === null) return [];
      if (dimension === 'MICROSTRUCTURE') {
        const at = networks.get(value);
        return at ? [`NETWORK:${at.network_id}`, `REGION:${at.region}`] : [];
      }
      if (dimension === 'NETWORK' && regions.has(value)) return [`REGION:${regions.get(value)}`];
      return [];
    };
  }

  /** Names of the networks and microstructures of the answer, from the directory's events. */
  private async labels(schema: string, rows: AggregateRow[]): Promise<Map<string, string>> {
    const ids = (column: string) => [...new Set(rows.map((row) => row[column]).filter((value): value is string => typeof value === 'string'))];
    const labels = new Map<string, string>();
    const networks = ids('network');
    const microstructures = ids('microstructure');
    if (networks.length > 0) for (const row of (await this.pool.query<{ id: string; name: string }>(`select id, name from ${schema}.networks where id = any($1)`, [networks])).rows) labels.set(`NETWORK:${row.id}`, row.name);
    if (microstructures.length > 0) {
      for (const row of (await this.pool.query<{ id: string; name: string }>(`select id, name from ${schema}.microstructures where id = any($1)`, [microstructures])).rows) labels.set(`MICROSTRUCTURE:${row.id}`, row.name);
    }
    return labels;
  }
}

/** Where each place dimension's value is in the directory's tables of the fact set (`m` microstructure, `n` network). */
const PLACE_COLUMNS: Partial<Record<Dimension, string>> = { NETWORK: 'm.network_id', REGION: 'n.region', DEPARTMENT: 'm.department', MICROSTRUCTURE: 'm.id', MICROSTRUCTURE_KIND: 'm.kind' };

/** A cell with the patient counts and record keys disclosure control looks at (removed before the answer leaves). */
type CountedCell = AnswerCell & { patients: number[]; records: { n: CountedRecords | null; d: CountedRecords | null }; median: number | null };

/** Turns aggregated rows into cells: period label, labelled dimension values, figures, the indicator's value. */
function cellsOf(query: IndicatorQuery, ctx: SqlContext, buckets: readonly Bucket[], labels: Map<string, string>): (row: AggregateRow) => CountedCell {
  const periodLabels = new Map(buckets.map((bucket) => [bucket.key, bucket.label]));
  return (row) => {
    const figures = { numerator: num(row.numerator), denominator: 'denominator' in row ? num(row.denominator) : null, median: row.median === null || row.median === undefined ? null : Number(row.median) };
    const dimensions = row.is_total
      ? []
      : ctx.groupBy.map((dimension) => {
          const value = (row[DIMENSION_COLUMNS[dimension]] as string | null) ?? null;
          return { dimension, value, label: value === null ? null : (labels.get(`${dimension}:${value}`) ?? VALUE_LABELS[value] ?? value) };
        });
    return {
      period: row.bucket,
      periodLabel: periodLabels.get(row.bucket) ?? row.bucket,
      dimensions,
      numerator: figures.numerator,
      denominator: figures.denominator,
      value: query.value(figures, ctx),
      suppressed: false,
      suppression: null,
      suppressionReason: null,
      patients: ['patients_n', 'patients_d'].filter((name) => name in row).map((name) => num(row[name])),
      records: { n: recordsOf(row, 'n'), d: recordsOf(row, 'd') },
      median: figures.median,
    };
  };
}

/** The records behind a figure, when the query counted them with their keys (`keys_n`, `keys_d`: outside the team only). */
function recordsOf(row: AggregateRow, figure: 'n' | 'd'): CountedRecords | null {
  return `keys_${figure}` in row && `patients_${figure}` in row ? { count: num(row[`patients_${figure}`]), keySum: num(row[`keys_${figure}`]) } : null;
}

function byPeriodThenValues(a: AnswerCell, b: AnswerCell): number {
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  for (let i = 0; i < a.dimensions.length; i++) {
    const x = a.dimensions[i].value ?? '';
    const y = b.dimensions[i]?.value ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

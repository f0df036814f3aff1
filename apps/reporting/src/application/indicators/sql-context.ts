import { Bucket, Dimension } from '@cnrms/domain-reporting';

/** The filters a query may carry beside the caller's scope (each one an OR of values). */
export interface IndicatorFilter {
  networkIds?: string[] | null;
  microstructureIds?: string[] | null;
  regions?: string[] | null;
  departments?: string[] | null;
  microstructureKinds?: string[] | null;
  sexes?: string[] | null;
  ageBands?: string[] | null;
  exitReasons?: string[] | null;
  partnerTypes?: string[] | null;
}

export interface IndicatorSettings {
  reviewWindowMonths: number;
  outcomeWindowMonths: number;
  retention6mDays: number;
  retention12mDays: number;
  packageMinContacts: number;
  packageAmountEuros: number;
  lostToFollowUpMonths: number;
}

/** Up to this many periods, the facts of each are selected by its range (`inPeriods`). */
const FEW_PERIODS = 3;

/** The columns a unit row exposes for grouping, one per dimension. */
export const DIMENSION_COLUMNS: Readonly<Record<Dimension, string>> = {
  NETWORK: 'network',
  REGION: 'region',
  DEPARTMENT: 'department',
  MICROSTRUCTURE: 'microstructure',
  MICROSTRUCTURE_KIND: 'kind',
  SEX: 'sex',
  AGE_BAND: 'age_band',
  EXIT_REASON: 'exit_reason',
  PARTNER_TYPE: 'partner_type',
};

/** Where a fact row's dimension values come from; absent ones are null (the indicator does not support them). */
export interface Placement {
  microstructureId: string;
  networkId: string;
  sex?: string;
  ageBand?: string;
  exitReason?: string;
  partnerType?: string;
}

/**
 * Builds one indicator query: the periods as a `b(key, from_on, to_on)` CTE, the facts' dimension
 * columns through the reference tables (`m` microstructure, `n` network), the caller's scope and
 * filters as bound parameters (never spliced into the SQL), then the grouping.
 */
export class SqlContext {
  readonly values: unknown[] = [];

  constructor(
    readonly schema: string,
    readonly buckets: readonly Bucket[],
    readonly groupBy: readonly Dimension[],
    readonly scope: { networkIds: readonly string[] | null; microstructureIds: readonly string[] | null },
    readonly filter: IndicatorFilter,
    readonly asOf: string,
    readonly settings: IndicatorSettings,
    /** Whether the answer counts the patients behind each figure (`patients_*`, for suppression); without them, units may come summed. */
    readonly countsPatients = true,
  ) {}

  /** A bound parameter. */
  param(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }

  table(name: string): string {
    return `${this.schema}.${name}`;
  }

  /** The dimension columns of a unit row. */
  columns(p: Placement): string {
    const or = (expression: string | undefined) => expression ?? 'null::text';
    return [
      `${p.networkId} as network`,
      'n.region as region',
      'm.department as department',
      `${p.microstructureId} as microstructure`,
      'm.kind as kind',
      `${or(p.sex)} as sex`,
      `${or(p.ageBand)} as age_band`,
      `${or(p.exitReason)} as exit_reason`,
      `${or(p.partnerType)} as partner_type`,
    ].join(', ');
  }

  joins(p: Placement): string {
    return `left join ${this.table('microstructures')} m on m.id = ${p.microstructureId} left join ${this.table('networks')} n on n.id = ${p.networkId}`;
  }

  /** Scope and filters on a fact row. */
  where(p: Placement, ignore: readonly (keyof IndicatorFilter)[] = []): string {
    const conditions: string[] = [];
    const filter: IndicatorFilter = { ...this.filter };
    for (const name of ignore) filter[name] = null;
    const any = (expression: string | undefined, values: readonly string[] | null | undefined) => {
      if (values && values.length > 0) conditions.push(`${expression ?? 'null::text'} = any(${this.param(values, '::text[]')})`);
    };
    any(p.networkId, this.scope.networkIds);
    any(p.microstructureId, this.scope.microstructureIds);
    any('n.region', filter.regions);
    any('m.department', filter.departments);
    any('m.kind', filter.microstructureKinds);
    any(p.sex, filter.sexes);
    any(p.ageBand, filter.ageBands);
    any(p.exitReason, filter.exitReasons);
    any(p.partnerType, filter.partnerTypes);
    return conditions.length > 0 ? conditions.join(' and ') : 'true';
  }

  /** The first and last day the periods cover, as parameters (bounds that let an index on the date be used). */
  firstDay(): string {
    return this.param(this.buckets[0].from, '::date');
  }

  lastDay(): string {
    return this.param(this.buckets[this.buckets.length - 1].to, '::date');
  }

  /**
   * A fact dated by `column` falls in the period `b`, within the whole span's bounds (an index range scan, not all
   * facts). Up to `FEW_PERIODS` periods (a year or two), each one's range: the planner counts its rows right, and
   * sums them by hashing. More (months), an equality on the period's first day: one hash join (`date_trunc`, several
   * times cheaper per row than formatting the period's code), where a range would loop over the periods.
   */
  inPeriods(column: string): string {
    if (this.buckets.length <= FEW_PERIODS) return `${column} >= b.from_on and ${column} <= b.to_on and ${column} between ${this.firstDay()} and ${this.lastDay()}`;
    const key = this.buckets[0].key;
    const unit = /^\d{4}$/.test(key) ? 'year' : key.includes('-Q') ? 'quarter' : 'month';
    return `b.from_on = date_trunc('${unit}', ${column}::timestamp)::date and ${column} between ${this.firstDay()} and ${this.lastDay()}`;
  }

  /**
   * The unit rows `units` selects (with the dimension columns of `columns`) summed per period, per dimension the
   * answer groups by and per column of `keys`: `sums` (name → aggregate). Fewer rows for the grouping above when
   * many facts share them (the referrals of a region, a histogram's days over a year's months); the dimensions it
   * does not group by are null (the filters have been applied below).
   */
  summed(units: string, keys: readonly string[], sums: Record<string, string>): string {
    const grouped = new Set(this.groupBy.map((dimension) => DIMENSION_COLUMNS[dimension]));
    const dimensions = Object.values(DIMENSION_COLUMNS).map((column) => (grouped.has(column) ? bytes(column) : `null::text as ${column}`));
    const by = [...['bucket', ...grouped].map(byBytes), ...keys];
    return `select ${[bytes('bucket'), ...dimensions, ...keys].join(', ')}, ${Object.entries(sums).map(([name, sum]) => `${sum} as ${name}`).join(', ')}
      from (${units}) s group by ${by.join(', ')}`;
  }

  /** The periods CTE. */
  periods(): string {
    return `b(key, from_on, to_on) as (values ${this.buckets.map((bucket) => `(${this.param(bucket.key, '::text')}, ${this.param(bucket.from, '::date')}, ${this.param(bucket.to, '::date')})`).join(', ')})`;
  }

  /**
   * Groups unit rows by period and the requested dimensions, with a per-period total (grouping sets): `measures` as
   * numbers, `lists` as they are (arrays a query's `finish` reads).
   */
  aggregate(units: string, measures: Record<string, string>, lists: Record<string, string> = {}): string {
    const columns = this.groupBy.map((dimension) => DIMENSION_COLUMNS[dimension]);
    const selected = [
      ...Object.entries(measures).map(([name, expression]) => `(${expression})::float8 as ${name}`),
      ...Object.entries(lists).map(([name, expression]) => `(${expression}) as ${name}`),
    ];
    const keys = columns.map(byBytes);
    const grouping = columns.length > 0 ? `grouping sets ((${byBytes('bucket')}, ${keys.join(', ')}), (${byBytes('bucket')}))` : byBytes('bucket');
    const isTotal = columns.length > 0 ? `grouping(${keys.join(', ')}) <> 0` : 'true';
    return `with ${this.periods()} select ${[bytes('bucket'), ...columns.map(bytes)].join(', ')}, ${isTotal} as is_total, ${selected.join(', ')} from (${units} offset 0) u group by ${grouping}`;
  }
}

/**
 * A text column grouped by its bytes (`collate "C"`): the groups are the same, and the sort that forms them compares
 * bytes, not the database's collation (several times faster on a year's unit rows).
 */
export const byBytes = (column: string) => `${column} collate "C"`;
const bytes = (column: string) => `${byBytes(column)} as ${column}`;

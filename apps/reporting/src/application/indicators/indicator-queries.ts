import { percent, ratio } from '@cnrms/domain-reporting';
import { cellKeyTag } from '../facts/cell-keys';
import { INCLUSION_FIGURES } from '../facts/inclusion-cells';
import { ANY_PARTNER } from '../facts/referral-cells';
import { KEY_MODULUS, recordKeySql } from './record-keys';
import { byBytes, DIMENSION_COLUMNS, IndicatorFilter, Placement, SqlContext } from './sql-context';

/** One aggregated row: a period, dimension columns, measures (numbers), `is_total`. */
export type AggregateRow = Record<string, string | number | boolean | null> & { bucket: string; is_total: boolean };

/** How one indicator is computed from the facts. */
export interface IndicatorQuery {
  /** The unit rows (one per patient-month, inclusion, screening…), with the dimension columns. */
  units(ctx: SqlContext): string;
  /** Aggregates over the unit rows: `numerator`, optionally `denominator`, `median`, and the patient counts the cell reveals (`patients_*`). */
  measures(ctx: SqlContext): Record<string, string>;
  value(row: Figures, ctx: SqlContext): number | null;
  /** Adjusts the aggregated rows before suppression (denominators taken from sibling rows). */
  finish?(rows: AggregateRow[], ctx: SqlContext): AggregateRow[];
}

/**
 * An indicator answered from the cells (`month-cells.ts`, `period-cells.ts`, `inclusion-cells.ts`): its counts are
 * sums of cells (and spread patients counted once), and the record keys of each patient count are sums of the cells'
 * key sums (`recordKeys`), kept beside them.
 */
export interface CellQuery extends IndicatorQuery {
  recordKeys(ctx: SqlContext, secret: string): Record<string, string>;
  /** What the answer is computed from, as `cnrms_reporting_answers_total{source}` counts it. */
  source(ctx: SqlContext): CellSource;
  /** Aggregates kept as they are, not numbers (arrays), for `finish` to read. */
  lists?(ctx: SqlContext): Record<string, string>;
  /** Whether the cells hold what the request cuts and filters by (the inclusion cells keep no microstructure). */
  covers(ctx: SqlContext): boolean;
  /**
   * A count over the units that is 0 when their sums are exactly the facts' answer: no cell counts a patient twice,
   * and, when the answer publishes with record keys (`secret`), every cell's key sums derive from that secret.
   */
  inexact(ctx: SqlContext, secret: string | null): string;
}

export type CellSource = 'month_cells' | 'period_cells' | 'inclusion_cells' | 'month_end_cells' | 'network_microstructures' | 'treating_gp_spans' | 'hcv_screening_cells' | 'package_cells';

export interface Figures {
  numerator: number;
  denominator: number | null;
  median: number | null;
}

const place = (alias: string, extra: Partial<Placement> = {}): Placement => ({
  microstructureId: `${alias}.microstructure_id`,
  networkId: `${alias}.network_id`,
  sex: `${alias}.sex`,
  ageBand: `${alias}.age_band`,
  ...extra,
});
const atMicrostructure: Placement = { microstructureId: 'f.id', networkId: 'f.network_id' };

const share = (r: Figures) => percent(r.numerator, r.denominator ?? 0);
const perPatient = (r: Figures) => ratio(r.numerator, r.denominator ?? 0);
const mean = (r: Figures) => ratio(r.numerator, r.denominator ?? 0, 1);
const count = (r: Figures) => r.numerator;

/** Patient-months of the periods: contacts by kind. */
function patientMonths(ctx: SqlContext): string {
  const p = place('f');
  return `select b.key as bucket, ${ctx.columns(p)}, f.patient_id, f.month, f.contacts, f.psychologist_sessions, f.social_work_interviews
    from b join ${ctx.table('patient_months')} f on ${ctx.inPeriods('f.month')} ${ctx.joins(p)} where ${ctx.where(p)}`;
}

/** Inclusions joined to the periods by `on` (a condition on `f` and `b`), with the inclusion's columns. */
function inclusions(ctx: SqlContext, on: string, extra = '', joins = ''): string {
  const p = place('f', { exitReason: 'f.exit_reason' });
  return `select b.key as bucket, ${ctx.columns(p)}, f.inclusion_id, f.patient_id, f.treating_gp_id${extra}
    from b join ${ctx.table('inclusions')} f on ${on} ${joins} ${ctx.joins(p)} where ${ctx.where(p)}`;
}

/** Active at some date of the period / at its last day; the span's bounds first, so that old closed inclusions are not read. */
const activeBounds = (ctx: SqlContext) => `f.included_on <= ${ctx.lastDay()} and (f.exited_on is null or f.exited_on >= ${ctx.firstDay()})`;
const activeSomeDay = (ctx: SqlContext) => `${activeBounds(ctx)} and f.included_on <= b.to_on and (f.exited_on is null or f.exited_on >= b.from_on)`;
const activeAtEnd = (ctx: SqlContext) => `${activeBounds(ctx)} and f.included_on <= b.to_on and (f.exited_on is null or f.exited_on >= b.to_on)`;

const caseload = { units: patientMonths, measures: () => ({ numerator: 'count(distinct patient_id)', patients_n: 'count(distinct patient_id)' }), value: count };

function reach(column: string): IndicatorQuery {
  return {
    units: patientMonths,
    measures: () => ({ numerator: `count(distinct patient_id) filter (where ${column} > 0)`, denominator: 'count(distinct patient_id)', patients_n: `count(distinct patient_id) filter (where ${column} > 0)`, patients_d: 'count(distinct patient_id)' }),
    value: share,
  };
}

function perPatientSeen(column: string): IndicatorQuery {
  return {
    units: patientMonths,
    measures: () => ({ numerator: `coalesce(sum(${column}), 0)`, denominator: `count(distinct patient_id) filter (where ${column} > 0)`, patients_d: `count(distinct patient_id) filter (where ${column} > 0)` }),
    value: perPatient,
  };
}

function withinWindow(column: string): IndicatorQuery {
  return {
    units: (ctx) => inclusions(ctx, ctx.inPeriods('f.included_on'), `, (f.${column} is not null and f.${column} <= (f.included_on + ${ctx.param(ctx.settings.outcomeWindowMonths, '::int')} * interval '1 month')::date) as ok`),
    measures: () => ({ numerator: 'count(*) filter (where ok)', denominator: 'count(*)', patients_n: 'count(*) filter (where ok)', patients_d: 'count(*)' }),
    value: share,
  };
}

function retention(months: number, days: (ctx: SqlContext) => number): IndicatorQuery {
  return {
    units: (ctx) =>
      inclusions(
        ctx,
        `${ctx.inPeriods('f.included_on')} and (f.included_on + ${months} * interval '1 month')::date <= ${ctx.param(ctx.asOf, '::date')}`,
        `, f.last_contact_on >= f.included_on + ${ctx.param(days(ctx), '::int')} as retained`,
      ),
    measures: () => ({ numerator: 'count(*) filter (where retained)', denominator: 'count(*)', patients_n: 'count(*) filter (where retained)', patients_d: 'count(*)' }),
    value: share,
  };
}

function change(from: string | null, to: string, column: 'days_of_use' | 'quality_of_life_score'): IndicatorQuery {
  return {
    units: (ctx) => {
      const baseline = from ? `a0.${column}` : 'f.initial_days_of_use';
      const joins = `join ${ctx.table('assessments')} a1 on a1.inclusion_id = f.inclusion_id and a1.timepoint = ${ctx.param(to, '::text')}${
        from ? ` join ${ctx.table('assessments')} a0 on a0.inclusion_id = f.inclusion_id and a0.timepoint = ${ctx.param(from, '::text')}` : ''
      }`;
      return inclusions(ctx, ctx.inPeriods('f.included_on'), `, a1.${column} - ${baseline} as delta`, joins);
    },
    measures: () => ({ numerator: 'coalesce(sum(delta), 0)', denominator: 'count(*)', patients_d: 'count(*)' }),
    value: mean,
  };
}

/**
 * Microstructure-months open in the periods (meetings_held's denominator: the months from the one it opened or the
 * period began in to the one it closed or the period ended in, counted) and the meetings held in them (above the
 * microstructure, placed by their network: no microstructure to look up per month).
 */
function meetingsUnits(ctx: SqlContext): string {
  const mm = aboveMicrostructure(ctx) ? { microstructureId: 'null::text', networkId: 'f.network_id' } : { microstructureId: 'f.microstructure_id', networkId: 'f.network_id' };
  const [first, last] = [`date_trunc('month', greatest(f.opened_on, b.from_on))`, `date_trunc('month', least(coalesce(f.closed_on, b.to_on), b.to_on))`];
  const months = `greatest(0, (extract(year from ${last}) - extract(year from ${first})) * 12 + extract(month from ${last}) - extract(month from ${first}) + 1)`;
  return `select b.key as bucket, ${ctx.columns(atMicrostructure)}, ${months} as open_months, 0 as meetings
      from b join ${ctx.table('microstructures')} f on f.opened_on is not null and f.opened_on <= b.to_on and (f.closed_on is null or f.closed_on >= b.from_on)
      ${ctx.joins(atMicrostructure)} where ${ctx.where(atMicrostructure)}
    union all
    select b.key as bucket, ${ctx.columns(mm)}, 0, f.meetings_held
      from b join ${ctx.table('microstructure_months')} f on ${ctx.inPeriods('f.month')} ${ctx.joins(mm)} where ${ctx.where(mm)}`;
}

/** Referrals of the periods, and the caseload rows (partner type null) that give their denominator. */
function referralUnits(ctx: SqlContext): string {
  const p = place('f', { partnerType: 'f.partner_type' });
  const caseloadPlacement = place('f');
  return `select b.key as bucket, ${ctx.columns(p)}, f.patient_id, 1 as referral, false as in_caseload
      from b join ${ctx.table('referrals')} f on ${ctx.inPeriods('f.held_on')} ${ctx.joins(p)} where ${ctx.where(p)}
    union all
    select b.key as bucket, ${ctx.columns(caseloadPlacement)}, f.patient_id, 0, true
      from b join ${ctx.table('patient_months')} f on ${ctx.inPeriods('f.month')} ${ctx.joins(caseloadPlacement)} where ${ctx.where(caseloadPlacement, ['partnerTypes'])}`;
}

/** Rows that share the period and every grouped dimension but `dimension`. */
const siblingKey = (row: AggregateRow, ctx: SqlContext, column: string) =>
  JSON.stringify([row.bucket, row.is_total, ...ctx.groupBy.filter((d) => d !== column).map((d) => row[DIMENSION_COLUMNS[d]])]);

export const INDICATOR_QUERIES: Readonly<Record<string, IndicatorQuery>> = {
  active_regions: {
    units: (ctx) =>
      `select b.key as bucket, ${ctx.columns(atMicrostructure)} from b join ${ctx.table('microstructures')} f on f.opened_on <= b.to_on and (f.closed_on is null or f.closed_on >= b.to_on) ${ctx.joins(atMicrostructure)} where ${ctx.where(atMicrostructure)}`,
    measures: () => ({ numerator: 'count(distinct region)' }),
    value: count,
  },
  active_microstructures: { units: patientMonths, measures: () => ({ numerator: 'count(distinct microstructure)' }), value: count },
  involved_gps: { units: (ctx) => inclusions(ctx, activeSomeDay(ctx)), measures: () => ({ numerator: 'count(distinct treating_gp_id)' }), value: count },
  active_caseload: caseload,
  women_share: {
    units: patientMonths,
    measures: () => ({
      numerator: `count(distinct patient_id) filter (where sex = 'FEMALE')`,
      denominator: `count(distinct patient_id) filter (where sex <> 'UNKNOWN')`,
      patients_n: `count(distinct patient_id) filter (where sex = 'FEMALE')`,
      patients_d: `count(distinct patient_id) filter (where sex <> 'UNKNOWN')`,
    }),
    value: share,
  },
  new_inclusions: { units: (ctx) => inclusions(ctx, ctx.inPeriods('f.included_on')), measures: () => ({ numerator: 'count(*)', patients_n: 'count(*)' }), value: count },
  reinclusions: { units: (ctx) => inclusions(ctx, `${ctx.inPeriods('f.included_on')} and f.reinclusion`), measures: () => ({ numerator: 'count(*)', patients_n: 'count(*)' }), value: count },
  psychologist_reach: reach('psychologist_sessions'),
  psychologist_sessions_per_patient: perPatientSeen('psychologist_sessions'),
  social_worker_reach: reach('social_work_interviews'),
  social_work_interviews_per_patient: perPatientSeen('social_work_interviews'),
  meetings_held: { units: meetingsUnits, measures: () => ({ numerator: 'coalesce(sum(meetings), 0)', denominator: 'coalesce(sum(open_months), 0)' }), value: perPatient },
  patients_reviewed_share: {
    // Who was reviewed in each period's window, once, joined by hash (not one lookup per active patient and period).
    units: (ctx) => {
      const months = ctx.param(ctx.settings.reviewWindowMonths, '::int');
      const reviewed = `left join (select distinct w.key, r.patient_id from b w join ${ctx.table('case_reviews')} r on r.held_on <= w.to_on and r.held_on > (w.to_on - ${months} * interval '1 month')::date
          and r.held_on <= ${ctx.lastDay()} and r.held_on > (${ctx.firstDay()} - ${months} * interval '1 month')::date) rv on rv.key = b.key and rv.patient_id = f.patient_id`;
      return inclusions(ctx, activeAtEnd(ctx), ', rv.patient_id is not null as reviewed', reviewed);
    },
    measures: () => ({
      numerator: 'count(distinct patient_id) filter (where reviewed)',
      denominator: 'count(distinct patient_id)',
      patients_n: 'count(distinct patient_id) filter (where reviewed)',
      patients_d: 'count(distinct patient_id)',
    }),
    value: share,
  },
  lost_to_follow_up: {
    // One index lookup per active patient and period (patient_months by patient and month): measured faster here than a hashed window of every patient-month.
    units: (ctx) =>
      inclusions(
        ctx,
        activeAtEnd(ctx),
        `, not exists (select 1 from ${ctx.table('patient_months')} pm where pm.patient_id = f.patient_id and pm.month <= b.to_on
            and pm.month > (date_trunc('month', b.to_on) - ${ctx.param(ctx.settings.lostToFollowUpMonths, '::int')} * interval '1 month')::date) as lost`,
      ),
    measures: () => ({
      numerator: 'count(distinct patient_id) filter (where lost)',
      denominator: 'count(distinct patient_id)',
      patients_n: 'count(distinct patient_id) filter (where lost)',
      patients_d: 'count(distinct patient_id)',
    }),
    value: share,
  },
  time_to_first_team_contact: {
    units: (ctx) => inclusions(ctx, ctx.inPeriods('f.included_on'), ', f.first_team_contact_on - f.included_on as days'),
    measures: () => ({ numerator: 'count(days)', denominator: 'count(*)', median: 'percentile_cont(0.5) within group (order by days)', patients_d: 'count(*)' }),
    value: (r) => (r.median === null ? null : Math.round(r.median * 10) / 10),
  },
  hcv_screening_acceptance: {
    units: (ctx) => {
      const p = place('f');
      const months = ctx.param(ctx.settings.outcomeWindowMonths, '::int');
      return `select b.key as bucket, ${ctx.columns(p)}, f.patient_id, f.status from b join ${ctx.table('screenings')} f on f.disease = 'HCV' and f.held_on <= b.to_on
        and f.held_on > (b.to_on - ${months} * interval '1 month')::date and f.held_on <= ${ctx.lastDay()} and f.held_on > (${ctx.firstDay()} - ${months} * interval '1 month')::date
        ${ctx.joins(p)} where ${ctx.where(p)}`;
    },
    measures: () => ({
      numerator: `count(distinct patient_id) filter (where status = 'DONE')`,
      denominator: 'count(distinct patient_id)',
      patients_n: `count(distinct patient_id) filter (where status = 'DONE')`,
      patients_d: 'count(distinct patient_id)',
    }),
    value: share,
  },
  hcv_treatment_uptake: {
    // RNA-positive HCV results of the window ending with the period (outcomeWindowMonths), and whether an
    // HCV treatment was started for that patient in the same window (contract v2's treatment outcome).
    units: (ctx) => {
      const p = place('f');
      const months = ctx.param(ctx.settings.outcomeWindowMonths, '::int');
      const window = (alias: string) =>
        `${alias}.held_on <= b.to_on and ${alias}.held_on > (b.to_on - ${months} * interval '1 month')::date and ${alias}.held_on <= ${ctx.lastDay()} and ${alias}.held_on > (${ctx.firstDay()} - ${months} * interval '1 month')::date`;
      return `select b.key as bucket, ${ctx.columns(p)}, ${byBytes('f.patient_id')} as patient_id,
          exists (select 1 from ${ctx.table('treatments')} t where t.patient_id = f.patient_id and t.disease = 'HCV' and t.status = 'STARTED' and ${window('t')}) as treated
        from b join ${ctx.table('screenings')} f on f.disease = 'HCV' and f.result = 'RNA_POSITIVE' and ${window('f')}
        ${ctx.joins(p)} where ${ctx.where(p)}`;
    },
    measures: () => ({
      numerator: 'count(distinct patient_id) filter (where treated)',
      denominator: 'count(distinct patient_id)',
      patients_n: 'count(distinct patient_id) filter (where treated)',
      patients_d: 'count(distinct patient_id)',
    }),
    value: share,
  },
  screened_within_12m: withinWindow('first_screened_on'),
  rights_opened_within_12m: withinWindow('first_right_granted_on'),
  substance_use_change: change(null, 'M6', 'days_of_use'),
  substance_use_change_12m: change(null, 'M12', 'days_of_use'),
  quality_of_life_change: change('INCLUSION', 'M12', 'quality_of_life_score'),
  retention_6m: retention(6, (ctx) => ctx.settings.retention6mDays),
  retention_12m: retention(12, (ctx) => ctx.settings.retention12mDays),
  exit_reasons: {
    units: (ctx) => inclusions(ctx, ctx.inPeriods('f.exited_on')),
    measures: () => ({ numerator: 'count(*)', patients_n: 'count(*)' }),
    value: share,
    finish: (rows, ctx) => {
      const exits = new Map<string, number>();
      // The exits of the line are counted records too: their record-key sum goes with them (cell key method).
      const keys = new Map<string, number>();
      for (const row of rows) exits.set(siblingKey(row, ctx, 'EXIT_REASON'), (exits.get(siblingKey(row, ctx, 'EXIT_REASON')) ?? 0) + Number(row.numerator));
      for (const row of rows) keys.set(siblingKey(row, ctx, 'EXIT_REASON'), (keys.get(siblingKey(row, ctx, 'EXIT_REASON')) ?? 0) + Number(row.keys_n ?? 0));
      return rows.map((row) => {
        const whole = row.is_total || !ctx.groupBy.includes('EXIT_REASON');
        const denominator = whole ? row.numerator : (exits.get(siblingKey(row, ctx, 'EXIT_REASON')) ?? 0);
        return { ...row, denominator, patients_d: denominator, ...('keys_n' in row ? { keys_d: whole ? row.keys_n : (keys.get(siblingKey(row, ctx, 'EXIT_REASON')) ?? 0) } : {}) };
      });
    },
  },
  referrals: {
    units: referralUnits,
    measures: () => ({
      numerator: 'coalesce(sum(referral), 0)',
      denominator: 'count(distinct patient_id) filter (where in_caseload)',
      patients_n: 'count(distinct patient_id) filter (where referral = 1)',
      patients_d: 'count(distinct patient_id) filter (where in_caseload)',
    }),
    value: perPatient,
    finish: (rows, ctx) => {
      if (!ctx.groupBy.includes('PARTNER_TYPE')) return rows;
      // Caseload rows carry no partner type: they give the denominator of their siblings, then go.
      const caseloads = new Map(rows.filter((row) => !row.is_total && row.partner_type === null).map((row) => [siblingKey(row, ctx, 'PARTNER_TYPE'), row]));
      return rows
        .filter((row) => row.is_total || row.partner_type !== null)
        .map((row) => {
          if (row.is_total) return row;
          const base = caseloads.get(siblingKey(row, ctx, 'PARTNER_TYPE'));
          return { ...row, denominator: base?.denominator ?? 0, patients_d: base?.patients_d ?? 0, ...('keys_d' in row ? { keys_d: base?.keys_d ?? 0 } : {}) };
        });
    },
  },
  training_hours_per_professional: {
    units: (ctx) => {
      // Hours at the attendee's microstructure (AttendanceRecorded v2; null before it, or a member of none).
      const at = { microstructureId: 'f.microstructure_id', networkId: 'f.network_id' };
      const member = { microstructureId: 'f.microstructure_id', networkId: 'f.network_id' };
      return `select b.key as bucket, ${ctx.columns(at)}, ${byBytes('f.professional_id')} as professional_id, f.hours, false as member
          from b join ${ctx.table('training_attendances')} f on ${ctx.inPeriods('f.attended_on')} ${ctx.joins(at)} where ${ctx.where(at)}
        union all
        select b.key as bucket, ${ctx.columns(member)}, ${byBytes('f.professional_id')}, 0, true
          from b join ${ctx.table('memberships')} f on f.started_on <= b.to_on and (f.ended_on is null or f.ended_on >= b.from_on) ${ctx.joins(member)} where ${ctx.where(member)}`;
    },
    measures: () => ({ numerator: 'coalesce(sum(hours), 0)', denominator: 'count(distinct professional_id) filter (where member)' }),
    value: perPatient,
  },
  new_microstructures: {
    units: (ctx) =>
      `select b.key as bucket, ${ctx.columns(atMicrostructure)} from b join ${ctx.table('microstructures')} f on ${ctx.inPeriods('f.opened_on')} ${ctx.joins(atMicrostructure)} where ${ctx.where(atMicrostructure)}`,
    measures: () => ({ numerator: 'count(*)' }),
    value: count,
  },
  package_payments: {
    // A patient's contacts of the year, attributed to the microstructure of their latest month (of two in that month, the first by id).
    units: (ctx) => `select * from (
        select distinct on (x.bucket, x.patient_id) x.*, sum(x.contacts) over (partition by x.bucket, x.patient_id) as year_contacts
        from (${patientMonths(ctx)}) x order by x.bucket, x.patient_id, x.month desc, x.microstructure
      ) y where y.year_contacts >= ${ctx.param(ctx.settings.packageMinContacts, '::int')}`,
    measures: () => ({ numerator: 'count(*)', patients_n: 'count(*)' }),
    value: (r, ctx) => Math.round(r.numerator * ctx.settings.packageAmountEuros * 100) / 100,
  },
};


const isMonthly = (ctx: SqlContext) => /^\d{4}-\d{2}$/.test(ctx.buckets[0].key);

/** The cells' columns: a cell's counts and key sums, or a spread patient's row (`patient_id`, sessions, zeros). */
const CELL_COLUMNS = [
  'patients', 'psychologist_patients', 'psychologist_sessions', 'social_work_patients', 'social_work_interviews', 'shared_patients',
  'patients_keys', 'psychologist_patients_keys', 'social_work_patients_keys', 'key_tag', 'patient_id',
];

/** A place of the cells kept per network: a network, no microstructure (`network-cells.ts`, `inclusion-cells.ts`). */
const atNetwork = (alias: string, extra: Partial<Placement> = {}): Placement => ({ ...place(alias), microstructureId: 'null::text', ...extra });

const BELOW_NETWORK: readonly string[] = ['MICROSTRUCTURE', 'DEPARTMENT', 'MICROSTRUCTURE_KIND'];
/** Whether a request needs nothing below the network: no cut or filter by microstructure, department or kind, not a team's own microstructures. */
const aboveMicrostructure = (ctx: SqlContext) =>
  !ctx.groupBy.some((dimension) => BELOW_NETWORK.includes(dimension)) && !ctx.scope.microstructureIds?.length && !ctx.filter.departments?.length && !ctx.filter.microstructureKinds?.length;

/**
 * The cells of the periods, with the dimension columns: the network cells when the request needs nothing below the
 * network (`network-cells.ts`: 25 times fewer rows); else by month the month cells (`month-cells.ts`), by quarter and
 * year the period cells (`period-cells.ts`). By quarter and year, the spread patients' rows beside them.
 */
function cellUnits(ctx: SqlContext, byMicrostructure = !aboveMicrostructure(ctx), ignore: readonly (keyof IndicatorFilter)[] = []): string {
  const p = place('f');
  const select = (values: Record<string, string>) => CELL_COLUMNS.map((column) => `${values[column] ?? `f.${column}`} as ${column}`).join(', ');
  const spread = { patients: '0', psychologist_patients: '0', social_work_patients: '0', shared_patients: '0', patients_keys: '0', psychologist_patients_keys: '0', social_work_patients_keys: '0', key_tag: 'null::text' };
  // A function: the scope's and filters' parameters are bound only when the rows are read.
  const spreadRows = () => `select b.key as bucket, ${ctx.columns(p)}, ${select(spread)}
      from b join ${ctx.table('patient_periods')} f on f.period = b.key and f.spread ${ctx.joins(p)} where ${ctx.where(p, ignore)}`;
  if (!byMicrostructure) {
    const n = atNetwork('f');
    const cells = `select b.key as bucket, ${ctx.columns(n)}, ${select({ patient_id: 'null::text' })}
      from b join ${ctx.table('network_cells')} f on f.period = b.key ${ctx.joins(n)} where ${ctx.where(n, ignore)}`;
    return isMonthly(ctx) ? cells : `${cells} union all ${spreadRows()}`;
  }
  if (isMonthly(ctx)) {
    return `select b.key as bucket, ${ctx.columns(p)}, ${select({ patient_id: 'null::text' })}
      from b join ${ctx.table('month_cells')} f on ${ctx.inPeriods('f.month')} ${ctx.joins(p)} where ${ctx.where(p, ignore)}`;
  }
  return `select b.key as bucket, ${ctx.columns(p)}, ${select({ shared_patients: '0', patient_id: 'null::text' })}
      from b join ${ctx.table('period_cells')} f on f.period = b.key ${ctx.joins(p)} where ${ctx.where(p, ignore)}
    union all ${spreadRows()}`;
}

const filtered = (conditions: (string | undefined)[]) => {
  const present = conditions.filter(Boolean);
  return present.length > 0 ? ` filter (where ${present.join(' and ')})` : '';
};

/**
 * A count of patients from the cells: the sum of the cells' `column` (among the cells of `where`), plus the
 * spread patients of a quarter or a year (rows with a `patient_id`, of `spread` and `where`), each once.
 */
const cellPatients = (column: string, spread?: string, where?: string) =>
  `coalesce(sum(${column})${filtered([where])}, 0) + count(distinct patient_id)${filtered(['patient_id is not null', spread, where])}`;
/** The sum of the record keys of the same patients, mod 2^32: the cells' key sums, plus each spread patient's key once. */
const cellPatientKeys = (ctx: SqlContext, secret: string, column: string, spread?: string, where?: string) =>
  `(coalesce(sum(${column}_keys)${filtered([where])}, 0) + coalesce(sum(distinct ${recordKeySql(ctx, secret)})${filtered(['patient_id is not null', spread, where])}, 0)) % ${KEY_MODULUS}`;

/**
 * What a `referrals` unit row says of the patients referred: a referral cell's patients and their key sum
 * (`referred_patients`, `referred_keys`), or one patient read row by row (`referred_patient_id`, with the key and tag
 * recorded with their referral if any), and the referrals it counts.
 */
const REFERRED = ['referred_patients', 'referred_keys', 'referred_patient_id', 'referred_key', 'referred_key_tag', 'referrals'];
/** A caseload row's: nothing referred. */
const REFERRED_NONE = 'null::int as referred_patients, null::bigint as referred_keys, null::text as referred_patient_id, null::bigint as referred_key, null::text as referred_key_tag, 0 as referral';
/** The patients referred: the cells' settled patients, and every patient read row by row once. */
const REFERRED_PATIENTS = 'coalesce(sum(referred_patients), 0) + count(distinct referred_patient_id)';

/**
 * The referrals of the periods, as `REFERRED` rows with the dimension columns. Above the microstructure, the referral
 * cells of the periods and their spread patients, at the level the request needs (each partner type when it cuts or
 * filters by it, else `*`: the patients whatever to whom, rarely spread); below it, the facts, one row per referral
 * when the answer counts the patients referred (grouping them by patient first costs more than it saves), else
 * counted per period and grouped dimension.
 */
function referralsReferred(ctx: SqlContext): string {
  if (aboveMicrostructure(ctx)) {
    const byPartner = ctx.groupBy.includes('PARTNER_TYPE') || (ctx.filter.partnerTypes?.length ?? 0) > 0;
    const p = atNetwork('f', byPartner ? { partnerType: 'f.partner_type' } : {});
    const level = `f.partner_type ${byPartner ? '<>' : '='} '${ANY_PARTNER}'`;
    return `select b.key as bucket, ${ctx.columns(p)}, f.patients as referred_patients, f.patients_keys as referred_keys, null::text as referred_patient_id, null::bigint as referred_key, f.key_tag as referred_key_tag, f.referrals
        from b join ${ctx.table('referral_cells')} f on f.period = b.key and ${level} ${ctx.joins(p)} where ${ctx.where(p)}
      union all
      select b.key as bucket, ${ctx.columns(p)}, 0, 0, ${byBytes('f.patient_id')}, null::bigint, null::text, f.referrals
        from b join ${ctx.table('referral_periods')} f on f.period = b.key and f.spread and ${level} ${ctx.joins(p)} where ${ctx.where(p)}`;
  }
  const p = place('f', { partnerType: 'f.partner_type' });
  const referrals = `select b.key as bucket, ${ctx.columns(p)}, 0 as referred_patients, 0::bigint as referred_keys, ${byBytes('f.patient_id')} as referred_patient_id, f.patient_key as referred_key, f.key_tag as referred_key_tag, 1 as referrals
    from b join ${ctx.table('referrals')} f on ${ctx.inPeriods('f.held_on')} ${ctx.joins(p)} where ${ctx.where(p)}`;
  return ctx.countsPatients
    ? referrals
    : ctx.summed(referrals, [], { referred_patients: '0', referred_keys: '0::bigint', referred_patient_id: 'null::text', referred_key: 'null::bigint', referred_key_tag: 'null::text', referrals: 'count(*)::int' });
}

/** The patient-month family: by month the month cells, by quarter and year the period cells, at any place. */
const patientMonthCells = {
  units: cellUnits,
  source: (ctx: SqlContext): CellSource => (isMonthly(ctx) ? 'month_cells' : 'period_cells'),
  covers: () => true,
  // A month cell counting a patient also followed in another microstructure that month; a cell of another secret.
  inexact: (ctx: SqlContext, secret: string | null) =>
    `coalesce(sum(shared_patients), 0) + ${untagged(ctx, secret, 'patient_id is null')}`,
};

const WITH_PSYCHOLOGIST = 'psychologist_sessions > 0';
const WITH_SOCIAL_WORKER = 'social_work_interviews > 0';
type Seen = { patients: 'psychologist_patients' | 'social_work_patients'; sessions: 'psychologist_sessions' | 'social_work_interviews'; spread: string };
const PSYCHOLOGIST: Seen = { patients: 'psychologist_patients', sessions: 'psychologist_sessions', spread: WITH_PSYCHOLOGIST };
const SOCIAL_WORKER: Seen = { patients: 'social_work_patients', sessions: 'social_work_interviews', spread: WITH_SOCIAL_WORKER };

function reachOfCells(seen: Seen): CellQuery {
  return {
    ...patientMonthCells,
    measures: () => {
      const [numerator, denominator] = [cellPatients(seen.patients, seen.spread), cellPatients('patients')];
      return { numerator, denominator, patients_n: numerator, patients_d: denominator };
    },
    recordKeys: (ctx, secret) => ({ keys_n: cellPatientKeys(ctx, secret, seen.patients, seen.spread), keys_d: cellPatientKeys(ctx, secret, 'patients') }),
    value: share,
  };
}

function perPatientOfCells(seen: Seen): CellQuery {
  return {
    ...patientMonthCells,
    measures: () => ({ numerator: `coalesce(sum(${seen.sessions}), 0)`, denominator: cellPatients(seen.patients, seen.spread), patients_d: cellPatients(seen.patients, seen.spread) }),
    recordKeys: (ctx, secret) => ({ keys_d: cellPatientKeys(ctx, secret, seen.patients, seen.spread) }),
    value: perPatient,
  };
}

const FEMALE = `sex = 'FEMALE'`;
const SEX_KNOWN = `sex <> 'UNKNOWN'`;

/** The inclusion cells of the periods (`where`: those a count reads), with the dimension columns. */
function inclusionCellUnits(ctx: SqlContext, extra = '', where = 'true', figures: readonly string[] = INCLUSION_FIGURES): string {
  const p = atNetwork('f');
  const rows = `select b.key as bucket, ${ctx.columns(p)}, ${figures.map((figure) => `f.${figure}`).join(', ')}
    from b join ${ctx.table('inclusion_cells')} f on ${ctx.inPeriods('f.month')} ${ctx.joins(p)} where ${where} and ${ctx.where(p)}`;
  // Summed per period and grouped dimension (a region's year is a few hundred cells): the tag and the settings
  // a cell was computed with are kept apart, for `inexact` to check.
  const kept = figures.filter((figure) => INCLUSION_SETTINGS.includes(figure));
  const sums = Object.fromEntries(figures.filter((figure) => !kept.includes(figure)).map((figure) => [figure, `sum(${figure})`]));
  return `select bucket, ${DIMENSIONS}, ${figures.join(', ')}${extra ? `, ${extra}` : ''} from (${ctx.summed(rows, kept, sums)}) c`;
}

/**
 * The median of a histogram (`values[i]` seen `counts[i]` times, in any order), as `percentile_cont(0.5)` gives it
 * over the values expanded one per count: with the values in order, the middle positions (0-based, floor and ceiling
 * of (n - 1) / 2) are the first values whose running count passes them, and the median is their mean. Null when empty.
 */
export function histogramMedian(values: readonly number[], counts: readonly number[]): number | null {
  const order = values.map((value, index) => [value, counts[index]] as const).sort(([a], [b]) => a - b);
  const n = order.reduce((total, [, count]) => total + count, 0);
  if (n === 0) return null;
  const at = (position: number) => {
    let running = 0;
    for (const [value, count] of order) if ((running += count) > position) return value;
    return order[order.length - 1][0];
  };
  return (at(Math.floor((n - 1) / 2)) + at(Math.floor(n / 2))) / 2;
}

/** The dimension columns of a unit row, by name. */
const DIMENSIONS = Object.values(DIMENSION_COLUMNS).join(', ');
/** What an inclusion cell was computed with (its key tag, its settings): not summed, an answer checks it cell by cell. */
const INCLUSION_SETTINGS = ['key_tag', 'outcome_window_months', 'retention_6m_days', 'retention_12m_days'];

/** Every dimension column null: a row that belongs to no place (one per period, that sends the answer to the facts). */
const NO_PLACE = Object.values(DIMENSION_COLUMNS).map((column) => `null::text as ${column}`).join(', ');

const keySum = (column: string) => `coalesce(sum(${column}), 0) % ${KEY_MODULUS}`;
/** Cells (of the rows `rows`) whose key sums derive from another secret than the one the answer publishes with. */
const untagged = (ctx: SqlContext, secret: string | null, rows = 'true') =>
  secret === null ? '0' : `count(*) filter (where ${rows} and key_tag is distinct from ${ctx.param(cellKeyTag(secret), '::text')})`;

/**
 * The inclusion-based family: sums of the inclusion cells (an inclusion counted once, in its month), whatever the
 * period; not when the request cuts or filters by what they do not keep (microstructure, department, kind), or
 * is a team's (its own microstructures).
 */
function inclusionCells(): Pick<CellQuery, 'source' | 'covers' | 'inexact'> {
  return { source: () => 'inclusion_cells', covers: aboveMicrostructure, inexact: (ctx, secret) => untagged(ctx, secret) };
}

/** A count of inclusions (`column`; `where`: the cells that hold any, as the facts have rows only for them). */
function countOfInclusionCells(column: string, where?: string): CellQuery {
  return {
    ...inclusionCells(),
    units: (ctx) => inclusionCellUnits(ctx, '', where),
    measures: () => ({ numerator: `coalesce(sum(${column}), 0)`, patients_n: `coalesce(sum(${column}), 0)` }),
    recordKeys: () => ({ keys_n: keySum(`${column}_keys`) }),
    value: count,
  };
}

/** The share of the inclusions that reached an outcome within the window: the cells computed with another window do not answer. */
function shareOfInclusionCells(column: string): CellQuery {
  return {
    ...inclusionCells(),
    units: (ctx) => inclusionCellUnits(ctx),
    measures: () => ({ numerator: `coalesce(sum(${column}), 0)`, denominator: 'coalesce(sum(inclusions), 0)', patients_n: `coalesce(sum(${column}), 0)`, patients_d: 'coalesce(sum(inclusions), 0)' }),
    recordKeys: () => ({ keys_n: keySum(`${column}_keys`), keys_d: keySum('inclusions_keys') }),
    inexact: (ctx, secret) => `${untagged(ctx, secret)} + count(*) filter (where outcome_window_months is distinct from ${ctx.param(ctx.settings.outcomeWindowMonths, '::int')})`,
    value: share,
  };
}

/** The mean change between two assessments, over the inclusions assessed at both (`assessed`, the sum of changes `change`). */
function changeOfInclusionCells(assessed: string, change: string): CellQuery {
  return {
    ...inclusionCells(),
    units: (ctx) => inclusionCellUnits(ctx, '', `f.${assessed} > 0`),
    measures: () => ({ numerator: `coalesce(sum(${change}), 0)`, denominator: `coalesce(sum(${assessed}), 0)`, patients_d: `coalesce(sum(${assessed}), 0)` }),
    recordKeys: () => ({ keys_d: keySum(`${assessed}_keys`) }),
    value: mean,
  };
}

/**
 * The inclusions of the periods still followed `months` on (a contact at least `days` after the inclusion), among
 * those included at least `months` before the day of the answer: the inclusion cells of the months whose every day
 * is that old, and the inclusions of the month that straddles it (the facts' test, day by day) beside them.
 */
function retentionOfCells(months: 6 | 12, days: (ctx: SqlContext) => number): CellQuery {
  const retained = `retained_${months}m`;
  return {
    ...inclusionCells(),
    units: (ctx) => {
      const n = atNetwork('f');
      const asOf = ctx.param(ctx.asOf, '::date');
      const old = (day: string) => `(${day} + ${months} * interval '1 month')::date <= ${asOf}`;
      const lastDayOf = (month: string) => `(${month} + interval '1 month - 1 day')::date`;
      // Bounds around the month that straddles the limit, for the index on the inclusion day (not two years of inclusions).
      const straddling = `date_trunc('month', ${asOf} - ${months} * interval '1 month')`;
      return `select b.key as bucket, ${ctx.columns(n)}, f.inclusions, f.${retained} as retained, f.inclusions_keys, f.${retained}_keys as retained_keys, f.key_tag,
          f.retention_${months}m_days as days, null::text as patient_id, false as patient_retained
        from b join ${ctx.table('inclusion_cells')} f on ${ctx.inPeriods('f.month')} and ${old(lastDayOf('f.month'))} ${ctx.joins(n)} where ${ctx.where(n)}
        union all
        select b.key, ${ctx.columns(n)}, 0, 0, 0, 0, null, null, f.patient_id, f.last_contact_on >= f.included_on + ${ctx.param(days(ctx), '::int')}
        from b join ${ctx.table('inclusions')} f on ${ctx.inPeriods('f.included_on')} and ${old('f.included_on')} and not ${old(lastDayOf("date_trunc('month', f.included_on)::date"))}
          and f.included_on >= ${straddling} - interval '1 month' and f.included_on < ${straddling} + interval '2 months'
          ${ctx.joins(n)} where ${ctx.where(n)}`;
    },
    measures: () => {
      const [numerator, denominator] = ['coalesce(sum(retained), 0) + count(*) filter (where patient_retained)', 'coalesce(sum(inclusions), 0) + count(patient_id)'];
      return { numerator, denominator, patients_n: numerator, patients_d: denominator };
    },
    recordKeys: (ctx, secret) => ({
      keys_n: `(coalesce(sum(retained_keys), 0) + coalesce(sum(${recordKeySql(ctx, secret)}) filter (where patient_retained), 0)) % ${KEY_MODULUS}`,
      keys_d: `(coalesce(sum(inclusions_keys), 0) + coalesce(sum(${recordKeySql(ctx, secret)}), 0)) % ${KEY_MODULUS}`,
    }),
    // A cell of another secret, or computed with other days (or none: an upgraded set's, until recomputed).
    inexact: (ctx, secret) =>
      `${untagged(ctx, secret, 'patient_id is null')} + count(*) filter (where patient_id is null and days is distinct from ${ctx.param(days(ctx), '::int')})`,
    value: share,
  };
}

/**
 * Who is followed at the end of each period (`month-end-cells.ts`): the month-end cells of the period's last month,
 * and the shared patients' rows (two inclusions active then) counted once beside them; a period after the horizon
 * (no month-end rows yet) is a row that sends the answer to the facts.
 */
function monthEndUnits(ctx: SqlContext): string {
  const n = atNetwork('f');
  const p = place('f');
  const month = `date_trunc('month', b.to_on)::date`;
  return `select b.key as bucket, ${ctx.columns(n)}, f.patients, f.lost, f.reviewed, f.patients_keys, f.lost_keys, f.reviewed_keys, f.key_tag, f.lost_months, f.review_months,
      null::text as patient_id, false as patient_lost, false as patient_reviewed, 0 as beyond
    from b join ${ctx.table('month_end_cells')} f on f.month = ${month} and f.patients > 0 ${ctx.joins(n)} where ${ctx.where(n)}
    union all
    select b.key, ${ctx.columns(p)}, 0, 0, 0, 0, 0, 0, null, null, null, f.patient_id, f.lost, f.reviewed, 0
    from b join ${ctx.table('month_ends')} f on f.month = ${month} and f.shared ${ctx.joins(p)} where ${ctx.where(p)}
    union all
    select b.key, ${NO_PLACE}, 0, 0, 0, 0, 0, 0, null, null, null, null, false, false, 1
    from b where ${month} > coalesce((select month from ${ctx.table('month_end_horizon')}), '-infinity'::date)`;
}

/** The share of the patients followed at the period's end who are `flag` (lost, reviewed), over the window of `months` (the setting). */
function monthEndShare(flag: 'lost' | 'reviewed', windowColumn: string, months: (ctx: SqlContext) => number): CellQuery {
  const shared = `patient_${flag}`;
  return {
    units: monthEndUnits,
    measures: () => {
      const [numerator, denominator] = [cellPatients(flag, shared), cellPatients('patients')];
      return { numerator, denominator, patients_n: numerator, patients_d: denominator };
    },
    recordKeys: (ctx, secret) => ({ keys_n: cellPatientKeys(ctx, secret, flag, shared), keys_d: cellPatientKeys(ctx, secret, 'patients') }),
    source: () => 'month_end_cells',
    covers: aboveMicrostructure,
    // A period after the horizon; a cell of another window, or (outside the team) of another secret.
    inexact: (ctx, secret) =>
      `count(*) filter (where beyond = 1) + count(*) filter (where beyond = 0 and patient_id is null and ${windowColumn} is distinct from ${ctx.param(months(ctx), '::int')})
        + ${untagged(ctx, secret, 'beyond = 0 and patient_id is null')}`,
    value: share,
  };
}

/**
 * Who was offered and who did an HCV screening in the window ending with each period (`hcv-screening-windows.ts`): the
 * cells of the period's last month, and the shared patients' rows counted once beside them; rows computed with
 * another window than the answer's (or not yet computed) send it to the facts.
 */
function hcvWindowUnits(ctx: SqlContext): string {
  const n = atNetwork('f');
  const month = `date_trunc('month', b.to_on)::date`;
  return `select b.key as bucket, ${ctx.columns(n)}, f.screened, f.done, f.screened_keys, f.done_keys, f.key_tag, null::text as patient_id, false as patient_done, 0 as beyond
    from b join ${ctx.table('hcv_screening_cells')} f on f.month = ${month} and f.screened > 0 ${ctx.joins(n)} where ${ctx.where(n)}
    union all
    select b.key, ${ctx.columns(n)}, 0, 0, 0, 0, null, f.patient_id, f.done, 0
    from b join ${ctx.table('hcv_screening_windows')} f on f.month = ${month} and f.shared ${ctx.joins(n)} where ${ctx.where(n)}
    union all
    select b.key, ${NO_PLACE}, 0, 0, 0, 0, null, null, false, 1
    from b where (select window_months from ${ctx.table('hcv_screening_window')}) is distinct from ${ctx.param(ctx.settings.outcomeWindowMonths, '::int')}`;
}

/**
 * The indicators the cells answer, by month, quarter and year, each with the same figures as its
 * `INDICATOR_QUERIES` twin (the property spec compares them on random histories): the patient-month family,
 * the heaviest at national size.
 */
export const CELL_QUERIES: Readonly<Record<string, CellQuery>> = {
  active_caseload: {
    ...patientMonthCells,
    measures: () => ({ numerator: cellPatients('patients'), patients_n: cellPatients('patients') }),
    recordKeys: (ctx, secret) => ({ keys_n: cellPatientKeys(ctx, secret, 'patients') }),
    value: count,
  },
  women_share: {
    ...patientMonthCells,
    measures: () => ({
      numerator: cellPatients('patients', undefined, FEMALE),
      denominator: cellPatients('patients', undefined, SEX_KNOWN),
      patients_n: cellPatients('patients', undefined, FEMALE),
      patients_d: cellPatients('patients', undefined, SEX_KNOWN),
    }),
    recordKeys: (ctx, secret) => ({ keys_n: cellPatientKeys(ctx, secret, 'patients', undefined, FEMALE), keys_d: cellPatientKeys(ctx, secret, 'patients', undefined, SEX_KNOWN) }),
    value: share,
  },
  active_microstructures: {
    // Above the microstructure, each network's count (a microstructure is in one network: counts add up); below it,
    // the microstructures of the cells kept per microstructure. Either is exact: a patient counted in two cells (shared,
    // spread) does not change which microstructures have patients.
    units: (ctx) => {
      if (!aboveMicrostructure(ctx)) return cellUnits(ctx, true);
      const n: Placement = { microstructureId: 'null::text', networkId: 'f.network_id' };
      return `select b.key as bucket, ${ctx.columns(n)}, f.active_microstructures
        from b join ${ctx.table('network_microstructures')} f on f.period = b.key ${ctx.joins(n)} where ${ctx.where(n)}`;
    },
    measures: (ctx) => ({ numerator: aboveMicrostructure(ctx) ? 'coalesce(sum(active_microstructures), 0)' : 'count(distinct microstructure)' }),
    recordKeys: () => ({}),
    source: (ctx) => (aboveMicrostructure(ctx) ? 'network_microstructures' : isMonthly(ctx) ? 'month_cells' : 'period_cells'),
    covers: () => true,
    inexact: () => '0',
    value: count,
  },
  involved_gps: {
    // The treating GPs' spans (`treating-gp-spans.ts`): a GP counts in a period that meets one of their spans.
    units: (ctx) => {
      const n: Placement = { microstructureId: 'null::text', networkId: 'f.network_id' };
      return `select b.key as bucket, ${ctx.columns(n)}, ${byBytes('f.treating_gp_id')} as treating_gp_id
        from b join ${ctx.table('treating_gp_spans')} f on f.from_on <= b.to_on and (f.to_on is null or f.to_on >= b.from_on) ${ctx.joins(n)} where ${ctx.where(n)}`;
    },
    measures: () => ({ numerator: 'count(distinct treating_gp_id)' }),
    recordKeys: () => ({}),
    source: () => 'treating_gp_spans',
    covers: aboveMicrostructure,
    inexact: () => '0',
    value: count,
  },
  psychologist_reach: reachOfCells(PSYCHOLOGIST),
  psychologist_sessions_per_patient: perPatientOfCells(PSYCHOLOGIST),
  social_worker_reach: reachOfCells(SOCIAL_WORKER),
  social_work_interviews_per_patient: perPatientOfCells(SOCIAL_WORKER),
  new_inclusions: countOfInclusionCells('inclusions'),
  reinclusions: countOfInclusionCells('reinclusions', 'f.reinclusions > 0'),
  screened_within_12m: shareOfInclusionCells('screened_in_window'),
  rights_opened_within_12m: shareOfInclusionCells('rights_in_window'),
  substance_use_change: changeOfInclusionCells('m6_assessed', 'm6_days_of_use_change'),
  substance_use_change_12m: changeOfInclusionCells('m12_assessed', 'm12_days_of_use_change'),
  quality_of_life_change: changeOfInclusionCells('quality_of_life_assessed', 'quality_of_life_change'),
  referrals: {
    // The caseload from the cells (the facts' heaviest part); the referrals above the microstructure from the referral
    // cells (`referral-cells.ts`), below it from the facts.
    ...patientMonthCells,
    units: (ctx) => {
      const zeros = CELL_COLUMNS.map((column) => (column === 'key_tag' || column === 'patient_id' ? `null::text as ${column}` : `0 as ${column}`)).join(', ');
      // The caseload whatever the partner types asked: its rows carry none (they give the denominator of every line).
      const caseload = `select u.*, ${REFERRED_NONE} from (${cellUnits(ctx, undefined, ['partnerTypes'])}) u`;
      return `${caseload} union all select bucket, ${DIMENSIONS}, ${zeros}, ${REFERRED.join(', ')} from (${referralsReferred(ctx)}) r`;
    },
    measures: () => ({
      numerator: 'coalesce(sum(referral), 0)',
      denominator: cellPatients('patients'),
      patients_n: REFERRED_PATIENTS,
      patients_d: cellPatients('patients'),
    }),
    recordKeys: (ctx, secret) => ({
      // The cells' key sums, and each patient read row by row once: the key recorded with the referral when made with
      // this secret, else computed here (a spread patient, a referral recorded before layout 7).
      keys_n: `(coalesce(sum(referred_keys), 0) + coalesce(sum(distinct case when referred_key_tag = ${ctx.param(cellKeyTag(secret), '::text')} then referred_key else ${recordKeySql(ctx, secret, 'referred_patient_id')} end), 0)) % ${KEY_MODULUS}`,
      keys_d: cellPatientKeys(ctx, secret, 'patients'),
    }),
    // The caseload's cells and the referral cells of another secret (the referrals read from the facts carry their own key).
    inexact: (ctx, secret) =>
      `coalesce(sum(shared_patients), 0) + ${untagged(ctx, secret, 'referral = 0 and patient_id is null')}` +
      (secret === null ? '' : ` + count(*) filter (where referred_patients > 0 and referred_key_tag is distinct from ${ctx.param(cellKeyTag(secret), '::text')})`),
    value: perPatient,
    finish: INDICATOR_QUERIES.referrals.finish,
  },
  hcv_screening_acceptance: {
    units: hcvWindowUnits,
    measures: () => {
      const [numerator, denominator] = [cellPatients('done', 'patient_done'), cellPatients('screened')];
      return { numerator, denominator, patients_n: numerator, patients_d: denominator };
    },
    recordKeys: (ctx, secret) => ({ keys_n: cellPatientKeys(ctx, secret, 'done', 'patient_done'), keys_d: cellPatientKeys(ctx, secret, 'screened') }),
    source: () => 'hcv_screening_cells',
    covers: aboveMicrostructure,
    // Rows of another window (or none yet); a cell of another secret.
    inexact: (ctx, secret) => `count(*) filter (where beyond = 1) + ${untagged(ctx, secret, 'beyond = 0 and patient_id is null')}`,
    value: share,
  },
  retention_6m: retentionOfCells(6, (ctx) => ctx.settings.retention6mDays),
  retention_12m: retentionOfCells(12, (ctx) => ctx.settings.retention12mDays),
  lost_to_follow_up: monthEndShare('lost', 'lost_months', (ctx) => ctx.settings.lostToFollowUpMonths),
  patients_reviewed_share: monthEndShare('reviewed', 'review_months', (ctx) => ctx.settings.reviewWindowMonths),
  package_payments: {
    // Above the microstructure the package cells (`package-cells.ts`: the settled patient-years that reach the
    // threshold, per network); below it the patient-years themselves (`patient_periods`), a settled patient one row
    // with the year's contacts. A spread patient is attributed, as from the facts, to the combination of their latest month.
    units: (ctx) => {
      const p = place('f');
      const above = aboveMicrostructure(ctx);
      const minContacts = ctx.param(ctx.settings.packageMinContacts, '::int');
      const rows = (spread: boolean) =>
        `select b.key as bucket, ${ctx.columns(p)}, f.patient_id, f.contacts, f.last_month
         from b join ${ctx.table('patient_periods')} f on f.period = b.key and ${spread ? '' : 'not '}f.spread ${ctx.joins(p)} where ${ctx.where(p)}`;
      const columns = `bucket, ${Object.values(DIMENSION_COLUMNS).join(', ')}`;
      const n = atNetwork('f');
      const settled = above
        ? `select b.key as bucket, ${ctx.columns(n)}, null::text as patient_id, f.packages, f.packages_keys, f.key_tag, 0 as beyond
            from b join ${ctx.table('package_cells')} f on f.period = b.key ${ctx.joins(n)} where ${ctx.where(n)}
          union all
          select b.key, ${NO_PLACE}, null, 0, 0, null, 1
            from b where (select min_contacts from ${ctx.table('package_rule')}) is distinct from ${minContacts}`
        : `select ${columns}, patient_id, 1 as packages, 0 as packages_keys, null::text as key_tag, 0 as beyond from (${rows(false)}) settled where contacts >= ${minContacts}`;
      return `${settled}
        union all
        select ${columns}, patient_id, 1, 0, null, 0 from (
          select distinct on (x.bucket, x.patient_id) x.*, sum(x.contacts) over (partition by x.bucket, x.patient_id) as year_contacts
          from (${rows(true)}) x order by x.bucket, x.patient_id, x.last_month desc, x.microstructure
        ) y where y.year_contacts >= ${minContacts}`;
    },
    measures: () => ({ numerator: 'coalesce(sum(packages), 0)', patients_n: 'coalesce(sum(packages), 0)' }),
    // The cells' key sums, and each patient's key (read from the patient-years), computed here.
    recordKeys: (ctx, secret) => ({ keys_n: `(coalesce(sum(packages_keys), 0) + coalesce(sum(${recordKeySql(ctx, secret)}), 0)) % ${KEY_MODULUS}` }),
    source: (ctx) => (aboveMicrostructure(ctx) ? 'package_cells' : 'period_cells'),
    // Calendar years (the indicator's only granularity), at every place.
    covers: (ctx) => /^\d{4}$/.test(ctx.buckets[0].key),
    // Cells of another threshold (or none yet); a cell of another secret.
    inexact: (ctx, secret) => `count(*) filter (where beyond = 1) + ${untagged(ctx, secret, 'beyond = 0 and patient_id is null')}`,
    value: INDICATOR_QUERIES.package_payments.value,
  },
  time_to_first_team_contact: {
    ...inclusionCells(),
    units: (ctx) => {
      // The delays' histogram (a row per number of days, `delayed` inclusions) summed per period and grouped
      // dimension, beside the cells (what the measures read of them only).
      // By quarter or year, not cut by sex or age band: the network's histogram of the period (layout 7), not its months'.
      const bySexOrAge = ctx.groupBy.some((dimension) => dimension === 'SEX' || dimension === 'AGE_BAND') || !!ctx.filter.sexes?.length || !!ctx.filter.ageBands?.length;
      const periods = !isMonthly(ctx) && !bySexOrAge;
      const p = periods ? { microstructureId: 'null::text', networkId: 'f.network_id' } : atNetwork('f');
      const [table, inPeriod] = periods ? ['first_contact_delay_periods', 'f.period = b.key'] : ['first_contact_delays', ctx.inPeriods('f.month')];
      const histogram = `select b.key as bucket, ${ctx.columns(p)}, f.days, f.inclusions
        from b join ${ctx.table(table)} f on ${inPeriod} ${ctx.joins(p)} where ${ctx.where(p)}`;
      return `${inclusionCellUnits(ctx, 'null::int as days, 0 as delayed', 'true', ['inclusions', 'first_team_contacts', 'inclusions_keys', 'key_tag'])}
        union all
        select bucket, ${DIMENSIONS}, 0, 0, 0, null, days, delayed from (${ctx.summed(histogram, ['days'], { delayed: 'sum(inclusions)::int' })}) h`;
    },
    measures: () => ({
      numerator: 'coalesce(sum(first_team_contacts), 0)',
      denominator: 'coalesce(sum(inclusions), 0)',
      // From the histogram's lists (`finish`): sorting a few thousand pairs here, not in a subquery per row.
      median: 'null',
      patients_d: 'coalesce(sum(inclusions), 0)',
    }),
    lists: () => ({ delay_days: `array_agg(days) filter (where delayed > 0)`, delay_counts: `array_agg(delayed) filter (where delayed > 0)` }),
    finish: (rows) =>
      rows.map(({ delay_days, delay_counts, ...row }) => ({
        ...row,
        median: histogramMedian((delay_days as unknown as number[] | null) ?? [], (delay_counts as unknown as number[] | null) ?? []),
      })),
    recordKeys: () => ({ keys_d: keySum('inclusions_keys') }),
    inexact: (ctx, secret) => untagged(ctx, secret, 'days is null'),
    value: INDICATOR_QUERIES.time_to_first_team_contact.value,
  },
  exit_reasons: {
    ...inclusionCells(),
    units: (ctx) => {
      const p = atNetwork('f', { exitReason: 'f.exit_reason' });
      const cells = `select b.key as bucket, ${ctx.columns(p)}, f.exits, f.exits_keys, f.key_tag from b join ${ctx.table('exit_cells')} f on ${ctx.inPeriods('f.month')} ${ctx.joins(p)} where ${ctx.where(p)}`;
      return ctx.summed(cells, ['key_tag'], { exits: 'sum(exits)', exits_keys: 'sum(exits_keys)' });
    },
    measures: () => ({ numerator: 'coalesce(sum(exits), 0)', patients_n: 'coalesce(sum(exits), 0)' }),
    recordKeys: () => ({ keys_n: keySum('exits_keys') }),
    value: share,
    finish: INDICATOR_QUERIES.exit_reasons.finish,
  },
};

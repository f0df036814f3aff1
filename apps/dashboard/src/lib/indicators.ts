/** The reporting service's answers (apps/reporting/schema.graphql), and how the dashboard lays them out. */
import type { IndicatorCatalogueQuery, IndicatorsQuery } from '../generated/graphql';

// Generated from the supergraph and the queries that read them (`nx run dashboard:codegen`).
export type IndicatorDefinition = IndicatorCatalogueQuery['indicatorCatalogue'][number];
export type IndicatorAnswer = IndicatorsQuery['indicators'][number];
export type IndicatorCell = IndicatorAnswer['cells'][number];
export type DimensionValue = IndicatorCell['dimensions'][number];

export const CATALOGUE_FIELDS = 'code label description numerator denominator unit unitLabel dimensions granularities published patientBased available unavailableReason';
const CELL_FIELDS = 'period periodLabel dimensions { dimension value label } numerator denominator value suppressed suppression suppressionReason';
export const ANSWER_FIELDS = `code indicator { ${CATALOGUE_FIELDS} } from to granularity groupBy cells { ${CELL_FIELDS} } totals { ${CELL_FIELDS} } eventsUpTo asOf available unavailableReason suppressionApplied`;

export const GRANULARITY: Record<string, string> = { MONTH: 'Mois', QUARTER: 'Trimestre', YEAR: 'Année' };

/** A value in the indicator's unit, in French. */
export function formatIndicatorValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  const number = (digits: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits }).format(value);
  switch (unit) {
    case 'PERCENT':
      return `${number(1)} %`;
    case 'EUROS':
      return new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(value);
    case 'DAYS':
      return `${number(1)} j`;
    case 'HOURS':
      return `${number(1)} h`;
    case 'COUNT':
      return number(0);
    default:
      return number(2);
  }
}

/** Why a cell shows no figure, in words for the reader. */
export function suppressionText(cell: Pick<IndicatorCell, 'suppression' | 'suppressionReason'>): string {
  if (cell.suppressionReason) return cell.suppressionReason;
  return cell.suppression === 'COMPLEMENTARY' ? 'masquée en complément, pour qu’aucune case masquée ne se retrouve par différence' : 'masquée : trop peu de patients';
}

export interface PivotRow {
  key: string;
  labels: string[];
  cells: Map<string, IndicatorCell>;
}

/** Rows (one per combination of the grouping's values) × columns (periods), in the answer's order. */
export function pivot(answer: Pick<IndicatorAnswer, 'cells' | 'totals' | 'groupBy'>): { periods: { code: string; label: string }[]; rows: PivotRow[]; totals: Map<string, IndicatorCell> } {
  const periods = new Map<string, string>();
  for (const cell of [...answer.totals, ...answer.cells]) if (!periods.has(cell.period)) periods.set(cell.period, cell.periodLabel);
  const rows = new Map<string, PivotRow>();
  for (const cell of answer.cells) {
    const ordered = answer.groupBy.map((dimension) => cell.dimensions.find((d) => d.dimension === dimension));
    const key = ordered.map((d) => d?.value ?? '∅').join('|');
    let row = rows.get(key);
    if (!row) {
      row = { key, labels: ordered.map((d) => d?.label ?? d?.value ?? 'Non renseigné'), cells: new Map() };
      rows.set(key, row);
    }
    row.cells.set(cell.period, cell);
  }
  const sorted = [...periods.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, label]) => ({ code, label }));
  return { periods: sorted, rows: [...rows.values()].sort((a, b) => a.labels.join(' ').localeCompare(b.labels.join(' '), 'fr')), totals: new Map(answer.totals.map((t) => [t.period, t])) };
}

/** The series of one value of a dimension (e.g. a network) over the periods, null where masked or missing. */
export function seriesOf(answer: Pick<IndicatorAnswer, 'cells'>, dimension: string, value: string, periods: string[]): (IndicatorCell | undefined)[] {
  const cells = answer.cells.filter((c) => c.dimensions.some((d) => d.dimension === dimension && d.value === value));
  return periods.map((p) => cells.find((c) => c.period === p));
}

import { IndicatorDefinition, UNIT_LABELS } from './catalogue';
import { Dimension, DIMENSION_LABELS } from './dimensions';
import { Granularity } from './periods';
import { SuppressionKind } from './suppression';

export interface DimensionValue {
  dimension: Dimension;
  value: string | null;
  label: string | null;
}

/** One cell of an answer: a period and dimension values; a suppressed cell shows no figure at all. */
export interface AnswerCell {
  period: string;
  periodLabel: string;
  dimensions: DimensionValue[];
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  suppressed: boolean;
  suppression: SuppressionKind | null;
  suppressionReason: string | null;
}

export interface IndicatorAnswer {
  indicator: IndicatorDefinition;
  from: string;
  to: string;
  granularity: Granularity;
  groupBy: Dimension[];
  cells: AnswerCell[];
  /** One per period, over the caller's whole scope and filter. */
  totals: AnswerCell[];
  /** The date of the last event taken into account (ISO instant), null before any event. */
  eventsUpTo: string | null;
  /** The day in Europe/Paris the answer was computed for (retention depends on it). */
  asOf: string;
  /** Small cells are suppressed for this caller (funders, national level). */
  suppressionApplied: boolean;
}

const EXPORT_HEADERS = ['Indicateur', 'Libellé', 'Période', 'Numérateur', 'Dénominateur', 'Valeur', 'Unité', 'Masquée', 'Motif du masquage', 'Données arrêtées au'];

function csvField(value: string): string {
  return /[";\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** French spreadsheet convention: decimal comma. */
const frenchNumber = (value: number | null) => (value === null ? '' : String(value).replace('.', ','));

/**
 * The answer as CSV for French spreadsheets: UTF-8 with a byte-order mark, semicolons, French headers,
 * decimal commas; one line per cell, then the totals (dimension columns « Total »). Suppressed cells keep
 * their line with empty figures, so that the file says a value exists but is hidden.
 */
export function answerToCsv(answer: IndicatorAnswer): string {
  const headers = [...EXPORT_HEADERS.slice(0, 3), ...answer.groupBy.map((d) => DIMENSION_LABELS[d]), ...EXPORT_HEADERS.slice(3)];
  const line = (cell: AnswerCell, total: boolean) =>
    [
      answer.indicator.code,
      answer.indicator.label,
      cell.periodLabel,
      ...answer.groupBy.map((d) => (total ? 'Total' : (cell.dimensions.find((v) => v.dimension === d)?.label ?? cell.dimensions.find((v) => v.dimension === d)?.value ?? ''))),
      frenchNumber(cell.numerator),
      frenchNumber(cell.denominator),
      frenchNumber(cell.value),
      UNIT_LABELS[answer.indicator.unit],
      cell.suppressed ? 'oui' : 'non',
      cell.suppressionReason ?? '',
      answer.eventsUpTo ?? '',
    ]
      .map((field) => csvField(String(field)))
      .join(';');
  const rows = [headers.map(csvField).join(';'), ...answer.cells.map((cell) => line(cell, false)), ...(answer.groupBy.length > 0 ? answer.totals.map((cell) => line(cell, true)) : [])];
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

/** The answer as JSON: the indicator's definition, the period, the cells and the totals, as the GraphQL answer gives them. */
export function answerToJson(answer: IndicatorAnswer): string {
  const { indicator, ...rest } = answer;
  return JSON.stringify({ indicator: { code: indicator.code, label: indicator.label, unit: indicator.unit, numerator: indicator.numerator, denominator: indicator.denominator }, ...rest }, null, 2);
}

export function exportFileName(answer: IndicatorAnswer, extension: 'csv' | 'json'): string {
  const grouping = answer.groupBy.length > 0 ? `_par_${answer.groupBy.join('_').toLowerCase()}` : '';
  return `${answer.indicator.code}_${answer.from}_${answer.to}_${answer.granularity.toLowerCase()}${grouping}.${extension}`;
}

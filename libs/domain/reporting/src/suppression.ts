/**
 * Statistical disclosure control of an indicator's answer (DOMAIN.md, confidentiality): a cell counting
 * fewer patients than the threshold is suppressed (primary), and further cells are suppressed where
 * needed so that no suppressed value can be recovered by subtraction (complementary).
 *
 * The answer's values are additive along every dimension (cells of a line add up to a total the caller
 * knows: the period total returned beside the cells, or the cell of a coarser grouping the caller can ask
 * for). A line — cells sharing the period and every dimension value but one — must therefore never hold
 * exactly one suppressed cell: the line's total minus the visible cells would give it. When a line holds
 * one, the visible cell of that line with the fewest patients is suppressed too; when the suppressed cell
 * is alone in its line, the total it equals is suppressed. This repeats until no line changes.
 *
 * Limits (documented in the README): distinct-patient counts are nearly but not always additive (a
 * patient who moved between microstructures in a period counts once in the total), and comparing answers
 * to different filters over time is not covered; the threshold keeps those differences small.
 */

export type SuppressionKind = 'SMALL_CELL' | 'COMPLEMENTARY';

export interface SuppressibleCell {
  period: string;
  /** Dimension → value (the period excluded). */
  key: Readonly<Record<string, string | null>>;
  /** Every count of patients the cell reveals (numerator and/or denominator); 0 is never suppressed. */
  patientCounts: readonly number[];
}

export interface SuppressionResult {
  /** Same order as the cells given: null when the cell is shown. */
  cells: (SuppressionKind | null)[];
  /** Per period: null when the total is shown. */
  totals: Record<string, SuppressionKind | null>;
}

export function isSmall(patientCounts: readonly number[], threshold: number): boolean {
  return patientCounts.some((count) => count > 0 && count < threshold);
}

const size = (cell: SuppressibleCell) => Math.max(0, ...cell.patientCounts);

/**
 * The groups a dimension value belongs to at coarser levels (a microstructure → its network and region;
 * a network → its region): the caller can ask for the coarser grouping, so the cells of one group add up
 * to a figure they know, and form a line too.
 */
export type Ancestors = (dimension: string, value: string | null) => readonly string[];

interface Line {
  members: number[];
  /** The line adds up to the period total returned beside the cells. */
  isWholePeriod: boolean;
}

/** Cells sharing the period and the values of every dimension but `dimension` (and, for sub-lines, an ancestor of its value). */
function linesAlong(cells: readonly SuppressibleCell[], dimensions: readonly string[], dimension: string, ancestors: Ancestors): Line[] {
  const lines = new Map<string, Line>();
  cells.forEach((cell, index) => {
    const base = [cell.period, ...dimensions.filter((d) => d !== dimension).map((d) => cell.key[d] ?? null)];
    const ids = [JSON.stringify(base), ...ancestors(dimension, cell.key[dimension] ?? null).map((ancestor) => JSON.stringify([...base, ancestor]))];
    ids.forEach((id, level) => {
      const line = lines.get(id) ?? { members: [], isWholePeriod: level === 0 && dimensions.length === 1 };
      line.members.push(index);
      lines.set(id, line);
    });
  });
  return [...lines.values()];
}

export function suppress(
  cells: readonly SuppressibleCell[],
  totals: readonly { period: string; patientCounts: readonly number[] }[],
  dimensions: readonly string[],
  threshold: number,
  ancestors: Ancestors = () => [],
): SuppressionResult {
  const marks: (SuppressionKind | null)[] = cells.map((cell) => (isSmall(cell.patientCounts, threshold) ? 'SMALL_CELL' : null));
  const totalMarks: Record<string, SuppressionKind | null> = {};
  for (const total of totals) totalMarks[total.period] = isSmall(total.patientCounts, threshold) ? 'SMALL_CELL' : null;

  // Each dimension's lines; with no dimension at all the cells are the totals themselves.
  const lines = dimensions.flatMap((dimension) => linesAlong(cells, dimensions, dimension, ancestors));
  // A cell alone in one of its lines would be given away by that line's total if it were hidden as a partner.
  const alone = new Set(lines.filter((line) => line.members.length === 1).map((line) => line.members[0]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const { members: line, isWholePeriod } of lines) {
      const hidden = line.filter((index) => marks[index] !== null);
      if (hidden.length !== 1) continue;
      const visible = line.filter((index) => marks[index] === null);
      if (visible.length > 0) {
        // The smallest non-empty partner loses least information; an empty one only if nothing else is left.
        const partner = [...visible].sort(
          (a, b) => Number(alone.has(a)) - Number(alone.has(b)) || Number(size(cells[a]) === 0) - Number(size(cells[b]) === 0) || size(cells[a]) - size(cells[b]) || a - b,
        )[0];
        marks[partner] = 'COMPLEMENTARY';
        changed = true;
      } else if (isWholePeriod) {
        const period = cells[hidden[0]].period;
        if (totalMarks[period] === null) {
          totalMarks[period] = 'COMPLEMENTARY';
          changed = true;
        }
      }
    }
    // The period total: when it is shown, the cells of the period must not leave exactly one unknown either.
    if (dimensions.length > 1) {
      for (const period of Object.keys(totalMarks)) {
        if (totalMarks[period] !== null) continue;
        const inPeriod = cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.period === period);
        const hidden = inPeriod.filter(({ index }) => marks[index] !== null);
        if (hidden.length !== 1) continue;
        const visible = inPeriod.filter(({ index }) => marks[index] === null).sort((a, b) => size(a.cell) - size(b.cell) || a.index - b.index);
        if (visible.length > 0) marks[visible[0].index] = 'COMPLEMENTARY';
        else totalMarks[period] = 'COMPLEMENTARY';
        changed = true;
      }
    }
  }
  return { cells: marks, totals: totalMarks };
}

export const SUPPRESSION_REASONS: Readonly<Record<SuppressionKind, (threshold: number) => string>> = {
  SMALL_CELL: (threshold) => `Masquée : moins de ${threshold} patients.`,
  COMPLEMENTARY: () => 'Masquée pour qu’aucune case masquée ne puisse être retrouvée par différence avec les totaux ou les autres lignes.',
};

/**
 * Statistical disclosure control of an indicator's answer (docs/domain.md, confidentiality): a cell counting
 * fewer patients than the threshold is suppressed (primary), and further cells are suppressed where
 * needed so that no suppressed value can be recovered by subtraction (complementary).
 *
 * The answer's values are additive along every dimension (cells of a line add up to a figure the caller
 * knows: the period total returned beside the cells, the cell of a coarser grouping — a network for its
 * microstructures, a region for its networks — or of a coarser period — a quarter for its months — that
 * the caller can ask for). A line must therefore never hold exactly one suppressed item: its figure minus
 * the visible items would give it. When a line holds one, its visible cell with the fewest patients is
 * suppressed too (a total only when no cell is left). This repeats until no line changes.
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

/** Items (cells, then totals) whose figures add up to a figure the caller knows or can ask for. */
interface Line {
  members: number[];
}

function group(count: number, keysOf: (index: number) => readonly string[], into: Line[]): void {
  const lines = new Map<string, Line>();
  for (let index = 0; index < count; index++) {
    for (const id of keysOf(index)) {
      const line = lines.get(id) ?? { members: [] };
      line.members.push(index);
      lines.set(id, line);
    }
  }
  into.push(...lines.values());
}

/** The coarser periods a period adds up to (a month to its quarter and year): the caller can ask for them. */
export type CoarserPeriods = (period: string) => readonly string[];

export function suppress(
  cells: readonly SuppressibleCell[],
  totals: readonly { period: string; patientCounts: readonly number[] }[],
  dimensions: readonly string[],
  threshold: number,
  ancestors: Ancestors = () => [],
  coarserPeriods: CoarserPeriods = () => [],
): SuppressionResult {
  // One list: the cells, then the period totals (key "*" on every dimension).
  const totalIndex = new Map(totals.map((total, i) => [total.period, cells.length + i]));
  const items: SuppressibleCell[] = [...cells, ...totals.map((total) => ({ period: total.period, key: Object.fromEntries(dimensions.map((d) => [d, '*'])), patientCounts: total.patientCounts }))];
  const isTotal = (index: number) => index >= cells.length;
  const marks: (SuppressionKind | null)[] = items.map((item) => (isSmall(item.patientCounts, threshold) ? 'SMALL_CELL' : null));

  const lines: Line[] = [];
  for (const dimension of dimensions) {
    const others = dimensions.filter((d) => d !== dimension);
    group(cells.length, (index) => {
      const cell = cells[index];
      const base = [cell.period, ...others.map((d) => cell.key[d] ?? null)];
      // With one dimension the base line adds up to the period total, which is in the answer: it is a member.
      return dimensions.length === 1 ? [] : [JSON.stringify(base), ...ancestors(dimension, cell.key[dimension] ?? null).map((a) => JSON.stringify([...base, a]))];
    }, lines);
    if (dimensions.length === 1) {
      group(cells.length, (index) => ancestors(dimension, cells[index].key[dimension] ?? null).map((a) => JSON.stringify([cells[index].period, a])), lines);
    }
  }
  // Every cell of a period adds up to the period's total.
  if (dimensions.length > 0) {
    const byPeriod = new Map<string, number[]>();
    cells.forEach((cell, index) => byPeriod.set(cell.period, [...(byPeriod.get(cell.period) ?? []), index]));
    for (const [period, members] of byPeriod) lines.push({ members: [...members, ...(totalIndex.has(period) ? [totalIndex.get(period)!] : [])] });
  }
  // A period's figures add up (nearly, for distinct patients) to those of the coarser periods it belongs to.
  group(items.length, (index) => coarserPeriods(items[index].period).map((coarser) => JSON.stringify([coarser, ...dimensions.map((d) => items[index].key[d] ?? null)])), lines);

  // An item alone in one of its lines would be given away by that line's figure if it were hidden as a partner.
  const alone = new Set(lines.filter((line) => line.members.length === 1).map((line) => line.members[0]));
  const rank = (a: number, b: number) =>
    Number(isTotal(a)) - Number(isTotal(b)) ||
    Number(alone.has(a)) - Number(alone.has(b)) ||
    Number(size(items[a]) === 0) - Number(size(items[b]) === 0) ||
    size(items[a]) - size(items[b]) ||
    a - b;
  for (let changed = true; changed; ) {
    changed = false;
    for (const { members } of lines) {
      const hidden = members.filter((index) => marks[index] !== null);
      if (hidden.length !== 1) continue;
      const visible = members.filter((index) => marks[index] === null);
      if (visible.length === 0) continue;
      marks[[...visible].sort(rank)[0]] = 'COMPLEMENTARY';
      changed = true;
    }
  }
  return { cells: marks.slice(0, cells.length), totals: Object.fromEntries(totals.map((total) => [total.period, marks[totalIndex.get(total.period)!]])) };
}

export const SUPPRESSION_REASONS: Readonly<Record<SuppressionKind, (threshold: number) => string>> = {
  SMALL_CELL: (threshold) => `Masquée : moins de ${threshold} patients.`,
  COMPLEMENTARY: () => 'Masquée pour qu’aucune case masquée ne puisse être retrouvée par différence avec les totaux ou les autres lignes.',
};

/**
 * Cell key method (ABS TableBuilder; Eurostat / SDC tools "cellKey"; Thompson, Broadfoot & Elazar 2013,
 * "Methodology for the automatic confidentialisation of statistical outputs from remote servers at the
 * Australian Bureau of Statistics"): every record (patient, inclusion) carries a record key, a fixed
 * pseudo-random number in [0, 1) derived from its pseudonymous id and a secret; the cell key of a cell is
 * the sum of its records' keys modulo 1; the published count is the true count plus a perturbation looked
 * up in a fixed table from (count, cell key). The same population therefore gets the same published figure
 * in every answer, however it was asked for (grouping, filter, export), so that asking again or asking
 * differently averages nothing out; and the differences between tables carry no exact information.
 *
 * Record keys are 32-bit integers here (`recordKey` in SQL: the first 8 hex digits of md5(secret ‖ id)); a
 * cell key is (sum of record keys) mod 2^32 / 2^32. Pure: no I/O, no randomness at run time.
 */

export interface CellKeyParameters {
  /** Counts below it (zero included) are not published (SMALL_CELL). */
  threshold: number;
  /** Largest perturbation, either way: the table below spreads p over [−D, D]. */
  maxPerturbation: number;
}

const KEY_MODULUS = 2 ** 32;

/** (sum of record keys) mod 2^32, as a fraction of 1. The sum may come from SQL as a float exact to 2^53 or a string. */
export function cellKeyOf(keySum: number | string | bigint): number {
  const sum = typeof keySum === 'bigint' ? keySum : BigInt(typeof keySum === 'number' ? Math.round(keySum) : keySum.split('.')[0]);
  return Number(((sum % BigInt(KEY_MODULUS)) + BigInt(KEY_MODULUS)) % BigInt(KEY_MODULUS)) / KEY_MODULUS;
}

/**
 * The perturbation table for a largest perturbation D: p ∈ {−D … D} with probability ∝ D + 1 − |p|
 * (a discrete triangular law: unbiased, variance D(D+2)/6, the mass on the extremes smallest). One row
 * serves every count: counts that the perturbation would take to 0 or below are not published anyway
 * (see `publishCount`), so no row needs to be bent to keep counts positive and the law stays unbiased.
 * Returned as cumulative upper bounds of the cell-key intervals, from p = −D upwards.
 */
export function perturbationTable(maxPerturbation: number): { perturbation: number; upTo: number }[] {
  const weights = Array.from({ length: 2 * maxPerturbation + 1 }, (_, i) => maxPerturbation + 1 - Math.abs(i - maxPerturbation));
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulated = 0;
  return weights.map((weight, i) => {
    cumulated += weight;
    return { perturbation: i - maxPerturbation, upTo: cumulated / total };
  });
}

const tables = new Map<number, { perturbation: number; upTo: number }[]>();

/**
 * The perturbation of a count with a cell key. The table row is shifted by the count (the interval of the
 * cell key that gives p depends on count mod (2D + 1)), so that two cells with the same key but different
 * counts — a cell and itself after one more record — are not moved in lock-step.
 */
export function perturbationOf(count: number, cellKey: number, maxPerturbation: number): number {
  if (count === 0 || maxPerturbation === 0) return 0;
  const table = tables.get(maxPerturbation) ?? perturbationTable(maxPerturbation);
  tables.set(maxPerturbation, table);
  const shifted = (cellKey + (count % table.length) / table.length) % 1;
  return (table.find((row) => shifted < row.upTo) ?? table[table.length - 1]).perturbation;
}

export type PublishedCount = { shown: true; value: number } | { shown: false };

/**
 * A count as published outside the team: a count from 0 to threshold − 1 is not published (SMALL_CELL:
 * « moins de 5 patients »); a larger count is published as count + p, never below the threshold (a
 * published 3 for a true 5 would tell that the truth is exactly 5, since shown counts are at least the
 * threshold). Zero is hidden like a small count, and answers give every cell of their grid (every value of
 * each dimension in the caller's scope, `IndicatorService`), so that neither a hidden cell nor a missing
 * row tells that someone is there: a hidden cell tells 0 ≤ count ≤ threshold − 1, a shown value v tells
 * max(threshold, v − D) ≤ count ≤ v + D.
 */
export function publishCount(count: number, keySum: number | string | bigint, parameters: CellKeyParameters): PublishedCount {
  // A threshold of 1 protects nothing (a hidden cell would mean exactly 0): zero is then shown as it is.
  if (parameters.threshold <= 1 && count <= 0) return { shown: true, value: 0 };
  if (count < parameters.threshold) return { shown: false };
  return { shown: true, value: Math.max(parameters.threshold, count + perturbationOf(count, cellKeyOf(keySum), parameters.maxPerturbation)) };
}

/** The patients (or inclusions) behind a figure: their number and the sum of their record keys. */
export interface CountedRecords {
  count: number;
  keySum: number | string | bigint;
}

export interface CellFigures {
  numerator: number;
  denominator: number | null;
  /** The records the numerator counts or is about (absent: not about patients, e.g. meetings, hours). */
  numeratorRecords?: CountedRecords | null;
  denominatorRecords?: CountedRecords | null;
}

export type PublishedFigures = { shown: true; numerator: number; denominator: number | null } | { shown: false };

/**
 * A cell's numerator and denominator as published: each count of records perturbed as its own cell (a
 * total is a cell of its own, never the sum of published parts). A figure that is not the count of its
 * records but a magnitude about them (sessions or referrals of the patients, days of use, score points)
 * is scaled by its records' perturbation (magnitude × published count ÷ true count): the mean it gives is
 * the true mean, rounded, and the exact magnitude — additive, hence recoverable by subtraction — is never
 * published. The cell is hidden when any count of records it reveals is hidden.
 */
export function publishFigures(figures: CellFigures, parameters: CellKeyParameters): PublishedFigures {
  type Published = { count: number; value: number } | null;
  const published: Published[] = [];
  for (const r of [figures.numeratorRecords, figures.denominatorRecords]) {
    const count = r ? publishCount(r.count, r.keySum, parameters) : null;
    if (count && !count.shown) return { shown: false };
    published.push(r && count && count.shown ? { count: r.count, value: count.value } : null);
  }
  const records = published;
  const publish = (figure: number, own: Published, fallback: Published) => {
    const base = own ?? fallback;
    if (!base) return figure;
    if (own && own.count === figure) return own.value;
    return base.count === 0 ? figure : Math.round((figure * base.value) / base.count);
  };
  return {
    shown: true,
    numerator: publish(figures.numerator, records[0], records[1]),
    denominator: figures.denominator === null ? null : publish(figures.denominator, records[1], null),
  };
}

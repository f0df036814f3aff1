import { CELL_KEY_SECRET_SQL } from './cell-keys';

/** How live batches write a fact set's tables: which summary rows go, how cells move by difference, and room in the pages for updates. */

/**
 * The condition on a row `alias` of a summary table that its key (`columns`) is not among the recomputed rows `fresh`
 * selects (a CTE): such a row is stale, and goes. Written as `not in`, which PostgreSQL checks against a hash of the
 * recomputed rows, as a filter on the rows the statement already reads by index. As `not exists (…)` the planner
 * misjudged the CTE's size and joined it row by row to the table: 0.8 s of a live batch of 10,000 events for the
 * first-contact delays, 0.3 s for the exit cells, at 500,000 events. The key columns are never null (primary keys).
 */
export const notAmong = (alias: string, columns: readonly string[], fresh: string): string =>
  `(${columns.map((column) => `${alias}.${column}`).join(', ')}) not in (select ${columns.join(', ')} from ${fresh})`;

/**
 * The fill factor of the tables a live batch updates most (the inclusions' last contacts, the patient-months'
 * contacts, the patient-periods, the month and period cells, the month-end rows' flags): room left in each page so
 * that an update that changes no indexed column writes its new version beside the old one and no index entry (a HOT
 * update), where full pages made every update a new entry in each of the table's indexes.
 */
export const UPDATED_FILLFACTOR = 80;

/**
 * What rows with `sign` (1 counted now, -1 no longer counted as they were) add to a cell's figures, in the order of the
 * month cells' (`shared`) or of the period cells' (no shared patients), the tag apart: over their sessions and record
 * `key` (null without a secret).
 */
export function cellDifferenceSums({ shared }: { shared: boolean }): string[] {
  return [
    ['sign'],
    ['sign', 'psychologist_sessions > 0'],
    ['sign * psychologist_sessions'],
    ['sign', 'social_work_interviews > 0'],
    ['sign * social_work_interviews'],
    ...(shared ? [['sign', 'shared']] : []),
    ['sign * key'],
    ['sign * key', 'psychologist_sessions > 0'],
    ['sign * key', 'social_work_interviews > 0'],
  ].map(([figure, when]) => {
    const sum = `coalesce(sum(${figure})${when ? ` filter (where ${when})` : ''}, 0)`;
    // Without a secret, no key sums (the cell is untagged).
    return figure.includes('key') ? `case when ${CELL_KEY_SECRET_SQL} is not null then ${sum} end` : sum;
  });
}

/**
 * The `do update` of a cell `alias` moved by difference: each of its `figures` (the tag apart) plus the rows' (a key
 * sum written by an earlier version may be null: it starts from 0), the tag kept only when the rows' is the same
 * (otherwise its sums are no longer those of one secret: answers that publish with keys read the facts for it until
 * a rebuild). A cell the rows do not change is not written.
 */
export function movedByDifference(alias: string, figures: readonly string[]): string {
  return `${figures.map((f) => (f.endsWith('_keys') ? `${f} = coalesce(${alias}.${f}, 0) + excluded.${f}` : `${f} = ${alias}.${f} + excluded.${f}`)).join(', ')},
      key_tag = case when ${alias}.key_tag = excluded.key_tag then ${alias}.key_tag end
    where (${figures.map((f) => `excluded.${f}`).join(', ')}) is distinct from (${figures.map(() => '0').join(', ')})
      or (${alias}.key_tag is not null and ${alias}.key_tag is distinct from excluded.key_tag)`;
}

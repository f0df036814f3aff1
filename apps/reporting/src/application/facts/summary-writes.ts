/** How live batches write a fact set's tables: which summary rows go, and room in the pages for updates. */

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

import { recordKeyExpression } from '@cnrms/disclosure';
import { Queryable } from './apply-event';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { intSettingSql, RecordedSetting, sameRecordedSetting, settleRecordedSetting } from './writing-settings';

/**
 * Package cells (fact-set layout 6): the packages due per calendar year, network, sex and age band — what
 * `package_payments` counts above the microstructure. A patient's package is due for a year when their contacts of
 * the year reach `REPORTING_PACKAGE_MIN_CONTACTS`.
 *
 * A cell counts the settled patient-years (`period-cells.ts`: all of the patient's months of the year in one
 * combination) that reach the threshold, with their record-key sum; the spread ones (a few percent) are attributed
 * at answer time, as from the facts, to the combination of their latest month. The cells follow the patient-years
 * by difference, in the statement that rewrites those (`refreshPeriodCellsSql`): a year row now counted adds one, its
 * former version counted removes one.
 *
 * The threshold is a setting, given to the writing transaction as the key secret is (`prepareFactWrites`);
 * `package_rule` records the one every cell was computed with, null until they are all computed. A transaction with
 * another threshold computes them all again, once (a setting changed, a migrated set); one without leaves them and
 * clears it. Meanwhile answers read the patient-years.
 */

export const PACKAGE_MIN_CONTACTS_SETTING = 'cnrms.package_min_contacts';
const MIN_CONTACTS = intSettingSql(PACKAGE_MIN_CONTACTS_SETTING);
const CELL = ['period', 'network_id', 'sex', 'age_band'];
const IS_YEAR = (period: string) => `${period} ~ '^[0-9]{4}$'`;

export function packageCellsDdl(s: string): string {
  return `
    create table ${s}.package_cells (
      period text not null, network_id text not null, sex text not null, age_band text not null,
      packages integer not null, packages_keys bigint, key_tag text,
      primary key (period, network_id, sex, age_band)
    );
    create index package_cells_empty on ${s}.package_cells (period) where packages = 0;
    create table ${s}.package_rule (single boolean primary key default true check (single), min_contacts integer);
    insert into ${s}.package_rule (min_contacts) values (null)`;
}

/**
 * The upsert of the cells' difference for patient-year rows (`rows`: `period`, `network_id`, `sex`, `age_band`,
 * `patient_id`, `contacts`, `sign`: 1 a settled row now, -1 its former version): the years' rows reaching the
 * threshold, when the cells were computed with it. A data-modifying CTE's body (`refreshPeriodCellsSql`).
 */
export function packageCellsBy(s: string, rows: string): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'x.patient_id');
  return `insert into ${s}.package_cells as c (${CELL.join(', ')}, packages, packages_keys, key_tag)
    select ${CELL.map((column) => `x.${column}`).join(', ')}, sum(x.sign), sum(x.sign * ${key}), ${CELL_KEY_TAG_SQL}
    from ${rows} x where ${IS_YEAR('x.period')} and x.contacts >= ${MIN_CONTACTS} and ${sameRecordedSetting(s, PACKAGE_RULE)}
    group by ${CELL.map((column) => `x.${column}`).join(', ')} having sum(x.sign) <> 0 or sum(x.sign * ${key}) <> 0
    on conflict (${CELL.join(', ')}) do update set packages = c.packages + excluded.packages, packages_keys = c.packages_keys + excluded.packages_keys,
      key_tag = case when c.key_tag = excluded.key_tag then c.key_tag end`;
}

/** Every package cell of a fact set, from its settled patient-years, with the writing transaction's threshold (none without one). */
export const allPackageCellsSql = (s: string): string[] => [
  `truncate ${s}.package_cells`,
  `insert into ${s}.package_cells (${CELL.join(', ')}, packages, packages_keys, key_tag)
     select ${CELL.join(', ')}, count(*), sum(${recordKeyExpression(CELL_KEY_SECRET_SQL, 'patient_id')}), ${CELL_KEY_TAG_SQL}
     from ${s}.patient_periods where not spread and ${IS_YEAR('period')} and contacts >= ${MIN_CONTACTS}
     group by ${CELL.join(', ')}`,
  `update ${s}.package_rule set min_contacts = ${MIN_CONTACTS}`,
];

/** The threshold every cell was computed with. */
export const PACKAGE_RULE: RecordedSetting = { table: 'package_rule', column: 'min_contacts', setting: MIN_CONTACTS, recomputeAll: allPackageCellsSql };

/**
 * After a transaction's patient-years: cells every package left go; cells computed with another threshold than the
 * transaction's are all computed again (once), or, without one, marked as computed with none.
 */
export async function settlePackageCells(db: Queryable, s: string): Promise<void> {
  if (await settleRecordedSetting(db, s, PACKAGE_RULE)) await db.query(`delete from ${s}.package_cells where packages = 0`);
}

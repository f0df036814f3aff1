import type { Queryable } from './apply-event';

/** A setting a writing transaction is given (`prepareFactWrites`), as SQL text: null when it has none. */
export const settingSql = (name: string): string => `nullif(current_setting('${name}', true), '')`;

/** The same, as an integer (a window, a number of days, a threshold). */
export const intSettingSql = (name: string): string => `${settingSql(name)}::int`;

/**
 * Summaries computed for a whole set under one setting (`setting`, SQL), which a one-row table records
 * (`table`.`column`): null until they are all computed.
 */
export interface RecordedSetting {
  table: string;
  column: string;
  setting: string;
  /** Computes every summary again with the transaction's setting, and records it. */
  recomputeAll: (s: string) => string[];
}

/** Whether the summaries were computed with the writing transaction's setting (SQL: null when either is). */
export const sameRecordedSetting = (s: string, recorded: RecordedSetting): string => `(select ${recorded.column} from ${s}.${recorded.table}) = ${recorded.setting}`;

/**
 * Before the summaries are kept up to date by difference: whether they were computed with the transaction's setting
 * (then the caller goes on). Otherwise they are all computed again, once, with the transaction's setting, or, when
 * the transaction has none, left and marked as computed with none (answers read the facts meanwhile).
 */
export async function settleRecordedSetting(db: Queryable, s: string, recorded: RecordedSetting): Promise<boolean> {
  const [state] = (await db.query(`select ${sameRecordedSetting(s, recorded)} as same, ${recorded.setting} is not null as given`)).rows as { same: boolean | null; given: boolean }[];
  if (state.same) return true;
  if (state.given) for (const sql of recorded.recomputeAll(s)) await db.query(sql);
  else await db.query(`update ${s}.${recorded.table} set ${recorded.column} = null where ${recorded.column} is not null`);
  return false;
}

import { recordKeyExpression } from '@cnrms/disclosure';
import { SqlContext } from './sql-context';

/**
 * The record keys of the cell key method (docs/disclosure-control.md), in SQL: a patient's (or an
 * inclusion's, counted per row) key is the first 32 bits of md5(secret ‖ pseudonymous patient id), an
 * integer in [0, 2^32). The secret is a bound parameter; keys never leave the query — only their sum
 * modulo 2^32 per cell does, which is all the cell key needs (and which is additive, so an aggregate can
 * keep it beside its counts).
 */
export const recordKeySql = (ctx: SqlContext, secret: string, column = 'patient_id') => recordKeyExpression(ctx.param(secret, '::text'), column);

/** Key sums are kept modulo 2^32. */
export const KEY_MODULUS = '4294967296';

/**
 * For every patient count a query's measures reveal (`patients_n`, `patients_d`), the sum of the record
 * keys of the same records (`keys_n`, `keys_d`), mod 2^32: `count(distinct patient_id) [filter …]`
 * becomes `sum(distinct key) [filter …]`, `count(*) [filter …]` (one row per inclusion) `sum(key) [filter …]`.
 * Any other shape is a programming error: a new count must say which records it counts.
 */
export function withRecordKeys(measures: Record<string, string>, ctx: SqlContext, secret: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [name, expression] of Object.entries(measures)) {
    if (!name.startsWith('patients_')) continue;
    const distinct = /^count\(distinct patient_id\)(.*)$/.exec(expression);
    const rows = /^count\(\*\)(.*)$/.exec(expression);
    const match = distinct ?? rows;
    if (!match) throw new Error(`Record keys: unsupported patient count « ${expression} »`);
    const sum = `sum(${distinct ? 'distinct ' : ''}${recordKeySql(ctx, secret)})${match[1]}`;
    keys[`keys_${name.slice('patients_'.length)}`] = `coalesce(${sum}, 0) % ${KEY_MODULUS}`;
  }
  return { ...measures, ...keys };
}

/**
 * The measures of an answer that publishes without suppression: the patient counts (`patients_*`) are read by
 * suppression only, and some cost a distinct count of their own (the referred patients).
 */
export function withoutPatientCounts(measures: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(measures).filter(([name]) => !name.startsWith('patients_')));
}

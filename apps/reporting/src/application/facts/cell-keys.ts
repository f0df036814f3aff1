import { recordKeyExpression } from '@cnrms/disclosure';
import { createHash } from 'node:crypto';
import { settingSql } from './writing-settings';

/**
 * The record keys of the cells (the cell key method, docs/disclosure-control.md): each cell keeps the sum of its
 * patients' record keys, derived from the secret the writing transaction was given (`prepareFactWrites`), and a tag
 * of that secret; an answer uses the key sums only when every cell it reads carries the tag of the secret it
 * publishes with.
 */

/** The session setting the refresh reads the secret from (transaction-local, never stored: `prepareFactWrites`). */
export const CELL_KEY_SECRET_SETTING = 'cnrms.cell_key_secret';

/** The tag of a secret: 16 hex digits of its SHA-256 (the same in SQL, `CELL_KEY_TAG_SQL`). */
export const cellKeyTag = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);

export const CELL_KEY_SECRET_SQL = settingSql(CELL_KEY_SECRET_SETTING);
export const CELL_KEY_TAG_SQL = `substr(encode(sha256(convert_to(${CELL_KEY_SECRET_SQL}, 'UTF8')), 'hex'), 1, 16)`;
/** A fact's patient key and its tag (`patient_key`, `key_tag`: the referrals, layout 7), from the writing transaction's secret (null without one). */
export const patientKeyAndTagSql = (patientId: string): string => `${recordKeyExpression(CELL_KEY_SECRET_SQL, patientId)}, ${CELL_KEY_TAG_SQL}`;

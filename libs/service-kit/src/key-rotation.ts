import { MasterKey, MasterKeyring, StoredKey } from '@cnrms/crypto';
import { Pool } from 'pg';

export interface KeyRotationOptions {
  pool: Pool;
  /** The service's key table (`<schema>.patient_keys`: patient_id, wrapped_key, master_key_id). A constant of the code. */
  table: string;
  /** The new master key (current) and the old ones whose keys are re-wrapped (previous). */
  ring: MasterKeyring;
  /** The service's own cipher (its key binding): unwrap with `from`, wrap with `to`. */
  rewrap(stored: StoredKey, from: MasterKey, to: MasterKey, patientId: string): StoredKey | Promise<StoredKey>;
  /** Keys per transaction (default 200): the service keeps running meanwhile. */
  batchSize?: number;
  onProgress?(rewrapped: number): void;
}

export interface KeyRotationResult {
  /** Keys moved from a previous master key to the current one by this run. */
  rewrapped: number;
  /** Live keys under the current master key once done (including those sealed meanwhile). */
  current: number;
  /** Live keys still under another master key, by its id: the old key may be destroyed only when this is empty. */
  remaining: Record<string, number>;
}

/**
 * Re-wraps every live patient key wrapped by a previous master key under the current one, while the
 * service runs: in small batches, each row updated only if it is still the one read (a key destroyed
 * or re-wrapped meanwhile is left alone). The data keys do not change, so nothing encrypted with them
 * is touched and every text stays readable. Idempotent: run it again until `remaining` is empty.
 */
export async function rotateMasterKey(options: KeyRotationOptions): Promise<KeyRotationResult> {
  const { pool, table, ring } = options;
  if (!/^[a-z_]+\.[a-z_]+$/.test(table)) throw new Error(`Table de clés inattendue : ${table}`);
  const previousIds = ring.previous.map((key) => key.id);
  let rewrapped = 0;
  let after = '';
  for (;;) {
    const { rows } = await pool.query<{ patient_id: string; wrapped_key: Buffer; master_key_id: string }>(
      `select patient_id, wrapped_key, master_key_id from ${table}
        where wrapped_key is not null and master_key_id = any($1::text[]) and patient_id > $2 order by patient_id limit $3`,
      [previousIds, after, options.batchSize ?? 200],
    );
    if (rows.length === 0) break;
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const row of rows) {
        const from = ring.previous.find((key) => key.id === row.master_key_id)!;
        const next = await options.rewrap({ wrappedKey: row.wrapped_key, masterKeyId: row.master_key_id }, from, ring.current, row.patient_id);
        const updated = await client.query(`update ${table} set wrapped_key = $2, master_key_id = $3 where patient_id = $1 and master_key_id = $4 and wrapped_key = $5`, [
          row.patient_id,
          next.wrappedKey,
          next.masterKeyId,
          row.master_key_id,
          row.wrapped_key,
        ]);
        rewrapped += updated.rowCount ?? 0;
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    after = rows[rows.length - 1].patient_id;
    options.onProgress?.(rewrapped);
  }
  const { rows: counts } = await pool.query<{ master_key_id: string; n: number }>(`select master_key_id, count(*)::int as n from ${table} where wrapped_key is not null group by master_key_id`);
  const remaining = Object.fromEntries(counts.filter((row) => row.master_key_id !== ring.current.id).map((row) => [row.master_key_id, row.n]));
  return { rewrapped, current: counts.find((row) => row.master_key_id === ring.current.id)?.n ?? 0, remaining };
}

/**
 * The master key rotation command of a service (its `rotate-master-key.cli.ts`): re-wraps, prints what
 * it did, and exits with 0 when no key is left under an old master key (the old key may then be
 * destroyed), 1 otherwise. Needs the same key variables as the service: the new key as current, the old
 * ones in `<SERVICE>_PREVIOUS_MASTER_KEYS`.
 */
export async function runKeyRotationCommand(options: Omit<KeyRotationOptions, 'pool'> & { service: string; databaseUrl: string }): Promise<void> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (options.ring.previous.length === 0) out(`${options.service} : aucune ancienne clé maîtresse donnée (${options.service.toUpperCase()}_PREVIOUS_MASTER_KEYS) ; rien à re-chiffrer.`);
    const started = Date.now();
    const result = await rotateMasterKey({ ...options, pool, onProgress: (n) => out(`${options.service} : ${n} clé(s) re-chiffrée(s)…`) });
    out(`${options.service} : ${result.rewrapped} clé(s) de patient re-chiffrée(s) sous la clé maîtresse « ${options.ring.current.id} » en ${((Date.now() - started) / 1000).toFixed(1)} s ; ${result.current} clé(s) sous cette clé.`);
    const left = Object.entries(result.remaining);
    if (left.length === 0) {
      out(`${options.service} : plus aucune clé sous une ancienne clé maîtresse : retirez ${options.service.toUpperCase()}_PREVIOUS_MASTER_KEYS, redémarrez, puis détruisez l’ancienne clé.`);
    } else {
      out(`${options.service} : encore des clés sous d’autres clés maîtresses : ${left.map(([id, n]) => `« ${id} » : ${n}`).join(', ')} (donnez-les dans ${options.service.toUpperCase()}_PREVIOUS_MASTER_KEYS et relancez). Ne détruisez pas ces clés.`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
  }
}

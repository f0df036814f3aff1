import { MasterKey, MasterKeyring, masterKeyFor, StoredKey } from '@cnrms/crypto';
import { deleteStreams, exportStreams, importStreams, requestProjectionRebuilds, streamCategory } from '@cnrms/eventsourcing';
import { Pool, PoolClient } from 'pg';

/**
 * One service's part of moving a network from the national deployment to its own (docs/deployments.md,
 * "Moving a network"). `copy` writes the network's streams, key rows and audit rows into the region's
 * database (resumable; the national side is only read); `release` then removes them from the national
 * database in one transaction, once the region holds all of them, and asks the national projections to be
 * rebuilt at their next start. Each service runs its own step with its own cipher (`<service>/move-network.cli.ts`).
 */
export interface NetworkMoveStep {
  service: string;
  /** The service's schema (its event store, key table and read models live there, in both databases). */
  schema: string;
  /** Categories never moved: the network's own record stays national (directory's `network`). */
  keptCategories?: readonly string[];
  /**
   * Streams that follow the network without naming it (the directory's professionals and their RPPS/ADELI
   * claims): `move` leaves the national store, `copy` is written to the region and kept nationally (a
   * professional who is also a member of a nationally hosted team).
   */
  relatedStreams?(national: Queryable, networkStreams: readonly string[]): Promise<{ move: string[]; copy: string[] }>;
  /** The service's patient keys: re-wrapped from the national master keys to the region's. */
  keys?: {
    table: string;
    /** The patients of the network whose keys this service holds. */
    patientIds(national: Queryable, networkId: string, networkStreams: readonly string[]): Promise<string[]>;
    rewrap(stored: StoredKey, from: MasterKey, to: MasterKey, patientId: string): StoredKey | Promise<StoredKey>;
  };
  /** Rows outside the event store that belong to the network and move with it (an audit trail): `where` takes $1 = network id. */
  movedRows?: readonly { table: string; where: string }[];
  /** The service's copies of other services' records about the network, removed nationally: `where` takes $1 = network id. */
  removedCopies?: readonly { table: string; where: string }[];
}

export interface NetworkMoveKeys {
  /** The national master keys (current and previous: a key may still be wrapped by an older one). */
  national: MasterKeyring;
  /** The region's current master key. */
  region: MasterKey;
}

export interface NetworkMoveReport {
  service: string;
  streams: number;
  events: number;
  /** Events written to the region by this run (0 when it was already done). */
  imported: number;
  keys: number;
  rows: number;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** A service's settings as its master keys go: the national ring from the service's usual variables, the region's current key. */
interface MasterKeySettings {
  masterKey: Buffer;
  masterKeyId: string;
  previousMasterKeys: MasterKey[];
}

export function networkMoveKeys(national: MasterKeySettings, region: MasterKeySettings): NetworkMoveKeys {
  return { national: { current: { id: national.masterKeyId, key: national.masterKey }, previous: national.previousMasterKeys }, region: { id: region.masterKeyId, key: region.masterKey } };
}

/** Refused before anything is written: the message says what to do. */
export class NetworkMoveRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'NetworkMoveRefused';
  }
}

/** Runs `work` in one transaction of a client of `pool`: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const identifier = (table: string) => {
  if (!/^[a-z_]+\.[a-z_]+$/.test(table)) throw new Error(`Table inattendue : ${table}`);
  return table;
};

/** The network's streams in this service: those whose first event names it (an aggregate belongs where it was created). */
export async function networkStreams(db: Queryable, step: NetworkMoveStep, networkId: string): Promise<string[]> {
  const { rows } = await db.query<{ stream_id: string }>(
    `select stream_id from ${identifier(`${step.schema}.events`)}
      where stream_version = 1 and metadata->>'networkId' = $1 and stream_category <> all($2::text[]) order by stream_id`,
    [networkId, step.keptCategories ?? []],
  );
  return rows.map((row) => row.stream_id);
}

async function plan(db: Queryable, step: NetworkMoveStep, networkId: string) {
  const own = await networkStreams(db, step, networkId);
  const related = (await step.relatedStreams?.(db, own)) ?? { move: [], copy: [] };
  const patientIds = (await step.keys?.patientIds(db, networkId, own)) ?? [];
  return { moved: [...own, ...related.move], copied: related.copy, patientIds };
}

/** Writes the network's part of this service into the region's database; the national database is only read. */
export async function copyNetworkToRegion(step: NetworkMoveStep, networkId: string, national: Pool, region: Pool, keys?: NetworkMoveKeys): Promise<NetworkMoveReport> {
  const { moved, copied, patientIds } = await plan(national, step, networkId);
  const events = await exportStreams(national, step.schema, [...moved, ...copied]);
  const imported = await importStreams(region, step.schema, events);
  let keyCount = 0;
  if (step.keys) {
    if (!keys) throw new NetworkMoveRefused('MASTER_KEYS_MISSING', `${step.service} : les clés maîtresses nationale et régionale sont nécessaires pour re-chiffrer les clés des patients.`);
    const table = identifier(step.keys.table);
    const { rows } = await national.query<{ patient_id: string; wrapped_key: Buffer | null; master_key_id: string | null; created_at: Date; destroyed_at: Date | null }>(
      `select patient_id, wrapped_key, master_key_id, created_at, destroyed_at from ${table} where patient_id = any($1::text[]) order by patient_id`,
      [patientIds],
    );
    keyCount = await inTransaction(region, async (client) => {
      let written = 0;
      for (const row of rows) {
        // A key destroyed nationally (an erased patient) stays destroyed in the region.
        const wrapped = row.wrapped_key
          ? await step.keys!.rewrap({ wrappedKey: row.wrapped_key, masterKeyId: row.master_key_id! }, masterKeyFor(keys.national, row.master_key_id!), keys.region, row.patient_id)
          : undefined;
        const result = await client.query(
          `insert into ${table} (patient_id, wrapped_key, master_key_id, created_at, destroyed_at) values ($1, $2, $3, $4, $5) on conflict (patient_id) do nothing`,
          [row.patient_id, wrapped?.wrappedKey ?? null, wrapped?.masterKeyId ?? (row.wrapped_key ? null : row.master_key_id), row.created_at, row.destroyed_at],
        );
        written += result.rowCount ?? 0;
      }
      return written;
    });
  }
  let rowCount = 0;
  for (const { table, where } of step.movedRows ?? []) {
    const { rows } = await national.query<{ rows: unknown }>(`select coalesce(json_agg(t), '[]') as rows from ${identifier(table)} t where ${where}`, [networkId]);
    const result = await region.query(`insert into ${identifier(table)} select * from json_populate_recordset(null::${identifier(table)}, $1::json) on conflict do nothing`, [
      JSON.stringify(rows[0].rows),
    ]);
    rowCount += result.rowCount ?? 0;
  }
  return { service: step.service, streams: moved.length + copied.length, events: events.length, imported, keys: keyCount, rows: rowCount };
}

/**
 * Removes the network from the national database in one transaction, once the region holds every event (by
 * id) and every key of it: its streams (the encrypted identities with them), its patients' wrapped keys, its
 * audit rows and the copies of other services' records; then every projection of the schema is rebuilt from
 * zero at the service's next start. Refused, writing nothing, while the region lacks anything.
 */
export async function releaseNetworkNationally(step: NetworkMoveStep, networkId: string, national: Pool, region: Pool): Promise<NetworkMoveReport> {
  const { moved, copied, patientIds } = await plan(national, step, networkId);
  const events = await exportStreams(national, step.schema, [...moved, ...copied]);
  const { rows: present } = await region.query<{ n: number }>(`select count(*)::int as n from ${identifier(`${step.schema}.events`)} where event_id = any($1::uuid[])`, [
    events.map((e) => e.eventId),
  ]);
  if (present[0].n !== events.length) {
    throw new NetworkMoveRefused('REGION_INCOMPLETE', `${step.service} : la région ne détient que ${present[0].n} des ${events.length} événements du réseau ; relancez la copie avant de libérer le national.`);
  }
  if (step.keys && patientIds.length > 0) {
    const table = identifier(step.keys.table);
    const { rows: nationalKeys } = await national.query<{ n: number }>(`select count(*)::int as n from ${table} where patient_id = any($1::text[])`, [patientIds]);
    const { rows: regionKeys } = await region.query<{ n: number }>(`select count(*)::int as n from ${table} where patient_id = any($1::text[])`, [patientIds]);
    if (regionKeys[0].n < nationalKeys[0].n) {
      throw new NetworkMoveRefused('REGION_INCOMPLETE', `${step.service} : la région ne détient que ${regionKeys[0].n} des ${nationalKeys[0].n} clés de patient du réseau ; relancez la copie.`);
    }
  }
  return inTransaction(national, async (client) => {
    const deleted = await deleteStreams(client, step.schema, moved);
    const keyCount = step.keys ? ((await client.query(`delete from ${identifier(step.keys.table)} where patient_id = any($1::text[])`, [patientIds])).rowCount ?? 0) : 0;
    let rowCount = 0;
    for (const { table, where } of [...(step.movedRows ?? []), ...(step.removedCopies ?? [])]) {
      rowCount += (await client.query(`delete from ${identifier(table)} where ${where}`, [networkId])).rowCount ?? 0;
    }
    await requestProjectionRebuilds((text) => client.query(text), step.schema);
    return { service: step.service, streams: moved.length, events: deleted, imported: 0, keys: keyCount, rows: rowCount };
  });
}

/** The streams of a category among stream ids (`patient-…` → patient ids). */
export function idsOfCategory(streamIds: readonly string[], category: string): string[] {
  return streamIds.filter((id) => streamCategory(id) === category).map((id) => id.slice(category.length + 1));
}

/**
 * The command line of one service's step (`npm run -s move-network:<service> -- copy|release`), for
 * `tools/federation/move-network.ts`: MOVE_NETWORK_ID, NATIONAL_DATABASE_URL, REGION_DATABASE_URL, and for the
 * services with patient keys the national ring (the service's usual variables) and the region's key
 * (`REGION_<SERVICE>_MASTER_KEY`, `REGION_<SERVICE>_MASTER_KEY_ID`). Prints one JSON report line.
 */
export async function runNetworkMoveCommand(step: NetworkMoveStep, env: NodeJS.ProcessEnv, args: readonly string[], keys?: () => NetworkMoveKeys): Promise<void> {
  const regionKey = `REGION_${step.service.toUpperCase()}_MASTER_KEY`;
  const phase = args[0];
  const networkId = env.MOVE_NETWORK_ID;
  if ((phase !== 'copy' && phase !== 'release') || !networkId || !env.NATIONAL_DATABASE_URL || !env.REGION_DATABASE_URL) {
    process.stderr.write(`${step.service} : usage : MOVE_NETWORK_ID=… NATIONAL_DATABASE_URL=… REGION_DATABASE_URL=… move-network:${step.service} copy|release\n`);
    process.exitCode = 2;
    return;
  }
  const national = new Pool({ connectionString: env.NATIONAL_DATABASE_URL, max: 2 });
  const region = new Pool({ connectionString: env.REGION_DATABASE_URL, max: 2 });
  try {
    // Without it a development start would fall back to the development key: the keys must go under the region's own.
    if (phase === 'copy' && step.keys && !env[regionKey]) throw new NetworkMoveRefused('MASTER_KEYS_MISSING', `${step.service} : ${regionKey} (la clé maîtresse de la région) est obligatoire.`);
    const report = phase === 'copy' ? await copyNetworkToRegion(step, networkId, national, region, keys?.()) : await releaseNetworkNationally(step, networkId, national, region);
    process.stdout.write(`${JSON.stringify({ phase, ...report })}\n`);
  } catch (error) {
    const code = error instanceof NetworkMoveRefused ? error.code : 'MOVE_FAILED';
    process.stderr.write(`${JSON.stringify({ phase, service: step.service, code, message: error instanceof Error ? error.message : String(error) })}\n`);
    process.exitCode = 1;
  } finally {
    await Promise.all([national.end(), region.end()]);
  }
}

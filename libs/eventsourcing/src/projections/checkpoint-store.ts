import { EntityManager } from 'typeorm';
import { createSchemaIfMissing, quoteIdentifier } from '../postgres/event-store.migrations';
import { GlobalPosition, START } from '../store/event-store.port';

/** The checkpoint value that asks the projection's next start to rebuild it from zero. */
const REBUILD_REQUESTED = -1;

/**
 * Asks every projection of a service's schema to be rebuilt from zero at its next start (events were removed
 * from its store while it was stopped: a network handed over to its own deployment). Inside the caller's
 * transaction; a schema without checkpoints has nothing to rebuild.
 */
export async function requestProjectionRebuilds(query: (text: string) => Promise<unknown>, schema: string): Promise<void> {
  const table = `${quoteIdentifier(schema)}.projection_checkpoints`;
  await query(`do $$ begin if to_regclass('${table}') is not null then
    update ${table} set commit_position = ${REBUILD_REQUESTED}, prepare_position = ${REBUILD_REQUESTED}, updated_at = now();
  end if; end $$`);
}

/** Checkpoints of a service's projections, in the service's schema, written in the projection's transaction. */
export class CheckpointStore {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${quoteIdentifier(schema)}.projection_checkpoints`;
  }

  /** Creates the table; serialised by an advisory lock since several processes may start at once. */
  async migrate(manager: EntityManager, schema: string): Promise<void> {
    await manager.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`projection-checkpoints:${schema}`]);
      await createSchemaIfMissing((text, values) => tx.query(text, values), schema);
      await tx.query(
      `create table if not exists ${this.table} (
         name text primary key,
         commit_position bigint not null,
         prepare_position bigint not null,
         updated_at timestamptz not null default now()
       )`,
      );
    });
  }

  async read(manager: EntityManager, name: string): Promise<GlobalPosition> {
    const rows: { commit_position: string; prepare_position: string }[] = await manager.query(
      `select commit_position, prepare_position from ${this.table} where name = $1`,
      [name],
    );
    return rows[0] ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : START;
  }

  /** Reads the checkpoint and locks it until the transaction ends, so that two runners never apply the same events. */
  async lock(manager: EntityManager, name: string): Promise<GlobalPosition> {
    await manager.query(`insert into ${this.table} (name, commit_position, prepare_position) values ($1, 0, 0) on conflict (name) do nothing`, [name]);
    const rows: { commit_position: string; prepare_position: string }[] = await manager.query(
      `select commit_position, prepare_position from ${this.table} where name = $1 for update`,
      [name],
    );
    return { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) };
  }

  async write(manager: EntityManager, name: string, position: GlobalPosition): Promise<void> {
    await manager.query(`update ${this.table} set commit_position = $2, prepare_position = $3, updated_at = now() where name = $1`, [
      name,
      position.commit.toString(),
      position.prepare.toString(),
    ]);
  }

  /** Whether a rebuild from zero was asked for this projection while its service was stopped (`requestProjectionRebuilds`). */
  async rebuildRequested(manager: EntityManager, name: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`select 1 from ${this.table} where name = $1 and commit_position = ${REBUILD_REQUESTED}`, [name]);
    return rows.length > 0;
  }

  async remove(manager: EntityManager, name: string): Promise<void> {
    await manager.query(`delete from ${this.table} where name = $1`, [name]);
  }
}

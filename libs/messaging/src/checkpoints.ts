import { GlobalPosition, START } from '@cnrms/eventsourcing';
import { PoolClient, Pool } from 'pg';
import { quoteSchema } from './migrations';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Positions in an event log (relay, PostgreSQL bus consumers), kept in the service's schema. */
export async function readCheckpoint(db: Queryable, schema: string, name: string): Promise<GlobalPosition> {
  const { rows } = await db.query<{ commit_position: string; prepare_position: string }>(
    `select commit_position, prepare_position from ${quoteSchema(schema)}.messaging_checkpoints where name = $1`,
    [name],
  );
  return rows[0] ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : START;
}

export async function writeCheckpoint(db: Queryable, schema: string, name: string, position: GlobalPosition): Promise<void> {
  await db.query(
    `insert into ${quoteSchema(schema)}.messaging_checkpoints (name, commit_position, prepare_position) values ($1, $2, $3)
     on conflict (name) do update set commit_position = excluded.commit_position, prepare_position = excluded.prepare_position, updated_at = now()`,
    [name, position.commit.toString(), position.prepare.toString()],
  );
}

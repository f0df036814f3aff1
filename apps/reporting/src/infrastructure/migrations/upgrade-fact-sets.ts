import { QueryRunner } from 'typeorm';

/**
 * A fact-set layout's migration: the sets of layout `from` still read or filled (ACTIVE, BUILDING) get `ddl`
 * in place and become layout `from + 1`; the others are dropped by the next rebuild. Not undone: rebuild instead.
 */
export async function upgradeFactSetsInPlace(db: QueryRunner, from: number, ddl: (schema: string) => string): Promise<void> {
  const sets: { schema_name: string }[] = await db.query(`select schema_name from reporting.fact_sets where layout = $1::int and status in ('ACTIVE', 'BUILDING')`, [from]);
  for (const { schema_name } of sets) await db.query(ddl(schema_name));
  await db.query(`update reporting.fact_sets set layout = $1::int + 1 where layout = $1::int and status in ('ACTIVE', 'BUILDING')`, [from]);
}

export function refuseToUndoLayout(layout: number): never {
  throw new Error(`Fact-set layout ${layout} is not undone: rebuild instead.`);
}

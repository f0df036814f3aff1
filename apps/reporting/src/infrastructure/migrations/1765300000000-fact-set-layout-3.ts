import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout2To3Ddl } from '../../application/facts/fact-set.schema';

/**
 * Fact-set layout 3 (month cells): the layout-2 sets still read or filled get their month cells, computed
 * from their patient-months (exact: the cells are a function of them). Their record-key sums wait for the
 * secret (`month-cells.ts`): until then, answers that publish with keys read the facts.
 */
export class FactSetLayout31765300000000 implements MigrationInterface {
  name = 'FactSetLayout31765300000000';

  async up(db: QueryRunner): Promise<void> {
    const sets: { schema_name: string }[] = await db.query(`select schema_name from reporting.fact_sets where layout = 2 and status in ('ACTIVE', 'BUILDING')`);
    for (const { schema_name } of sets) await db.query(upgradeLayout2To3Ddl(schema_name));
    await db.query(`update reporting.fact_sets set layout = 3 where layout = 2 and status in ('ACTIVE', 'BUILDING')`);
  }

  async down(): Promise<void> {
    throw new Error('Fact-set layout 3 is not undone: rebuild instead.');
  }
}

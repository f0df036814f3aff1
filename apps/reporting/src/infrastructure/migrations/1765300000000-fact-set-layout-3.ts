import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout2To3Ddl } from '../../application/facts/fact-set.schema';
import { refuseToUndoLayout, upgradeFactSetsInPlace } from './upgrade-fact-sets';

/**
 * Fact-set layout 3 (month cells): the layout-2 sets still read or filled get their month cells, computed
 * from their patient-months (exact: the cells are a function of them). Their record-key sums wait for the
 * secret (`month-cells.ts`): until then, answers that publish with keys read the facts.
 */
export class FactSetLayout31765300000000 implements MigrationInterface {
  name = 'FactSetLayout31765300000000';

  async up(db: QueryRunner): Promise<void> {
    await upgradeFactSetsInPlace(db, 2, upgradeLayout2To3Ddl);
  }

  async down(): Promise<void> {
    refuseToUndoLayout(3);
  }
}

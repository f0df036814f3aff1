import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout3To4Ddl } from '../../application/facts/fact-set.schema';
import { refuseToUndoLayout, upgradeFactSetsInPlace } from './upgrade-fact-sets';

/**
 * Fact-set layout 4 (quarter and year cells): the layout-3 sets still read or filled get their patient-periods and
 * period cells, computed from their patient-months (exact: they are a function of them). Their record-key sums wait
 * for the secret (`period-cells.ts`): until then, answers that publish with keys read the facts.
 */
export class FactSetLayout41765400000000 implements MigrationInterface {
  name = 'FactSetLayout41765400000000';

  async up(db: QueryRunner): Promise<void> {
    await upgradeFactSetsInPlace(db, 3, upgradeLayout3To4Ddl);
  }

  async down(): Promise<void> {
    refuseToUndoLayout(4);
  }
}

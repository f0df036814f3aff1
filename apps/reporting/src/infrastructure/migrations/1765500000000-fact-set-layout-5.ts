import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout4To5Ddl } from '../../application/facts/fact-set.schema';
import { refuseToUndoLayout, upgradeFactSetsInPlace } from './upgrade-fact-sets';

/**
 * Fact-set layout 5 (inclusion cells): the layout-4 sets still read or filled get their inclusion, first-contact delay
 * and exit cells, computed from their inclusions (exact: they are a function of them). Their record-key sums and
 * window counts wait for the secret and the outcome window (`inclusion-cells.ts`): until then, the answers that need
 * them read the facts.
 */
export class FactSetLayout51765500000000 implements MigrationInterface {
  name = 'FactSetLayout51765500000000';

  async up(db: QueryRunner): Promise<void> {
    await upgradeFactSetsInPlace(db, 4, upgradeLayout4To5Ddl);
  }

  async down(): Promise<void> {
    refuseToUndoLayout(5);
  }
}

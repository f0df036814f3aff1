import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout5To6Ddl } from '../../application/facts/fact-set.schema';
import { refuseToUndoLayout, upgradeFactSetsInPlace } from './upgrade-fact-sets';

/**
 * Fact-set layout 6: the layout-5 sets still read or filled get their treating GPs' spans, computed from their
 * inclusions, and their networks' counts of microstructures with patients, from their cells (`involved_gps` and
 * `active_microstructures` above the microstructure): exact at once, neither holds record keys nor depends on a
 * setting. Their HCV screening windows and package cells come empty, marked as computed with no window and no
 * threshold (a migration has neither): the first live transaction, which has them, computes them all; until then
 * those answers read the facts.
 */
export class FactSetLayout61765600000000 implements MigrationInterface {
  name = 'FactSetLayout61765600000000';

  async up(db: QueryRunner): Promise<void> {
    await upgradeFactSetsInPlace(db, 5, upgradeLayout5To6Ddl);
  }

  async down(): Promise<void> {
    refuseToUndoLayout(6);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout6To7Ddl } from '../../application/facts/fact-set.schema';
import { refuseToUndoLayout, upgradeFactSetsInPlace } from './upgrade-fact-sets';

/**
 * Fact-set layout 7: the layout-6 sets still read or filled get the referrals' key columns, empty (a migration has no
 * secret: the answers compute those referrals' keys as before; the referrals recorded from then on carry theirs), the
 * index of the positive HCV screenings, and the delays per network period and the referral cells, computed from the
 * facts (`upgradeLayout6To7Ddl`). Every answer stays what it was.
 */
export class FactSetLayout71765700000000 implements MigrationInterface {
  name = 'FactSetLayout71765700000000';

  async up(db: QueryRunner): Promise<void> {
    await upgradeFactSetsInPlace(db, 6, upgradeLayout6To7Ddl);
  }

  async down(): Promise<void> {
    refuseToUndoLayout(7);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout1To2Ddl } from '../../application/facts/fact-set.schema';
import { refuseToUndoLayout, upgradeFactSetsInPlace } from './upgrade-fact-sets';

/**
 * Fact-set layout 2 (treatments started, attendees' microstructure): the fact sets of layout 1 that are
 * still read or filled are upgraded in place (exact, see `upgradeLayout1To2Ddl`), so that the live
 * consumer can take in FollowUpSessionRecorded v2 and AttendanceRecorded v2 without a rebuild first.
 */
export class FactSetLayout21765100000000 implements MigrationInterface {
  name = 'FactSetLayout21765100000000';

  async up(db: QueryRunner): Promise<void> {
    await upgradeFactSetsInPlace(db, 1, upgradeLayout1To2Ddl);
  }

  async down(): Promise<void> {
    refuseToUndoLayout(2);
  }
}

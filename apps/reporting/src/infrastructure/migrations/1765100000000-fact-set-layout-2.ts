import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeLayout1To2Ddl } from '../../application/facts/fact-set.schema';

/**
 * Fact-set layout 2 (treatments started, attendees' microstructure): the fact sets of layout 1 that are
 * still read or filled are upgraded in place (exact, see `upgradeLayout1To2Ddl`), so that the live
 * consumer can take in FollowUpSessionRecorded v2 and AttendanceRecorded v2 without a rebuild first.
 */
export class FactSetLayout21765100000000 implements MigrationInterface {
  name = 'FactSetLayout21765100000000';

  async up(db: QueryRunner): Promise<void> {
    const sets: { schema_name: string }[] = await db.query(`select schema_name from reporting.fact_sets where layout = 1 and status in ('ACTIVE', 'BUILDING')`);
    for (const { schema_name } of sets) await db.query(upgradeLayout1To2Ddl(schema_name));
    await db.query(`update reporting.fact_sets set layout = 2 where layout = 1 and status in ('ACTIVE', 'BUILDING')`);
  }

  async down(): Promise<void> {
    throw new Error('Fact-set layout 2 is not undone: rebuild instead.');
  }
}

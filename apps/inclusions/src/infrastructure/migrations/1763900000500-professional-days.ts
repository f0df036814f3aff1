import { MigrationInterface, QueryRunner } from 'typeorm';

/** A professional's sessions of a day, all patients together (the daily cap of docs/time-rules.md). */
export class ProfessionalDays1763900000500 implements MigrationInterface {
  name = 'ProfessionalDays1763900000500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`create index if not exists follow_up_sessions_professional_day on inclusions.follow_up_sessions (professional_id, held_on)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`drop index inclusions.follow_up_sessions_professional_day`);
  }
}

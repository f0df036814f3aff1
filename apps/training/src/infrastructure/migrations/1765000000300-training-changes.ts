import { MigrationInterface, QueryRunner } from 'typeorm';

/** A published training may be edited (when, by what) and cancelled (when, why). */
export class TrainingChanges1765000000300 implements MigrationInterface {
  name = 'TrainingChanges1765000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table training.trainings
        add column status text not null default 'PUBLISHED',
        add column updated_on date,
        add column cancelled_on date,
        add column cancellation_reason text;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('alter table training.trainings drop column status, drop column updated_on, drop column cancelled_on, drop column cancellation_reason');
  }
}

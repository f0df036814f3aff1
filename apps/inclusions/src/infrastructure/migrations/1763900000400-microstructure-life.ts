import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The opening and closing dates of each microstructure, from the directory's events: an inclusion is dated
 * within the life of its microstructure (docs/time-rules.md). Rows recorded before this migration keep null
 * dates (their status is still checked) until the directory's events are replayed into this service.
 */
export class MicrostructureLife1763900000400 implements MigrationInterface {
  name = 'MicrostructureLife1763900000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`alter table inclusions.microstructures add column opened_on date, add column closed_on date`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`alter table inclusions.microstructures drop column opened_on, drop column closed_on`);
  }
}

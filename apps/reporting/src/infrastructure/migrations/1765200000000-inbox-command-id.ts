import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox keeps the client's command id an event carries (its Idempotency-Key, from the integration
 * envelope), so that a client can ask for figures that include the change it just recorded
 * (`includingCommand`). Events received before have none.
 */
export class InboxCommandId1765200000000 implements MigrationInterface {
  name = 'InboxCommandId1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table reporting.inbox add column command_id text;
      create index inbox_command_id on reporting.inbox (command_id) where command_id is not null;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop index reporting.inbox_command_id; alter table reporting.inbox drop column command_id');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** The copy of the directory's team memberships takes the name it has in every service: `memberships` (libs/service-kit team-memberships.ts). */
export class Memberships1764000000400 implements MigrationInterface {
  name = 'Memberships1764000000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table meetings.team_members rename to memberships;
      alter table meetings.memberships rename constraint team_members_pkey to memberships_pkey;
      alter index meetings.team_members_network rename to memberships_network;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      alter index meetings.memberships_network rename to team_members_network;
      alter table meetings.memberships rename constraint memberships_pkey to team_members_pkey;
      alter table meetings.memberships rename to team_members;
    `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** The copy of the directory's team memberships takes the name it has in every service: `memberships` (libs/service-kit team-memberships.ts). */
export class Memberships1763900000600 implements MigrationInterface {
  name = 'Memberships1763900000600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table inclusions.care_team_members rename to memberships;
      alter table inclusions.memberships rename constraint care_team_members_pkey to memberships_pkey;
      alter index inclusions.care_team_members_professional rename to memberships_professional;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      alter index inclusions.memberships_professional rename to care_team_members_professional;
      alter table inclusions.memberships rename constraint memberships_pkey to care_team_members_pkey;
      alter table inclusions.memberships rename to care_team_members;
    `);
  }
}

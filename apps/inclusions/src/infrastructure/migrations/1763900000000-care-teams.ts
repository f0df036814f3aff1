import { MigrationInterface, QueryRunner } from 'typeorm';

/** The directory as the inclusions service needs it: which professional belongs to which microstructure. */
export class CareTeams1763900000000 implements MigrationInterface {
  name = 'CareTeams1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table inclusions.microstructures (
        id text primary key,
        network_id text not null,
        name text not null,
        status text not null
      );
      create table inclusions.care_team_members (
        microstructure_id text not null,
        professional_id text not null,
        started_on date not null,
        network_id text not null,
        profession text not null,
        ended_on date,
        primary key (microstructure_id, professional_id, started_on)
      );
      create index care_team_members_professional on inclusions.care_team_members (professional_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table inclusions.care_team_members, inclusions.microstructures');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the meetings service knows of the others, built from their integration events: the
 * microstructures and their members (directory), and which patient is included where and since when
 * (inclusions: pseudonymous ids, dates and assessed timepoints only).
 */
export class ReferenceData1764000000000 implements MigrationInterface {
  name = 'ReferenceData1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table meetings.microstructures (
        id text primary key,
        network_id text not null,
        name text not null,
        status text not null,
        opened_on date,
        closed_on date
      );
      create index microstructures_network on meetings.microstructures (network_id);
      create table meetings.team_members (
        microstructure_id text not null,
        professional_id text not null,
        started_on date not null,
        network_id text not null,
        profession text not null,
        ended_on date,
        primary key (microstructure_id, professional_id, started_on)
      );
      create index team_members_network on meetings.team_members (network_id);
      create table meetings.followed_inclusions (
        inclusion_id text primary key,
        patient_id text not null,
        microstructure_id text not null,
        network_id text not null,
        included_on date not null,
        exited_on date,
        assessed_timepoints text[] not null default '{}'
      );
      create index followed_inclusions_microstructure on meetings.followed_inclusions (microstructure_id, included_on);
      create index followed_inclusions_patient on meetings.followed_inclusions (patient_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table meetings.followed_inclusions, meetings.team_members, meetings.microstructures');
  }
}

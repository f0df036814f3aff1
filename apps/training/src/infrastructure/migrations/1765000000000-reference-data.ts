import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the training service knows of the directory, built from its integration events: the regional
 * networks (a training is published for a known network), the professionals (profession, and the name
 * printed on a certificate) and their memberships (who may register to which network's trainings, and
 * where they are counted).
 */
export class ReferenceData1765000000000 implements MigrationInterface {
  name = 'ReferenceData1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table training.networks (
        id text primary key,
        name text not null,
        region text not null
      );
      create table training.professionals (
        id text primary key,
        profession text not null,
        display_name text not null
      );
      create table training.memberships (
        microstructure_id text not null,
        professional_id text not null,
        started_on date not null,
        network_id text not null,
        profession text not null,
        ended_on date,
        primary key (microstructure_id, professional_id, started_on)
      );
      create index memberships_professional on training.memberships (professional_id);
      create index memberships_network on training.memberships (network_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table training.memberships, training.professionals, training.networks');
  }
}

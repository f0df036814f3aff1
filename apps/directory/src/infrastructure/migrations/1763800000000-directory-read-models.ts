import { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectoryReadModels1763800000000 implements MigrationInterface {
  name = 'DirectoryReadModels1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table directory.national_network (
        id text primary key,
        name text not null,
        established_at timestamptz not null
      );
      create table directory.networks (
        id text primary key,
        name text not null,
        region text not null,
        departments text[] not null,
        coordinators jsonb not null default '[]',
        created_at timestamptz not null
      );
      create index networks_name on directory.networks (name, id);
      create table directory.microstructures (
        id text primary key,
        network_id text not null,
        name text not null,
        kind text not null,
        status text not null,
        department text not null,
        practice_site jsonb not null,
        opened_on date,
        closed_on date,
        closure_reason text,
        created_at timestamptz not null
      );
      create index microstructures_name on directory.microstructures (name, id);
      create index microstructures_network on directory.microstructures (network_id, name, id);
      create index microstructures_department on directory.microstructures (department, name, id);
      create table directory.memberships (
        microstructure_id text not null,
        professional_id text not null,
        started_on date not null,
        network_id text not null,
        profession text not null,
        role text not null,
        ended_on date,
        primary key (microstructure_id, professional_id, started_on)
      );
      create index memberships_professional on directory.memberships (professional_id);
      create table directory.partners (
        microstructure_id text not null,
        partner_id text not null,
        name text not null,
        type text not null,
        contact text,
        primary key (microstructure_id, partner_id)
      );
      create table directory.professionals (
        id text primary key,
        first_name text not null,
        last_name text not null,
        profession text not null,
        rpps text,
        adeli text,
        email text,
        registered_at timestamptz not null
      );
      create index professionals_name on directory.professionals (last_name, id);
      create index professionals_profession_name on directory.professionals (profession, last_name, id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table directory.professionals, directory.partners, directory.memberships, directory.microstructures, directory.networks, directory.national_network');
  }
}

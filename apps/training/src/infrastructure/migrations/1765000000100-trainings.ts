import { MigrationInterface, QueryRunner } from 'typeorm';

/** The read models of the trainings projection: trainings, their sessions, and every registration with its status and attendance. */
export class Trainings1765000000100 implements MigrationInterface {
  name = 'Trainings1765000000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table training.trainings (
        id text primary key,
        network_id text,
        kind text not null,
        title text not null,
        theme text not null,
        audience text[] not null,
        format text not null,
        registration_closes_on date not null,
        published_on date not null,
        published_by text not null
      );
      create index trainings_network on training.trainings (network_id);
      create table training.sessions (
        id text primary key,
        training_id text not null references training.trainings (id),
        position int not null,
        date date not null,
        start_time text not null,
        end_time text not null,
        place text,
        capacity int not null,
        hours numeric(5, 2) not null
      );
      create index sessions_training on training.sessions (training_id, position);
      create index sessions_date on training.sessions (date);
      create table training.registrations (
        id text primary key,
        training_id text not null,
        session_id text not null,
        professional_id text not null,
        network_id text not null,
        profession text not null,
        status text not null,
        requested_at timestamptz not null,
        -- Stream version of the wait-listing: the wait list's order (rank = place among those still waiting).
        wait_listed_version int,
        promoted_at timestamptz,
        cancelled_at timestamptz,
        attended boolean not null default false,
        attended_hours numeric(5, 2),
        attended_on date
      );
      create index registrations_session on training.registrations (session_id, status);
      create index registrations_training on training.registrations (training_id);
      create index registrations_professional on training.registrations (professional_id);
      create index registrations_network_attended on training.registrations (network_id, attended_on) where attended;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table training.registrations, training.sessions, training.trainings');
  }
}

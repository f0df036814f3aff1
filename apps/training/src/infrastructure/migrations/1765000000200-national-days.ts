import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National days across deployments (docs/deployments.md). In a regional deployment: the national days'
 * sessions (from `national.training.training.v1`) and the requests of its professionals for a seat, with the
 * national answer (from `national.training.national-day-answer.v1`). Empty elsewhere.
 */
export class NationalDays1765000000200 implements MigrationInterface {
  name = 'NationalDays1765000000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table training.national_day_sessions (
        session_id text primary key,
        training_id text not null,
        title text not null,
        audience text[] not null,
        format text not null,
        registration_closes_on date not null,
        date date not null,
        hours numeric not null,
        capacity integer not null
      );
      create table training.national_day_requests (
        request_id text primary key,
        training_id text not null,
        session_id text not null,
        professional_id text not null,
        requested_at timestamptz not null,
        status text not null default 'REQUESTED',
        rank integer,
        reason_code text,
        reason text,
        answered_at timestamptz
      );
      create index national_day_requests_professional on training.national_day_requests (professional_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table training.national_day_requests, training.national_day_sessions');
  }
}

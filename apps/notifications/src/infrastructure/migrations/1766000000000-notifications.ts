import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications schema: what it keeps of the other services' events to know whom to tell and what
 * (professionals and their work e-mail, memberships, training titles and session dates, planned meetings,
 * open inclusions and the assessments recorded — pseudonymous ids and dates, never a patient's identity),
 * the notices (each professional's inbox) and the e-mails still to send.
 */
export class Notifications1766000000000 implements MigrationInterface {
  name = 'Notifications1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table notifications.professionals (
        id text primary key,
        display_name text not null,
        email text
      );
      create table notifications.memberships (
        microstructure_id text not null,
        professional_id text not null,
        started_on date not null,
        network_id text not null,
        profession text not null,
        ended_on date,
        primary key (microstructure_id, professional_id, started_on)
      );
      create table notifications.trainings (
        id text primary key,
        title text not null
      );
      create table notifications.training_sessions (
        id text primary key,
        training_id text not null references notifications.trainings (id),
        date date not null
      );
      create table notifications.meetings (
        id text primary key,
        microstructure_id text not null,
        scheduled_on date not null,
        format text not null
      );
      create table notifications.follow_ups (
        inclusion_id text primary key,
        patient_id text not null,
        microstructure_id text not null,
        network_id text not null,
        included_on date not null,
        closed boolean not null default false
      );
      create index follow_ups_patient on notifications.follow_ups (patient_id);
      create index follow_ups_open on notifications.follow_ups (included_on) where not closed;
      create table notifications.assessments_recorded (
        inclusion_id text not null,
        timepoint text not null,
        primary key (inclusion_id, timepoint)
      );
      create table notifications.notices (
        id uuid primary key default gen_random_uuid(),
        professional_id text not null,
        -- What the notice is about, once per professional: an event id, or an assessment's inclusion and timepoint.
        about text not null,
        kind text not null,
        title text not null,
        body text not null,
        link text,
        created_at timestamptz not null default now(),
        read_at timestamptz,
        unique (professional_id, about)
      );
      create index notices_inbox on notifications.notices (professional_id, created_at desc);
      create table notifications.emails (
        notice_id uuid primary key references notifications.notices (id) on delete cascade,
        to_address text not null,
        subject text not null,
        body text not null,
        status text not null default 'PENDING',
        attempts int not null default 0,
        next_attempt_at timestamptz not null default now(),
        sent_at timestamptz,
        last_error text
      );
      create index emails_pending on notifications.emails (next_attempt_at) where status = 'PENDING';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`drop table notifications.emails, notifications.notices, notifications.assessments_recorded, notifications.follow_ups,
      notifications.meetings, notifications.training_sessions, notifications.trainings, notifications.memberships, notifications.professionals`);
  }
}

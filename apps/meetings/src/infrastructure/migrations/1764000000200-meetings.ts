import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read models of the meetings projection: case-review meetings, the patients reviewed (summary as
 * ciphertext only) and the networks' exchange meetings.
 */
export class Meetings1764000000200 implements MigrationInterface {
  name = 'Meetings1764000000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table meetings.meetings (
        id text primary key,
        microstructure_id text not null,
        network_id text not null,
        status text not null,
        scheduled_on date not null,
        format text not null,
        place text,
        expected_attendee_ids text[] not null,
        held_on date,
        duration_minutes int,
        attendee_ids text[] not null default '{}',
        cancelled_on date,
        cancellation_reason text
      );
      create index meetings_microstructure on meetings.meetings (microstructure_id, scheduled_on);
      create index meetings_network on meetings.meetings (network_id, scheduled_on);
      create table meetings.case_reviews (
        meeting_id text not null,
        patient_id text not null,
        microstructure_id text not null,
        held_on date not null,
        decisions text[] not null,
        next_review_on date not null,
        summary_ciphertext text,
        primary key (meeting_id, patient_id)
      );
      create index case_reviews_patient on meetings.case_reviews (patient_id, held_on);
      create index case_reviews_microstructure on meetings.case_reviews (microstructure_id, patient_id, held_on);
      create table meetings.network_meetings (
        id text primary key,
        network_id text not null,
        held_on date not null,
        topic text not null,
        format text not null,
        duration_minutes int not null,
        attendees jsonb not null,
        microstructure_ids text[] not null,
        recorded_by text not null
      );
      create index network_meetings_network on meetings.network_meetings (network_id, held_on);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table meetings.network_meetings, meetings.case_reviews, meetings.meetings');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The team's read models, and the microstructures' partners (from the directory, for referrals): patients (identity as ciphertext only, cleared on erasure), inclusions with
 * their folded state, sessions, assessments and the timeline. Due assessments and lost-to-follow-up are
 * filtered in SQL from `next_assessment_window_start` and `last_contact_on`.
 */
export class Caseload1763900000200 implements MigrationInterface {
  name = 'Caseload1763900000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table inclusions.partners (
        microstructure_id text not null,
        partner_id text not null,
        partner_type text not null,
        primary key (microstructure_id, partner_id)
      );
      create table inclusions.patients (
        id text primary key,
        microstructure_id text not null,
        network_id text not null,
        sex text not null,
        birth_year int not null,
        identity_ciphertext text,
        registered_at timestamptz not null,
        erased_at timestamptz
      );
      create index patients_microstructure on inclusions.patients (microstructure_id);
      create table inclusions.inclusions (
        id text primary key,
        patient_id text not null,
        microstructure_id text not null,
        network_id text not null,
        status text not null,
        included_on date not null,
        inclusion_number int not null,
        last_contact_on date not null,
        next_assessment_window_start date,
        state jsonb not null
      );
      create index inclusions_caseload on inclusions.inclusions (microstructure_id, status);
      create index inclusions_patient on inclusions.inclusions (patient_id);
      create table inclusions.follow_up_sessions (
        id text primary key,
        inclusion_id text not null,
        kind text not null,
        held_on date not null,
        professional_id text not null,
        duration_minutes int not null,
        outcomes jsonb not null
      );
      create index follow_up_sessions_inclusion on inclusions.follow_up_sessions (inclusion_id, held_on);
      create table inclusions.assessments (
        inclusion_id text not null,
        timepoint text not null,
        assessed_on date not null,
        days_of_use_last_30 int not null,
        quality_of_life_score int not null,
        housing text not null,
        employment text not null,
        health_coverage text not null,
        recorded_by text not null,
        primary key (inclusion_id, timepoint)
      );
      create table inclusions.timeline_entries (
        inclusion_id text not null,
        entry_key text not null,
        occurred_on date not null,
        recorded_at timestamptz not null,
        kind text not null,
        summary text not null,
        professional_id text,
        primary key (inclusion_id, entry_key)
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table inclusions.timeline_entries, inclusions.assessments, inclusions.follow_up_sessions, inclusions.inclusions, inclusions.patients, inclusions.partners');
  }
}

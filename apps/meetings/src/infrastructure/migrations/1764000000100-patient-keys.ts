import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each patient's summary key, wrapped by the master key named in `master_key_id` (crypto-shredding).
 * Erasure nulls `wrapped_key` and keeps the row, so that an erased patient never gets a key again. A key
 * destroyed before any summary was written has no master key: hence `master_key_id` may be null.
 */
export class PatientKeys1764000000100 implements MigrationInterface {
  name = 'PatientKeys1764000000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table meetings.patient_keys (
        patient_id text primary key,
        wrapped_key bytea null,
        master_key_id text null,
        created_at timestamptz not null default now(),
        destroyed_at timestamptz null,
        constraint patient_keys_live_or_destroyed check ((wrapped_key is null) = (destroyed_at is not null))
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table meetings.patient_keys');
  }
}

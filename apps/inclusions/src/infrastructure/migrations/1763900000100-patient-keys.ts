import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each patient's data key, wrapped by the master key named in `master_key_id` (crypto-shredding). Erasure
 * nulls `wrapped_key` and keeps the row, so that a destroyed patient can never be given a key again.
 */
export class PatientKeys1763900000100 implements MigrationInterface {
  name = 'PatientKeys1763900000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table inclusions.patient_keys (
        patient_id text primary key,
        wrapped_key bytea null,
        master_key_id text not null,
        created_at timestamptz not null default now(),
        destroyed_at timestamptz null,
        -- a live key, or no key once destroyed: never a destroyed row that still holds one
        constraint patient_keys_live_or_destroyed check ((wrapped_key is null) = (destroyed_at is not null))
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table inclusions.patient_keys');
  }
}

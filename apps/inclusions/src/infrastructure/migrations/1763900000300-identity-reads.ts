import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of identity reads (docs/domain.md: "an audit trail of who read what"): one row per patient
 * whose decrypted identity was answered to a person, written before the answer leaves the service.
 * Append-only: the service never updates or deletes a row, and an erasure keeps them (they hold the
 * pseudonymous id only, never the identity).
 */
export class IdentityReads1763900000300 implements MigrationInterface {
  name = 'IdentityReads1763900000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table inclusions.identity_reads (
        id bigserial primary key,
        read_at timestamptz not null default now(),
        microstructure_id text not null,
        patient_id text not null,
        reader_user_id text not null,
        reader_professional_id text not null,
        purpose text not null,
        correlation_id text not null
      );
      create index identity_reads_by_microstructure on inclusions.identity_reads (microstructure_id, read_at desc, id desc);
      create index identity_reads_by_patient on inclusions.identity_reads (patient_id, read_at desc, id desc);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table inclusions.identity_reads');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** The patients' networks of the inclusions among the inbox rows `rows`, added to `patient_networks`. */
const patientNetworksOf = (rows: string) => `insert into reporting.patient_networks (patient_id, network_id)
  select distinct payload->>'patientId', payload->>'networkId' from ${rows}
  where type = 'inclusions.PatientIncluded' and payload->>'patientId' is not null and payload->>'networkId' is not null
  on conflict do nothing`;

/**
 * The appliers of a backlog, one per part of the networks (`part-appliers.ts`). `fact_sets.part_positions`: each
 * part's position in the inbox (null: every part at `position`). `patient_networks`: the networks each patient was
 * included in, kept by the inbox's own trigger as the events come in (every writer of the inbox alike), filled here
 * from the events received before (again when run again: every statement can be): an applier reads it to find a patient of its part also included in another's.
 */
export class ApplierParts1765800000000 implements MigrationInterface {
  name = 'ApplierParts1765800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table reporting.fact_sets add column if not exists part_positions bigint[];
      create table if not exists reporting.patient_networks (patient_id text not null, network_id text not null, primary key (patient_id, network_id));
      create or replace function reporting.record_patient_networks() returns trigger language plpgsql as $$
        begin
          ${patientNetworksOf('added')};
          return null;
        end $$;
      drop trigger if exists inbox_patient_networks on reporting.inbox;
      create trigger inbox_patient_networks after insert on reporting.inbox referencing new table as added for each statement execute function reporting.record_patient_networks();
      ${patientNetworksOf('reporting.inbox')};
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      drop trigger inbox_patient_networks on reporting.inbox;
      drop function reporting.record_patient_networks();
      drop table reporting.patient_networks;
      alter table reporting.fact_sets drop column part_positions;
    `);
  }
}

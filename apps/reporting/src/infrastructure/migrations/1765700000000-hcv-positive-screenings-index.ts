import { MigrationInterface, QueryRunner } from 'typeorm';
import { hcvPositiveScreeningsDdl } from '../../application/facts/fact-set.schema';

/**
 * The positive HCV screenings' index, on the fact sets still read or filled (a set made since has it from its
 * layout's DDL). An index, not a layout: the facts and cells stay as they are.
 */
export class HcvPositiveScreeningsIndex1765700000000 implements MigrationInterface {
  name = 'HcvPositiveScreeningsIndex1765700000000';

  async up(db: QueryRunner): Promise<void> {
    const sets: { schema_name: string }[] = await db.query(`select schema_name from reporting.fact_sets where status in ('ACTIVE', 'BUILDING')`);
    for (const { schema_name } of sets) await db.query(hcvPositiveScreeningsDdl(schema_name));
  }

  async down(db: QueryRunner): Promise<void> {
    const sets: { schema_name: string }[] = await db.query(`select schema_name from reporting.fact_sets where status in ('ACTIVE', 'BUILDING')`);
    for (const { schema_name } of sets) await db.query(`drop index if exists ${schema_name}.screenings_hcv_positive`);
  }
}

import { regionOf } from '@cnrms/domain-directory';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The official (INSEE) code of each network's region beside its name, so that the API can give it. Networks
 * created when the region was free text get the code their name matches, or none.
 */
export class NetworkRegionCode1763800000100 implements MigrationInterface {
  name = 'NetworkRegionCode1763800000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`alter table directory.networks add column region_code text`);
    const rows: { id: string; region: string }[] = await db.query(`select id, region from directory.networks`);
    for (const row of rows) {
      const code = regionOf(row.region)?.code;
      if (code) await db.query(`update directory.networks set region_code = $2 where id = $1`, [row.id, code]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`alter table directory.networks drop column region_code`);
  }
}

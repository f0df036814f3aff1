import { knownHistory } from '../../testing/known-history';
import { createReportingDatabase, migrationRunnerOf, ReportingDatabase } from '../../testing/reporting-database';
import { ApplierParts1765800000000 } from './1765800000000-applier-parts';

describe('migration: the appliers of a backlog in parts', () => {
  let db: ReportingDatabase;
  const networks = async () => (await db.database.pool.query(`select patient_id, network_id from reporting.patient_networks order by 1, 2`)).rows;
  const inboxInclusions = `select distinct payload->>'patientId' as patient_id, payload->>'networkId' as network_id from reporting.inbox where type = 'inclusions.PatientIncluded' order by 1, 2`;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_applier_parts');
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it("keeps every patient's networks as the inbox takes their inclusions in, and fills them from the inbox of a deployment that had none", async () => {
    const history = knownHistory();
    const half = history.findIndex((e, index) => index > history.length / 2 && e.type === 'inclusions.PatientIncluded');
    await db.feedBatch(history.slice(0, half));
    const kept = await networks();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual((await db.database.pool.query(inboxInclusions)).rows);
    // A deployment before this migration: no table yet; the migration run again fills it from the events received.
    await db.database.pool.query(`drop table reporting.patient_networks; alter table reporting.fact_sets drop column part_positions`);
    await new ApplierParts1765800000000().up(migrationRunnerOf(db.database.pool));
    expect(await networks()).toEqual(kept);
    await db.feed(history.slice(half));
    const all = await networks();
    expect(all.length).toBeGreaterThan(kept.length);
    expect(all).toEqual((await db.database.pool.query(inboxInclusions)).rows);
  });
});

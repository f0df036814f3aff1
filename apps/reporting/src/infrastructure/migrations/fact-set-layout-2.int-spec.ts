import { knownHistory } from '../../testing/known-history';
import { ask, createReportingDatabase, migrationRunnerOf, ReportingDatabase, rowsOf, totalsOf, viewers } from '../../testing/reporting-database';
import { FactSetLayout21765100000000 } from './1765100000000-fact-set-layout-2';

describe('migration to fact-set layout 2', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_layout_2');
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('upgrades the active layout-1 set in place, which then takes in treatments and attendees’ microstructures', async () => {
    const pool = db.database.pool;
    // The active set as layout 1 left it: no treatments table, no attendee microstructure.
    await pool.query(`drop table reporting_facts_1.treatments; alter table reporting_facts_1.training_attendances drop column microstructure_id; update reporting.fact_sets set layout = 1`);
    const runner = migrationRunnerOf(pool);
    await new FactSetLayout21765100000000().up(runner);
    expect((await pool.query(`select layout from reporting.fact_sets`)).rows).toEqual([{ layout: 2 }]);

    await db.feed(knownHistory());
    const unsuppressed = db.service({ suppressionThreshold: 1, cellKeyMaxPerturbation: 0 });
    expect(totalsOf(await ask(unsuppressed, viewers.national, 'hcv_treatment_uptake'))).toEqual([['2024', 1, 2, 50]]);
    expect(rowsOf(await ask(unsuppressed, viewers.national, 'training_hours_per_professional', { groupBy: ['MICROSTRUCTURE'] }))[0]).toEqual(['2024', 'ms-A1', 15.5, 2, 7.75]);
  });
});

import { knownHistory } from '../../testing/known-history';
import { FACT_SET_LAYOUT } from '../../application/facts/fact-set.schema';
import { answersFrom, asLayout, createReportingDatabase, ReportingDatabase, viewers } from '../../testing/reporting-database';
import { FactSetLayout31765300000000 } from './1765300000000-fact-set-layout-3';

describe('migration to fact-set layout 3', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_layout_3');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('gives an active layout-2 set its month cells, untagged: the team answers from them, a funder from the facts until they are tagged', async () => {
    const pool = db.database.pool;
    const cells = `select month, microstructure_id, network_id, sex, age_band, patients, psychologist_patients, psychologist_sessions, social_work_patients, social_work_interviews
      from reporting_facts_1.month_cells order by 1, 2, 3, 4, 5`;
    const before = (await pool.query(cells)).rows;
    expect(before.length).toBeGreaterThan(0);
    // The active set as layout 2 left it: no month cells (nor any later summary), then this migration and the later ones.
    await (await asLayout(pool, 2)).migrateFrom(FactSetLayout31765300000000);
    expect((await pool.query(`select layout from reporting.fact_sets`)).rows).toEqual([{ layout: FACT_SET_LAYOUT }]);
    expect((await pool.query(cells)).rows).toEqual(before);
    expect((await pool.query(`select count(*)::int as n from reporting_facts_1.month_cells where key_tag is not null or patients_keys is not null`)).rows).toEqual([{ n: 0 }]);

    const request = { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'MONTH' as const } };
    const service = db.service();
    const facts = db.service({ cells: false });
    const [cellsBefore, factsBefore] = [await answersFrom('month_cells'), await answersFrom('facts')];
    expect(await service.answer(viewers.teamA, 'active_caseload', request)).toEqual(await facts.answer(viewers.teamA, 'active_caseload', request));
    expect(await answersFrom('month_cells')).toBe(cellsBefore + 1);
    // Outside the team the key sums are needed: untagged cells send the answer to the facts, with the same figures.
    expect(await service.answer(viewers.funderAll, 'active_caseload', request)).toEqual(await facts.answer(viewers.funderAll, 'active_caseload', request));
    expect(await answersFrom('facts')).toBe(factsBefore + 3);
  });
});

import { event, knownHistory } from '../../testing/known-history';
import { FACT_SET_LAYOUT } from '../../application/facts/fact-set.schema';
import { answersFrom, asLayout, createReportingDatabase, ReportingDatabase, viewers, YEAR_2024 } from '../../testing/reporting-database';
import { FactSetLayout41765400000000 } from './1765400000000-fact-set-layout-4';

describe('migration to fact-set layout 4', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_layout_4');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('gives an active layout-3 set its patient-periods and period cells, untagged: the team answers from them, a funder from the facts until they are tagged', async () => {
    const pool = db.database.pool;
    const periods = `select * from reporting_facts_1.patient_periods order by period, microstructure_id, network_id, sex, age_band, patient_id`;
    const cells = `select period, microstructure_id, network_id, sex, age_band, patients, psychologist_patients, psychologist_sessions, social_work_patients, social_work_interviews
      from reporting_facts_1.period_cells order by 1, 2, 3, 4, 5`;
    const before = { periods: (await pool.query(periods)).rows, cells: (await pool.query(cells)).rows };
    expect(before.periods.length).toBeGreaterThan(0);
    expect(before.cells.length).toBeGreaterThan(0);
    // The active set as layout 3 left it: no patient-periods, no period cells (nor any later summary), then this migration and the later ones.
    await (await asLayout(pool, 3)).migrateFrom(FactSetLayout41765400000000);
    expect((await pool.query(`select layout from reporting.fact_sets`)).rows).toEqual([{ layout: FACT_SET_LAYOUT }]);
    // Filled from the patient-months as the consumer filled them event by event.
    expect((await pool.query(periods)).rows).toEqual(before.periods);
    expect((await pool.query(cells)).rows).toEqual(before.cells);
    expect((await pool.query(`select count(*)::int as n from reporting_facts_1.period_cells where key_tag is not null`)).rows).toEqual([{ n: 0 }]);

    const request = { period: YEAR_2024 };
    const service = db.service();
    const facts = db.service({ cells: false });
    const [cellsBefore, factsBefore] = [await answersFrom('period_cells'), await answersFrom('facts')];
    expect(await service.answer(viewers.teamA, 'active_caseload', request)).toEqual(await facts.answer(viewers.teamA, 'active_caseload', request));
    expect(await answersFrom('period_cells')).toBe(cellsBefore + 1);
    // Outside the team the key sums are needed: untagged cells send the answer to the facts, with the same figures.
    expect(await service.answer(viewers.funderAll, 'active_caseload', request)).toEqual(await facts.answer(viewers.funderAll, 'active_caseload', request));
    expect(await answersFrom('facts')).toBe(factsBefore + 3);

    // A live event (the consumer has the secret) changes p2's cells of 2024-Q1 and 2024 by difference: their key sums
    // now mix no secret and this one, so they stay untagged (the facts keep answering outside the team), and their
    // counts follow the facts.
    const placed = { patientId: 'p2', microstructureId: 'ms-A1', networkId: 'net-A' };
    await db.feedBatch([
      event('inclusions.FollowUpSessionRecorded', 'p2', {
        sessionId: 'ses-p2-after-upgrade', inclusionId: 'inc-p2', ...placed, kind: 'PSYCHOLOGIST_SESSION', heldOn: '2024-02-20', professionalId: 'pro-1', durationMinutes: 45,
        outcomes: { screenings: [], rights: [], referrals: [], treatments: [] },
      }),
    ]);
    expect((await pool.query(`select count(*)::int as n from reporting_facts_1.period_cells where key_tag is not null`)).rows).toEqual([{ n: 0 }]);
    for (const code of ['psychologist_sessions_per_patient', 'psychologist_reach']) {
      expect(await service.answer(viewers.teamA, code, request)).toEqual(await facts.answer(viewers.teamA, code, request));
      expect(await service.answer(viewers.funderAll, code, request)).toEqual(await facts.answer(viewers.funderAll, code, request));
    }
  });
});

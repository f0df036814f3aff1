import { FACT_SET_LAYOUT } from '../../application/facts/fact-set.schema';
import { event, knownHistory } from '../../testing/known-history';
import { asLayout, createReportingDatabase, ReportingDatabase, viewers, YEAR_2024 } from '../../testing/reporting-database';
import { FactSetLayout71765700000000 } from './1765700000000-fact-set-layout-7';

describe('migration to fact-set layout 7', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_layout_7');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  const keys = async () =>
    (await db.database.pool.query<{ session_id: string; keyed: boolean; tagged: boolean }>(
      `select session_id, patient_key is not null as keyed, key_tag is not null as tagged from reporting_facts_1.referrals order by 1`,
    )).rows;
  const hcvIndex = async () => (await db.database.pool.query(`select 1 from pg_indexes where schemaname = 'reporting_facts_1' and indexname = 'screenings_hcv_positive'`)).rowCount;

  it('gives a layout-6 set the referrals key columns, empty, the HCV index, the delays per network period and the referral cells; the answers are the same, and a referral recorded then carries its key', async () => {
    const pool = db.database.pool;
    // Recorded by this layout's consumer: every referral with its patient's key.
    expect((await keys()).length).toBeGreaterThan(0);
    expect((await keys()).every((row) => row.keyed && row.tagged)).toBe(true);
    const shown = { cells: db.service({ suppressionThreshold: 1 }), facts: db.service({ cells: false, suppressionThreshold: 1 }) };
    const request = { period: YEAR_2024, groupBy: ['REGION', 'PARTNER_TYPE'] };
    const before = await shown.cells.answer(viewers.funderAll, 'referrals', request);
    const delayPeriods = `select * from reporting_facts_1.first_contact_delay_periods order by 1, 2, 3`;
    const keptDelays = (await pool.query(delayPeriods)).rows;
    expect(keptDelays.length).toBeGreaterThan(0);
    const referralCells = `select period, network_id, partner_type, sex, age_band, referrals, patients from reporting_facts_1.referral_cells order by 1, 2, 3, 4, 5`;
    const referralPeriods = `select * from reporting_facts_1.referral_periods order by 1, 2, 3, 4, 5, 6`;
    const keptReferrals = { cells: (await pool.query(referralCells)).rows, periods: (await pool.query(referralPeriods)).rows };
    expect(keptReferrals.cells.length).toBeGreaterThan(0);
    const tagged = async () => Number((await pool.query(`select count(*) from reporting_facts_1.referral_cells where key_tag is not null`)).rows[0].count);
    expect(await tagged()).toBe(keptReferrals.cells.length);
    expect(before).toEqual(await shown.facts.answer(viewers.funderAll, 'referrals', request));
    expect(before.totals[0].numerator).toBeGreaterThan(0);

    await (await asLayout(pool, 6)).migrateFrom(FactSetLayout71765700000000);
    expect((await pool.query(`select layout from reporting.fact_sets`)).rows).toEqual([{ layout: FACT_SET_LAYOUT }]);
    expect(await hcvIndex()).toBe(1);
    // The quarter and year histograms, computed from the months': what the consumer kept event by event.
    expect((await pool.query(delayPeriods)).rows).toEqual(keptDelays);
    // The referral cells and patient-periods, computed from the referrals: what the consumer kept; the cells untagged (no secret).
    expect({ cells: (await pool.query(referralCells)).rows, periods: (await pool.query(referralPeriods)).rows }).toEqual(keptReferrals);
    expect(await tagged()).toBe(0);
    const byQuarter = { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'QUARTER' as const }, groupBy: ['REGION'] };
    expect(await shown.cells.answer(viewers.national, 'time_to_first_team_contact', byQuarter)).toEqual(await shown.facts.answer(viewers.national, 'time_to_first_team_contact', byQuarter));
    // No secret in a migration: the keys of the referrals it found are computed by the answers, which do not change.
    expect((await keys()).every((row) => !row.keyed && !row.tagged)).toBe(true);
    expect(await shown.cells.answer(viewers.funderAll, 'referrals', request)).toEqual(before);

    await db.feedBatch([
      event('inclusions.FollowUpSessionRecorded', 'p16', {
        sessionId: 'ses-p16-referral', inclusionId: 'inc-p16', patientId: 'p16', microstructureId: 'ms-C1', networkId: 'net-C', kind: 'GP_CONSULTATION', heldOn: '2024-10-02',
        professionalId: 'pro-1', durationMinutes: 30, outcomes: { screenings: [], rights: [], referrals: [{ partnerId: 'csapa-9', partnerType: 'CSAPA' }], treatments: [] },
      }),
    ]);
    expect((await keys()).filter((row) => row.keyed)).toEqual([{ session_id: 'ses-p16-referral', keyed: true, tagged: true }]);
    // Old referrals' keys computed, the new one's read: the same figures as from the facts, one referral more.
    const after = await shown.cells.answer(viewers.funderAll, 'referrals', request);
    expect(after).toEqual(await shown.facts.answer(viewers.funderAll, 'referrals', request));
    expect(after.totals[0].numerator).toBe(before.totals[0].numerator! + 1);
  });
});

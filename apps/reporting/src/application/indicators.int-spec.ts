import { knownHistory } from '../testing/known-history';
import { ask, createReportingDatabase, ReportingDatabase, rowsOf, totalsOf, viewers, YEAR_2024 } from '../testing/reporting-database';
import { IndicatorService } from './indicator.service';

/**
 * Every indicator against figures computed by hand from the known history (testing/known-history.ts),
 * on real PostgreSQL. A professional of both teams of net-A sees its network exactly (the team's own figures); the national
 * level and funders see small cells (fewer than 5 patients) suppressed.
 */
describe('indicators on the known history', () => {
  let db: ReportingDatabase;
  let service: IndicatorService;
  const { national, teamA } = viewers;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_indicators');
    const history = knownHistory();
    // Delivered twice (at-least-once bus): the second delivery changes nothing.
    await db.feed([...history, ...history.slice(40, 60)]);
    service = db.service();
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  describe('active_caseload (distinct patients with a contact in the period)', () => {
    it('counts 19 patients in 2024: 11 in net-A, 2 in net-B, 6 in net-C', async () => {
      // net-A: p1–p8 (ms-A1, p8 included in 2022 but seen on 2024-11-05) + p9–p11 (ms-A2); net-B: p12, p13; net-C: p14–p19.
      const answer = await ask(service, teamA, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'ms-A1', 8, null, 8],
        ['2024', 'ms-A2', 3, null, 3],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 11, null, 11]]);
      expect(answer.cells[0].dimensions[0].label).toBe('MS Strasbourg');
    });

    it('cuts by quarter', async () => {
      // Q1: p1 (Jan, Feb, M6 on 03-01), p2, p3, p4 (inclusions) = 4 in ms-A1. Q2: p1 (04-05), p5, p6, p7 in ms-A1; p9, p10 in ms-A2.
      // Q3: p1 (M12 09-01), p2 (M6 07-15, 08-01), p3 (M6 08-01), p4 (09-15) in ms-A1; p11 in ms-A2. Q4: p8 (11-05); p9 (M6 10-01, 10-15).
      const answer = await ask(service, teamA, 'active_caseload', { period: { ...YEAR_2024, granularity: 'QUARTER' }, groupBy: ['MICROSTRUCTURE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024-Q1', 'ms-A1', 4, null, 4],
        ['2024-Q2', 'ms-A1', 4, null, 4],
        ['2024-Q2', 'ms-A2', 2, null, 2],
        ['2024-Q3', 'ms-A1', 4, null, 4],
        ['2024-Q3', 'ms-A2', 1, null, 1],
        ['2024-Q4', 'ms-A1', 1, null, 1],
        ['2024-Q4', 'ms-A2', 1, null, 1],
      ]);
      expect(totalsOf(answer)).toEqual([
        ['2024-Q1', 4, null, 4],
        ['2024-Q2', 6, null, 6],
        ['2024-Q3', 5, null, 5],
        ['2024-Q4', 2, null, 2],
      ]);
    });

    it('cuts by month, by sex and by age band', async () => {
      const months = await ask(service, teamA, 'active_caseload', { period: { from: '2024-01-01', to: '2024-03-31', granularity: 'MONTH' } });
      // January: p1, p2; February: p1, p2, p3; March: p1 (M6), p4.
      expect(totalsOf(months)).toEqual([
        ['2024-01', 2, null, 2],
        ['2024-02', 3, null, 3],
        ['2024-03', 2, null, 2],
      ]);
      const bySex = await ask(service, teamA, 'active_caseload', { groupBy: ['SEX'] });
      expect(rowsOf(bySex)).toEqual([
        ['2024', 'FEMALE', 6, null, 6],
        ['2024', 'MALE', 4, null, 4],
        ['2024', 'UNKNOWN', 1, null, 1],
      ]);
      const byAge = await ask(service, teamA, 'new_inclusions', { groupBy: ['AGE_BAND'] });
      expect(rowsOf(byAge)).toEqual([
        ['2024', 'AGE_18_24', 2, null, 2],
        ['2024', 'AGE_25_34', 2, null, 2],
        ['2024', 'AGE_35_44', 2, null, 2],
        ['2024', 'AGE_45_54', 1, null, 1],
        ['2024', 'AGE_55_64', 1, null, 1],
        ['2024', 'AGE_65_PLUS', 1, null, 1],
      ]);
      expect(byAge.cells[5].dimensions[0].label).toBe('65 ans et plus');
    });
  });

  describe('structures and professionals', () => {
    it('active_regions: Grand Est only at the end of Q1 (net-C opens in July), both regions at the end of Q3 and Q4', async () => {
      const answer = await ask(service, national, 'active_regions', { period: { ...YEAR_2024, granularity: 'QUARTER' } });
      expect(totalsOf(answer).map((row) => row[1])).toEqual([1, 1, 2, 2]);
    });

    it('active_microstructures: ms-A1, ms-A2, ms-B1, ms-C1 had contacts in 2024 (ms-C2 never opened)', async () => {
      const answer = await ask(service, national, 'active_microstructures', { groupBy: ['NETWORK'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'net-A', 2, null, 2],
        ['2024', 'net-B', 1, null, 1],
        ['2024', 'net-C', 1, null, 1],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 4, null, 4]]);
    });

    it('new_microstructures: ms-B1 and ms-A2 in Q1, ms-C1 in Q3', async () => {
      const answer = await ask(service, national, 'new_microstructures', { period: { ...YEAR_2024, granularity: 'QUARTER' } });
      expect(totalsOf(answer).map((row) => row[1])).toEqual([2, 0, 1, 0]);
    });

    it('involved_gps: the seven treating GPs of the patients active in 2024', async () => {
      const answer = await ask(service, national, 'involved_gps', { groupBy: ['NETWORK'] });
      // net-A: gp-1 (p1, p2, p5, p8), gp-2 (p3, p4), gp-3 (p6, p7), gp-4 (p9–p11); net-B: gp-5; net-C: gp-6, gp-7.
      expect(rowsOf(answer)).toEqual([
        ['2024', 'net-A', 4, null, 4],
        ['2024', 'net-B', 1, null, 1],
        ['2024', 'net-C', 2, null, 2],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 7, null, 7]]);
    });

    it('meetings_held: meetings per open microstructure-month (the cancelled one does not count)', async () => {
      // ms-A1: 3 meetings over 12 open months; ms-A2: 0 over 10 (March–December); ms-B1: 0 over 9 (January–September); ms-C1: 1 over 6.
      const answer = await ask(service, national, 'meetings_held', { groupBy: ['MICROSTRUCTURE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'ms-A1', 3, 12, 0.25],
        ['2024', 'ms-A2', 0, 10, 0],
        ['2024', 'ms-B1', 0, 9, 0],
        ['2024', 'ms-C1', 1, 6, 0.17],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 4, 37, 0.11]]);
      // Above the microstructure (meetings placed by their network): the same figures, and by month the months open.
      expect(totalsOf(await ask(service, national, 'meetings_held', { groupBy: ['REGION'] }))).toEqual([['2024', 4, 37, 0.11]]);
      const byMonth = await ask(service, national, 'meetings_held', { period: { from: '2024-09-01', to: '2024-10-31', granularity: 'MONTH' } });
      // September: ms-A1, ms-A2, ms-B1 (closing on the 30th) and ms-C1 open; October: ms-B1 closed.
      expect(totalsOf(byMonth).map(([period, , denominator]) => [period, denominator])).toEqual([['2024-09', 4], ['2024-10', 3]]);
    });
  });

  describe('follow-up', () => {
    it('new_inclusions and reinclusions', async () => {
      expect(rowsOf(await ask(service, teamA, 'new_inclusions', { groupBy: ['MICROSTRUCTURE'] }))).toEqual([
        ['2024', 'ms-A1', 6, null, 6],
        ['2024', 'ms-A2', 3, null, 3],
      ]);
      expect(totalsOf(await ask(service, teamA, 'reinclusions'))).toEqual([['2024', 1, null, 1]]);
    });

    it('psychologist and social-work reach and intensity, across the country', async () => {
      // Nationally without perturbation (D = 0: the SQL's figures); the published ones are checked in disclosure-control.int-spec.ts.
      const exact = db.service({ cellKeyMaxPerturbation: 0 });
      // Psychologist: p1 (2 sessions), p2, p4, p7, p9 (4), p13, p15 = 7 patients, 11 sessions; social work: p1, p2, p3, p10, p14, p18 = 6 patients, 6 interviews.
      expect(totalsOf(await ask(exact, national, 'psychologist_reach'))).toEqual([['2024', 7, 19, 36.8]]);
      expect(totalsOf(await ask(exact, national, 'psychologist_sessions_per_patient'))).toEqual([['2024', 11, 7, 1.57]]);
      expect(totalsOf(await ask(exact, national, 'social_worker_reach'))).toEqual([['2024', 6, 19, 31.6]]);
      expect(totalsOf(await ask(exact, national, 'social_work_interviews_per_patient'))).toEqual([['2024', 6, 6, 1]]);
    });

    it('time_to_first_team_contact: median days, inclusions still without a contact beside it', async () => {
      const exact = db.service({ cellKeyMaxPerturbation: 0 });
      // Days: p2 17, p3 10, p4 30, p7 14, p9 7, p10 16 (net-A); p13 5 (net-B); p14 5, p15 10, p18 9 (net-C). 10 of 17 inclusions have one.
      // All: 5 5 7 9 10 10 14 16 17 30 → 10. net-A: 7 10 14 16 17 30 → 15.
      expect(totalsOf(await ask(exact, national, 'time_to_first_team_contact'))).toEqual([['2024', 10, 17, 10]]);
      expect(totalsOf(await ask(service, teamA, 'time_to_first_team_contact'))).toEqual([['2024', 6, 9, 15]]);
    });

    it('patients_reviewed_share at the period’s end, over the 6 months before it', async () => {
      // At 2024-03-31 in net-A: p1, p2, p3, p4, p8 active; p1 (01-25), p2 and p3 (03-20) reviewed → 3/5.
      // At 2024-12-31 in net-A: p1 p3 p4 p6 p7 p8 p9 p10 p11 active (p2 and p5 exited); p4 and p8 reviewed on 11-20 → 2/9.
      const answer = await ask(service, teamA, 'patients_reviewed_share', { period: { ...YEAR_2024, granularity: 'QUARTER' } });
      expect(totalsOf(answer)[0]).toEqual(['2024-Q1', 3, 5, 60]);
      expect(totalsOf(answer)[3]).toEqual(['2024-Q4', 2, 9, 22.2]);
    });

    it('lost_to_follow_up: active at the end without a contact in the last 6 calendar months', async () => {
      // 15 patients active at 2024-12-31; p6 (last contact 05-20), p7 (06-15), p10 (05-01) had none from July on.
      expect(totalsOf(await ask(service, teamA, 'lost_to_follow_up'))).toEqual([['2024', 3, 9, 33.3]]);
    });

    it('exit_reasons: the share of each reason among the period’s exits', async () => {
      // net-A: p2 GOALS_REACHED (10-31), p5 LOST_TO_FOLLOW_UP (06-30).
      const answer = await ask(service, teamA, 'exit_reasons', { groupBy: ['EXIT_REASON'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'GOALS_REACHED', 1, 2, 50],
        ['2024', 'LOST_TO_FOLLOW_UP', 1, 2, 50],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 2, 2, 100]]);
    });

    it('referrals per patient of the caseload, by partner type', async () => {
      // p4 → CSAPA, p7 → CAARUD; net-A caseload 11.
      const answer = await ask(service, teamA, 'referrals', { groupBy: ['PARTNER_TYPE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'CAARUD', 1, 11, 0.09],
        ['2024', 'CSAPA', 1, 11, 0.09],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 2, 11, 0.18]]);
      expect(totalsOf(await ask(service, teamA, 'referrals', { filter: { partnerTypes: ['CSAPA'] } }))).toEqual([['2024', 1, 11, 0.09]]);
    });
  });

  describe('outcomes', () => {
    it('hcv_screening_acceptance over the 12 months ending with the period', async () => {
      // net-A: p2 DONE, p3 PROPOSED → 1/2. Everywhere: p2, p14 DONE; p3, p15 PROPOSED → 2/4 (hidden nationally: fewer than 5).
      expect(totalsOf(await ask(service, teamA, 'hcv_screening_acceptance'))).toEqual([['2024', 1, 2, 50]]);
      expect(totalsOf(await ask(service, national, 'hcv_screening_acceptance'))).toEqual([['2024', 'hidden']]);
    });

    it('screened_within_12m and rights_opened_within_12m over the 2024 inclusions', async () => {
      // Screenings done: p2 (HCV), p6 (HIV), p14 (HCV) → 3/17. Rights granted: p2 (CSS), p10 (AME) → 2/17.
      expect(totalsOf(await ask(service, national, 'screened_within_12m'))).toEqual([['2024', 'hidden']]);
      expect(totalsOf(await ask(service, teamA, 'screened_within_12m'))).toEqual([['2024', 2, 9, 22.2]]);
      expect(totalsOf(await ask(service, teamA, 'rights_opened_within_12m'))).toEqual([['2024', 2, 9, 22.2]]);
      const unsuppressed = db.service({ suppressionThreshold: 2, cellKeyMaxPerturbation: 0 });
      expect(totalsOf(await ask(unsuppressed, national, 'screened_within_12m'))).toEqual([['2024', 3, 17, 17.6]]);
      expect(totalsOf(await ask(unsuppressed, national, 'rights_opened_within_12m'))).toEqual([['2024', 2, 17, 11.8]]);
    });

    it('substance_use_change at 6 and 12 months, quality_of_life_change at 12 months, by inclusion cohort', async () => {
      // 2024 cohort with M6: p2 (5 − 25), p3 (30 − 30), p9 (2 − 12) → −30/3. 2023 cohort: p1 M6 10 − 20, M12 5 − 20, quality of life 70 − 40.
      expect(totalsOf(await ask(service, teamA, 'substance_use_change'))).toEqual([['2024', -30, 3, -10]]);
      const period2023 = { from: '2023-01-01', to: '2023-12-31', granularity: 'YEAR' as const };
      expect(totalsOf(await ask(service, teamA, 'substance_use_change', { period: period2023 }))).toEqual([['2023', -10, 1, -10]]);
      expect(totalsOf(await ask(service, teamA, 'substance_use_change_12m', { period: period2023 }))).toEqual([['2023', -15, 1, -15]]);
      expect(totalsOf(await ask(service, teamA, 'quality_of_life_change', { period: period2023 }))).toEqual([['2023', 30, 1, 30]]);
    });

    it('retention_6m and retention_12m at the query date (2025-03-15)', async () => {
      // 6 months: 2024 inclusions up to 2024-09-15 — net-A p2 p3 p4 p5 p6 p7 p9 p10 p11 (9); a contact 182 days on: p2, p3 (08-01, exactly), p4, p9 → 4/9.
      expect(totalsOf(await ask(service, teamA, 'retention_6m'))).toEqual([['2024', 4, 9, 44.4]]);
      // Everywhere: 16 old enough (p19 is not), the same 4 retained → hidden nationally (4 < 5).
      expect(totalsOf(await ask(service, national, 'retention_6m'))).toEqual([['2024', 'hidden']]);
      expect(totalsOf(await ask(db.service({ suppressionThreshold: 2, cellKeyMaxPerturbation: 0 }), national, 'retention_6m'))).toEqual([['2024', 4, 16, 25]]);
      // 12 months: included up to 2024-03-15 — p2, p3, p4, p12, p13; none seen 365 days on → 0/5 (a zero is not suppressed).
      // Published nationally: a count of 0 is hidden like a small count (a hidden cell must not tell that someone is there).
      expect(totalsOf(await ask(service, national, 'retention_12m'))).toEqual([['2024', 'hidden']]);
      // A year later, everything is old enough.
      expect(totalsOf(await ask(db.service({}, '2026-01-01'), teamA, 'retention_12m'))).toEqual([['2024', 0, 9, 0]]);
    });

    it('training_hours_per_professional: attended hours over the professionals member in the period', async () => {
      // net-A: pro-a1 6 + 3.5, pro-a2 6 → 15.5 h over pro-a1, pro-a2, pro-a3 (pro-a4 left at the end of 2023) → 5.17; net-C: 2 h, pro-c1 → 2.
      const answer = await ask(service, national, 'training_hours_per_professional', { groupBy: ['NETWORK'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'net-A', 15.5, 3, 5.17],
        ['2024', 'net-C', 2, 1, 2],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 17.5, 4, 4.38]]);
      const period2023 = { from: '2023-01-01', to: '2023-12-31', granularity: 'YEAR' as const };
      // 2023: pro-a4's 7 h over pro-a1, pro-a2, pro-a4.
      expect(totalsOf(await ask(service, national, 'training_hours_per_professional', { period: period2023 }))).toEqual([['2023', 7, 3, 2.33]]);
    });

    it('training_hours_per_professional by microstructure: the attendee’s microstructure that day (AttendanceRecorded v2)', async () => {
      // ms-A1: pro-a1 6 + 3.5, pro-a2 6 → 15.5 h over pro-a1, pro-a2 → 7.75; ms-A2: pro-a3, no hours → 0; ms-C1: 2 h, pro-c1 → 2.
      const answer = await ask(service, national, 'training_hours_per_professional', { groupBy: ['MICROSTRUCTURE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'ms-A1', 15.5, 2, 7.75],
        ['2024', 'ms-A2', 0, 1, 0],
        ['2024', 'ms-C1', 2, 1, 2],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 17.5, 4, 4.38]]);
    });

    it('hcv_treatment_uptake: RNA-positive patients of the 12 months ending with the period, treated in them', async () => {
      // RNA positive: p2 (net-A, treatment started at the same session), p14 (net-C, none) → 1/2 (hidden nationally: fewer than 5).
      const answer = await ask(service, national, 'hcv_treatment_uptake');
      expect(answer.indicator).toMatchObject({ available: true, unavailableReason: null });
      expect(totalsOf(answer)).toEqual([['2024', 'hidden']]);
      const unsuppressed = db.service({ suppressionThreshold: 1, cellKeyMaxPerturbation: 0 });
      expect(totalsOf(await ask(unsuppressed, national, 'hcv_treatment_uptake'))).toEqual([['2024', 1, 2, 50]]);
      expect(rowsOf(await ask(unsuppressed, national, 'hcv_treatment_uptake', { groupBy: ['NETWORK'] }))).toEqual([
        ['2024', 'net-A', 1, 1, 100],
        ['2024', 'net-C', 0, 1, 0],
      ]);
      expect(totalsOf(await ask(service, teamA, 'hcv_treatment_uptake'))).toEqual([['2024', 1, 1, 100]]);
    });
  });

  describe('per-patient packages', () => {
    it('counts a package per patient with at least 2 contacts in the year, at the configured amount', async () => {
      // net-A: p1 (5 contacts), p2 (5), p3 (3), p4 (3), p6 (2), p7 (2), p9 (6), p10 (2) — not p5, p8, p11 (1 each).
      const answer = await ask(service, teamA, 'package_payments', { groupBy: ['MICROSTRUCTURE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'ms-A1', 6, null, 3168],
        ['2024', 'ms-A2', 2, null, 1056],
      ]);
      expect(totalsOf(answer)).toEqual([['2024', 8, null, 4224]]);
      expect(totalsOf(await ask(db.service({ packageMinContacts: 3, packageAmountEuros: 528.5 }), teamA, 'package_payments'))).toEqual([['2024', 5, null, 2642.5]]);
    });

    it('gives a funder of every network the total, and hides the small networks with a partner in the same region', async () => {
      // net-A 8, net-B 2 (p12, p13), net-C 4 (p14, p15, p17, p18) → B and C small; A hidden beside B (Grand Est); total 14.
      const answer = await ask(service, viewers.funderAll, 'package_payments', { groupBy: ['NETWORK'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'net-A', 'hidden'],
        ['2024', 'net-B', 'hidden'],
        ['2024', 'net-C', 'hidden'],
      ]);
      // Cell key method: net-C's 4 is published below 5 (small); net-B's 2 may be perturbed up to 5 (it then says nothing exact)
      // and is hidden beside C anyway; A beside B in the region. The total is a cell of its own: 14 within ±3, times 528 €.
      expect(answer.cells[2].suppression).toBe('SMALL_CELL');
      expect(answer.cells.slice(0, 2).every((cell) => cell.suppression !== null)).toBe(true);
      const [[, packages, , amount]] = totalsOf(answer) as [string, number, null, number][];
      expect([Math.abs(packages - 14) <= 3, amount]).toEqual([true, packages * 528]);
    });

    it('refuses a monthly package count', async () => {
      await expect(ask(service, teamA, 'package_payments', { period: { ...YEAR_2024, granularity: 'MONTH' } })).rejects.toMatchObject({ code: 'UNSUPPORTED_GRANULARITY' });
    });
  });

  it('states the date up to which events were taken into account', async () => {
    const answer = await ask(service, national, 'active_caseload');
    const history = knownHistory();
    expect(answer.eventsUpTo).toBe(history[history.length - 1].occurredAt);
    expect(answer.asOf).toBe('2025-03-15');
  });
});

import { FACT_SET_LAYOUT } from '../../application/facts/fact-set.schema';
import { event, knownHistory } from '../../testing/known-history';
import { answersFrom, asLayout, createReportingDatabase, ReportingDatabase, viewers, YEAR_2024 } from '../../testing/reporting-database';
import { FactSetLayout61765600000000 } from './1765600000000-fact-set-layout-6';

describe('migration to fact-set layout 6', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_layout_6');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('gives an active layout-5 set the treating GPs spans and the networks counts of microstructures the consumer keeps, and the answers above the microstructure read them', async () => {
    const pool = db.database.pool;
    const summaries = {
      spans: `select network_id, treating_gp_id, to_char(from_on, 'YYYY-MM-DD') as from_on, to_char(to_on, 'YYYY-MM-DD') as to_on from reporting_facts_1.treating_gp_spans order by 1, 2, 3`,
      microstructures: `select * from reporting_facts_1.network_microstructures order by 1, 2`,
    };
    const read = async () => Object.fromEntries(await Promise.all(Object.entries(summaries).map(async ([name, sql]) => [name, (await pool.query(sql)).rows])));
    const before = await read();
    for (const rows of Object.values(before) as unknown[][]) expect(rows.length).toBeGreaterThan(0);

    await (await asLayout(pool, 5)).migrateFrom(FactSetLayout61765600000000);
    expect((await pool.query(`select layout from reporting.fact_sets`)).rows).toEqual([{ layout: FACT_SET_LAYOUT }]);
    // Computed from the inclusions and the cells: what the consumer kept event by event.
    expect(await read()).toEqual(before);

    const request = { period: YEAR_2024 };
    const service = db.service();
    const facts = db.service({ cells: false });
    for (const [code, source] of [['involved_gps', 'treating_gp_spans'], ['active_microstructures', 'network_microstructures']] as const) {
      const used = await answersFrom(source);
      const answer = await service.answer(viewers.national, code, { ...request, groupBy: ['REGION'] });
      expect(answer).toEqual(await facts.answer(viewers.national, code, { ...request, groupBy: ['REGION'] }));
      expect(answer.totals[0].value).toBeGreaterThan(0);
      expect(await answersFrom(source)).toBe(used + 1);
    }

    // Unsuppressed (the history's figures are small), from the cells when they can and from the facts.
    const shown = { cells: db.service({ suppressionThreshold: 1 }), facts: db.service({ cells: false, suppressionThreshold: 1 }) };
    const autumn = { period: { from: '2024-09-01', to: '2024-11-30', granularity: 'MONTH' as const } };
    // The HCV screening windows need the outcome window: none after the migration (the answers read the facts), all
    // of them from the first live transaction (it has the window); then a recorded screening updates its patient's.
    const windows = `select (select window_months from reporting_facts_1.hcv_screening_window) as window_months, (select count(*)::int from reporting_facts_1.hcv_screening_windows) as rows`;
    expect((await pool.query(windows)).rows).toEqual([{ window_months: null, rows: 0 }]);
    // The inclusion cells' retention counts need the retention's days: none yet, so the funder's retention reads the facts.
    expect((await pool.query(`select count(*)::int as n from reporting_facts_1.inclusion_cells where retention_6m_days is not null or retained_6m > 0`)).rows).toEqual([{ n: 0 }]);
    const factsBeforeRetention = await answersFrom('facts');
    expect(await shown.cells.answer(viewers.funderAll, 'retention_6m', request)).toEqual(await shown.facts.answer(viewers.funderAll, 'retention_6m', request));
    expect(await answersFrom('facts')).toBe(factsBeforeRetention + 2);
    // The package cells likewise need the packages' threshold.
    const packages = `select (select min_contacts from reporting_facts_1.package_rule) as min_contacts, (select coalesce(sum(packages), 0)::int from reporting_facts_1.package_cells) as packages`;
    expect((await pool.query(packages)).rows).toEqual([{ min_contacts: null, packages: 0 }]);
    const hcv = (viewer: typeof viewers.national) =>
      Promise.all([shown.cells.answer(viewer, 'hcv_screening_acceptance', autumn), shown.facts.answer(viewer, 'hcv_screening_acceptance', autumn)]);
    const fromFacts = await answersFrom('facts');
    const [untouched, expected] = await hcv(viewers.national);
    expect(untouched).toEqual(expected);
    expect(await answersFrom('facts')).toBe(fromFacts + 2);
    // gp-5's two patients (p12, p13) both left on 30 September: one span. p13's exit recorded again, a month later,
    // stretches it; October's figure then counts gp-5, from the spans as from the facts.
    const spansOf = async (gp: string) =>
      (await pool.query(`select to_char(from_on, 'YYYY-MM-DD') as from_on, to_char(to_on, 'YYYY-MM-DD') as to_on from reporting_facts_1.treating_gp_spans where treating_gp_id = $1 order by 1`, [gp])).rows;
    expect(await spansOf('gp-5')).toEqual([{ from_on: '2024-02-01', to_on: '2024-09-30' }]);
    await db.feedBatch([
      event('inclusions.ExitRecorded', 'p13', { inclusionId: 'inc-p13', patientId: 'p13', microstructureId: 'ms-B1', networkId: 'net-B', exitedOn: '2024-10-31', reason: 'MOVED' }),
    ]);
    expect(await spansOf('gp-5')).toEqual([{ from_on: '2024-02-01', to_on: '2024-10-31' }]);
    expect((await pool.query(windows)).rows).toEqual([{ window_months: 12, rows: expect.any(Number) }]);
    expect((await pool.query(packages)).rows).toEqual([{ min_contacts: 2, packages: expect.any(Number) }]);
    expect((await pool.query(packages)).rows[0].packages).toBeGreaterThan(0);
    const year = { period: YEAR_2024, groupBy: ['NETWORK'] };
    const fromPackageCells = await answersFrom('package_cells');
    expect(await shown.cells.answer(viewers.national, 'package_payments', year)).toEqual(await shown.facts.answer(viewers.national, 'package_payments', year));
    expect(await answersFrom('package_cells')).toBe(fromPackageCells + 1);
    const rowsBefore = (await pool.query(windows)).rows[0].rows as number;
    expect(rowsBefore).toBeGreaterThan(0);
    const byMonth = { period: { from: '2024-09-01', to: '2024-11-30', granularity: 'MONTH' as const } };
    const answer = await service.answer(viewers.national, 'involved_gps', byMonth);
    expect(answer).toEqual(await facts.answer(viewers.national, 'involved_gps', byMonth));
    // September and October count gp-5, November no more.
    expect(answer.totals[1].value! - answer.totals[2].value!).toBeGreaterThanOrEqual(1);

    await db.feedBatch([
      event('inclusions.FollowUpSessionRecorded', 'p16', {
        sessionId: 'ses-p16-hcv', inclusionId: 'inc-p16', patientId: 'p16', microstructureId: 'ms-C1', networkId: 'net-C', kind: 'GP_CONSULTATION', heldOn: '2024-10-02', professionalId: 'pro-1',
        durationMinutes: 30, outcomes: { screenings: [{ disease: 'HCV', status: 'DONE' }], rights: [], referrals: [], treatments: [] },
      }),
    ]);
    // p16's rows: the windows ending in October 2024 to September 2025 (twelve months).
    expect((await pool.query(windows)).rows).toEqual([{ window_months: 12, rows: rowsBefore + 12 }]);
    const fromWindows = await answersFrom('hcv_screening_cells');
    const [after, now] = await hcv(viewers.national);
    expect(after).toEqual(now);
    expect(await answersFrom('hcv_screening_cells')).toBe(fromWindows + 1);
    // p16's screening done in October raises October's and November's shares, not September's.
    expect(after.totals[0].value).toBe(untouched.totals[0].value);
    expect(after.totals[1].value!).toBeGreaterThan(untouched.totals[1].value!);
    expect(after.totals[2].value!).toBeGreaterThan(untouched.totals[2].value!);
  });
});

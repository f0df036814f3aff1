import { FACT_SET_LAYOUT } from '../../application/facts/fact-set.schema';
import { event, knownHistory } from '../../testing/known-history';
import { answersFrom, asLayout, createReportingDatabase, ReportingDatabase, viewers, YEAR_2024 } from '../../testing/reporting-database';
import { FactSetLayout51765500000000 } from './1765500000000-fact-set-layout-5';

describe('migration to fact-set layout 5', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_layout_5');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('gives an active layout-4 set its network cells, tagged as their cells are, and its inclusion cells, untagged: a funder reads the facts for those until a transaction with the secret and the window recomputes a cell', async () => {
    const pool = db.database.pool;
    const summaries = {
      network: `select period, network_id, sex, age_band, patients, psychologist_patients, psychologist_sessions, social_work_patients, social_work_interviews, shared_patients
        from reporting_facts_1.network_cells order by 1, 2, 3, 4`,
      inclusion: `select month, network_id, sex, age_band, inclusions, reinclusions, first_team_contacts, m6_assessed, m6_days_of_use_change, m12_assessed, m12_days_of_use_change,
        quality_of_life_assessed, quality_of_life_change from reporting_facts_1.inclusion_cells order by 1, 2, 3, 4`,
      delays: `select * from reporting_facts_1.first_contact_delays order by 1, 2, 3, 4, 5`,
      exits: `select month, network_id, sex, age_band, exit_reason, exits from reporting_facts_1.exit_cells order by 1, 2, 3, 4, 5`,
      patientPeriods: `select * from reporting_facts_1.patient_periods order by period, microstructure_id, network_id, sex, age_band, patient_id`,
    };
    const read = async () => Object.fromEntries(await Promise.all(Object.entries(summaries).map(async ([name, sql]) => [name, (await pool.query(sql)).rows])));
    const before = await read();
    for (const rows of Object.values(before) as unknown[][]) expect(rows.length).toBeGreaterThan(0);

    // The active set as layout 4 left it: no network, inclusion, delay or exit cells, no contacts in the patient-periods.
    await (await asLayout(pool, 4)).migrateFrom(FactSetLayout51765500000000);
    expect((await pool.query(`select layout from reporting.fact_sets`)).rows).toEqual([{ layout: FACT_SET_LAYOUT }]);
    // Computed from the cells and inclusions as the consumer kept them event by event. The network cells sum key sums
    // made with the specs' secret (the month and period cells were tagged): tagged alike. The inclusion and exit cells'
    // key sums and window counts need the secret and the window, which a migration has not.
    expect(await read()).toEqual(before);
    const untagged = `select (select count(*) from reporting_facts_1.network_cells where key_tag is null)::int as network,
      (select count(*) from reporting_facts_1.inclusion_cells where key_tag is not null or outcome_window_months is not null)::int + (select count(*) from reporting_facts_1.exit_cells where key_tag is not null)::int as inclusion`;
    expect((await pool.query(untagged)).rows).toEqual([{ network: 0, inclusion: 0 }]);

    const request = { period: YEAR_2024 };
    const service = db.service();
    const facts = db.service({ cells: false });
    const fromPeriodCells = await answersFrom('period_cells');
    expect(await service.answer(viewers.funderAll, 'active_caseload', request)).toEqual(await facts.answer(viewers.funderAll, 'active_caseload', request));
    expect(await answersFrom('period_cells')).toBe(fromPeriodCells + 1);
    for (const code of ['new_inclusions', 'screened_within_12m', 'exit_reasons', 'time_to_first_team_contact']) {
      const factsBefore = await answersFrom('facts');
      expect(await service.answer(viewers.funderAll, code, request)).toEqual(await facts.answer(viewers.funderAll, code, request));
      // Both answers from the facts: the cells' key sums are not those of the secret the funder's figures publish with.
      expect(await answersFrom('facts')).toBe(factsBefore + 2);
    }

    // A live exit (the consumer has the secret and the window) recomputes p5's inclusion cell and exit cells: those
    // are tagged now, with the same figures; the untouched ones stay untagged.
    await db.feedBatch([
      event('inclusions.ExitRecorded', 'p5', { inclusionId: 'inc-p5', patientId: 'p5', microstructureId: 'ms-A1', networkId: 'net-A', exitedOn: '2024-07-31', reason: 'MOVED' }),
    ]);
    const cellsOfP5 = `select i.key_tag is not null and i.outcome_window_months = 12 as inclusion, (select bool_and(e.key_tag is not null) from reporting_facts_1.exit_cells e
        where e.network_id = 'net-A' and e.sex = 'FEMALE' and e.age_band = 'AGE_18_24' and e.month = '2024-07-01') as exit
      from reporting_facts_1.inclusion_cells i where i.month = '2024-04-01' and i.network_id = 'net-A' and i.sex = 'FEMALE' and i.age_band = 'AGE_18_24'`;
    expect((await pool.query(cellsOfP5)).rows).toEqual([{ inclusion: true, exit: true }]);
    expect(Number((await pool.query(`select count(*) as n from reporting_facts_1.inclusion_cells where key_tag is null`)).rows[0].n)).toBeGreaterThan(0);
    // The June exit cell p5 left is recomputed too: gone if p5 was its only exit.
    expect(
      (await pool.query(`select exits from reporting_facts_1.exit_cells where network_id = 'net-A' and sex = 'FEMALE' and age_band = 'AGE_18_24' and month = '2024-06-01' and exit_reason = 'LOST_TO_FOLLOW_UP'`)).rows,
    ).toEqual([]);
    for (const code of ['new_inclusions', 'exit_reasons']) {
      expect(await service.answer(viewers.teamA, code, request)).toEqual(await facts.answer(viewers.teamA, code, request));
      expect(await service.answer(viewers.funderAll, code, request)).toEqual(await facts.answer(viewers.funderAll, code, request));
    }
    // The month-end rows: none after the migration (no horizon, those answers read the facts); the live exit's
    // transaction, which has the windows, computed them all, from the first inclusion's month to the last contact's.
    expect((await pool.query(`select to_char(month, 'YYYY-MM') as month from reporting_facts_1.month_end_horizon`)).rows).toEqual([{ month: '2024-11' }]);
    // By month up to the horizon from the cells; December, after it, sends the answer to the facts.
    const toNovember = { period: { from: '2024-01-01', to: '2024-11-30', granularity: 'MONTH' as const } };
    for (const code of ['lost_to_follow_up', 'patients_reviewed_share']) {
      const fromMonthEnds = await answersFrom('month_end_cells');
      expect(await service.answer(viewers.funderAll, code, toNovember)).toEqual(await facts.answer(viewers.funderAll, code, toNovember));
      expect(await answersFrom('month_end_cells')).toBe(fromMonthEnds + 1);
      expect(await service.answer(viewers.funderAll, code, request)).toEqual(await facts.answer(viewers.funderAll, code, request));
      expect(await answersFrom('month_end_cells')).toBe(fromMonthEnds + 1);
    }
  });
});

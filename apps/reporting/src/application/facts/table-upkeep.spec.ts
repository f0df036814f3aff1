import { TableActivity, upkeepSteps } from './table-upkeep';

const table = (name: string, activity: Partial<TableActivity>): TableActivity => ({
  schema: 'reporting_facts_1',
  table: name,
  liveRows: 100_000,
  deadRows: 0,
  modifiedSinceAnalyze: 0,
  insertedSinceVacuum: 0,
  autovacuum: false,
  ...activity,
});

describe('upkeepSteps: what a table needs when the server’s autovacuum is off', () => {
  it('given tables autovacuum takes care of, whatever their activity, when asked, then nothing', () => {
    expect(upkeepSteps([table('sessions', { autovacuum: true, deadRows: 90_000, modifiedSinceAnalyze: 90_000, insertedSinceVacuum: 90_000 })])).toEqual([]);
  });

  it('given a table changed by more than a tenth of its rows (and 50) since its last analyze, when asked, then an analyze', () => {
    expect(upkeepSteps([table('period_cells', { modifiedSinceAnalyze: 10_051 }), table('month_cells', { modifiedSinceAnalyze: 10_050 })])).toEqual([
      { schema: 'reporting_facts_1', table: 'period_cells', action: 'analyze' },
    ]);
  });

  it('given an empty table that has just been filled, when asked, then an analyze (and a vacuum past 1,000 rows inserted)', () => {
    expect(upkeepSteps([table('inclusions', { liveRows: 0, modifiedSinceAnalyze: 60 })])).toEqual([{ schema: 'reporting_facts_1', table: 'inclusions', action: 'analyze' }]);
    expect(upkeepSteps([table('inclusions', { liveRows: 0, modifiedSinceAnalyze: 1_001, insertedSinceVacuum: 1_001 })])).toEqual([
      { schema: 'reporting_facts_1', table: 'inclusions', action: 'vacuum (analyze)' },
    ]);
  });

  it('given dead row versions past a fifth of the rows, or inserts past a fifth and 1,000, when asked, then a vacuum that also analyzes, before the analyzes', () => {
    const steps = upkeepSteps([
      table('month_ends', { modifiedSinceAnalyze: 50_000 }),
      table('patient_periods', { deadRows: 20_051 }),
      table('inbox', { schema: 'reporting', insertedSinceVacuum: 21_001 }),
      table('sessions', { deadRows: 20_050, insertedSinceVacuum: 21_000 }),
    ]);
    expect(steps).toEqual([
      { schema: 'reporting_facts_1', table: 'patient_periods', action: 'vacuum (analyze)' },
      { schema: 'reporting', table: 'inbox', action: 'vacuum (analyze)' },
      { schema: 'reporting_facts_1', table: 'month_ends', action: 'analyze' },
    ]);
  });
});

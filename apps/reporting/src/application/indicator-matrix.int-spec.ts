import { Granularity, INDICATORS } from '@cnrms/domain-reporting';
import { knownHistory } from '../testing/known-history';
import { ask, createReportingDatabase, ReportingDatabase, totalsOf, viewers } from '../testing/reporting-database';
import { IndicatorService } from './indicator.service';

/** Every available indicator, by every dimension it supports and every granularity: it answers, and its totals do not depend on the grouping. */
describe('every indicator, every grouping', () => {
  let db: ReportingDatabase;
  let service: IndicatorService;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_matrix');
    await db.feed(knownHistory());
    service = db.service();
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  const cases = INDICATORS.filter((i) => i.available).flatMap((indicator) => indicator.granularities.map((granularity) => [indicator.code, granularity] as const));

  it.each(cases)('%s by %s', async (code, granularity) => {
    const period = { from: '2024-01-01', to: '2024-12-31', granularity: granularity as Granularity };
    const indicator = INDICATORS.find((i) => i.code === code)!;
    const ungrouped = totalsOf(await ask(service, viewers.teamA, code, { period }));
    expect(ungrouped).toHaveLength(granularity === 'YEAR' ? 1 : granularity === 'QUARTER' ? 4 : 12);
    for (const dimension of indicator.dimensions) {
      const grouped = await ask(service, viewers.teamA, code, { period, groupBy: [dimension] });
      expect({ dimension, totals: totalsOf(grouped) }).toEqual({ dimension, totals: ungrouped });
      for (const cell of grouped.cells) expect(cell.dimensions.map((d) => d.dimension)).toEqual([dimension]);
      // The national view of the same grouping answers too, suppressed where needed.
      await ask(service, viewers.national, code, { period, groupBy: [dimension] });
    }
    if (indicator.dimensions.length >= 2) {
      const [first, second] = indicator.dimensions;
      expect(totalsOf(await ask(service, viewers.teamA, code, { period, groupBy: [first, second] }))).toEqual(ungrouped);
    }
  });
});

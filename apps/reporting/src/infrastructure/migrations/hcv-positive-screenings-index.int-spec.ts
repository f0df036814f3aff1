import { knownHistory } from '../../testing/known-history';
import { createReportingDatabase, migrationRunnerOf, ReportingDatabase, viewers, YEAR_2024 } from '../../testing/reporting-database';
import { HcvPositiveScreeningsIndex1765700000000 } from './1765700000000-hcv-positive-screenings-index';

describe('migration adding the positive HCV screenings index', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_hcv_index');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  const indexes = async () =>
    (await db.database.pool.query<{ indexdef: string }>(`select indexdef from pg_indexes where schemaname = 'reporting_facts_1' and indexname = 'screenings_hcv_positive'`)).rows.map((row) => row.indexdef);

  it('gives a set made before it the index (a new set has it from its layout), undoes it, and changes no answer', async () => {
    expect(await indexes()).toHaveLength(1);
    const service = db.service({ suppressionThreshold: 1 });
    const request = { period: YEAR_2024, groupBy: ['REGION'] };
    const before = await service.answer(viewers.national, 'hcv_treatment_uptake', request);

    const migration = new HcvPositiveScreeningsIndex1765700000000();
    await migration.down(migrationRunnerOf(db.database.pool));
    expect(await indexes()).toEqual([]);
    await migration.up(migrationRunnerOf(db.database.pool));
    expect(await indexes()).toEqual([expect.stringMatching(/\(held_on\) WHERE \(\(disease = 'HCV'::text\) AND \(result = 'RNA_POSITIVE'::text\)\)$/)]);
    // Run again (a set already given it): nothing to do.
    await migration.up(migrationRunnerOf(db.database.pool));
    expect(await indexes()).toHaveLength(1);

    expect(await service.answer(viewers.national, 'hcv_treatment_uptake', request)).toEqual(before);
  });
});

import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { runUpkeep, tableActivity, upkeepSteps } from './table-upkeep';

/** Against the machine's PostgreSQL: the activity read from its statistics, and the upkeep run on the tables autovacuum leaves alone. */
describe('table upkeep on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('table_upkeep');
    await db.pool.query(`create schema facts;
      create table facts.left_alone (id int primary key, n int) with (autovacuum_enabled = false);
      create table facts.looked_after (id int primary key, n int);
      insert into facts.left_alone select g, 0 from generate_series(1, 5000) g;
      insert into facts.looked_after select g, 0 from generate_series(1, 5000) g;
      update facts.left_alone set n = 1 where id <= 2000;`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** The statistics reach the collector shortly after a transaction ends: read until `until` holds (a bounded wait on progress, not a delay). */
  async function activityWhen(until: (tables: Awaited<ReturnType<typeof tableActivity>>) => boolean) {
    for (let attempt = 0; ; attempt++) {
      const tables = await tableActivity(db.pool, ['facts']);
      if (until(tables) || attempt > 300) return tables;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('reads each table’s rows, changes and autovacuum; vacuums and analyzes the one autovacuum leaves alone, and only that one', async () => {
    const before = await activityWhen((tables) => tables.find((t) => t.table === 'left_alone')?.deadRows === 2000);
    const leftAlone = before.find((t) => t.table === 'left_alone')!;
    expect(leftAlone).toMatchObject({ schema: 'facts', liveRows: 5000, deadRows: 2000, insertedSinceVacuum: 5000, modifiedSinceAnalyze: 7000, autovacuum: false });
    // This machine's server may run autovacuum or not: the table whose own setting is on follows the server's.
    const server = (await db.pool.query<{ on: boolean }>(`select current_setting('autovacuum')::boolean as on`)).rows[0].on;
    expect(before.find((t) => t.table === 'looked_after')!.autovacuum).toBe(server);

    const steps = upkeepSteps(before).filter((step) => step.table === 'left_alone');
    expect(steps).toEqual([{ schema: 'facts', table: 'left_alone', action: 'vacuum (analyze)' }]);
    const done: string[] = [];
    await runUpkeep(db.pool, steps, (step) => done.push(`${step.action} ${step.schema}.${step.table}`));
    expect(done).toEqual(['vacuum (analyze) facts.left_alone']);

    const after = (await activityWhen((tables) => tables.find((t) => t.table === 'left_alone')?.deadRows === 0)).find((t) => t.table === 'left_alone')!;
    expect(after).toMatchObject({ deadRows: 0, modifiedSinceAnalyze: 0, insertedSinceVacuum: 0 });
    expect(upkeepSteps([after])).toEqual([]);
  });
});

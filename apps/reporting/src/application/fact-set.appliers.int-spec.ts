import { IntegrationEvent } from '@cnrms/messaging';
import pino from 'pino';
import { reportingSettings } from '../config';
import { generatedHistory } from '../testing/generated-history';
import { createReportingDatabase, ReportingDatabase } from '../testing/reporting-database';
import { FactSetAppliers } from './fact-set.appliers';
import { networkPart } from './facts/network-parts';
import { applyNextRange } from './facts/part-appliers';

/** The service's appliers: woken by the intake's notification, they apply a backlog in parts until the set is caught up. */
describe("reporting service's appliers", () => {
  let db: ReportingDatabase;
  let appliers: FactSetAppliers | undefined;
  const settings = { ...reportingSettings({}), applierParts: 2 };
  const history = generatedHistory({ name: 'appliers', seed: 11, networks: 4, microstructuresPerNetwork: 2, patients: 60 }).events;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_appliers');
  });

  afterAll(async () => {
    await appliers?.onModuleDestroy();
    await db?.database.drop();
  });

  const state = async () =>
    (await db.database.pool.query<{ position: string; last: string; applied: string }>(
      `select position::text, (select max(seq)::text from reporting.inbox) as last, events_applied::text as applied from reporting.fact_sets where status = 'ACTIVE'`,
    )).rows[0];

  /** Takes the events in as the consumer does a large batch: into the inbox only, the appliers notified. */
  const takeIn = (events: readonly IntegrationEvent[]) => db.takeIn(events, 0);

  /** Resolves once the set's position reaches the inbox's end, as long as it keeps moving (fails after 30 s without progress). */
  const caughtUp = async () => {
    for (let last = '', still = Date.now(); ; ) {
      const now = await state();
      if (now.position === now.last) return now;
      if (now.position !== last) [last, still] = [now.position, Date.now()];
      if (Date.now() - still > 30_000) throw new Error(`the appliers stopped at ${now.position} of ${now.last}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('applies what the intake leaves them, woken by it, and counts every event once', async () => {
    appliers = new FactSetAppliers(db.database.pool, pino({ level: 'silent' }), settings);
    await appliers.onApplicationBootstrap();
    const half = Math.floor(history.length / 2);
    await takeIn(history.slice(0, half));
    expect((await caughtUp()).applied).toBe(String(half));
    await takeIn(history.slice(half));
    const done = await caughtUp();
    expect(done.applied).toBe(String(history.length));
    const inclusions = history.filter((e) => e.type === 'inclusions.PatientIncluded').length;
    expect((await db.database.pool.query(`select count(*)::int as n from reporting_facts_1.inclusions`)).rows[0].n).toBe(inclusions);
  });

  it('leaves a backlog to the rebuild filling the next set, whose switch applies it', async () => {
    await appliers?.onModuleDestroy();
    appliers = undefined;
    const more = generatedHistory({ name: 'appliers-more', seed: 12, networks: 2, microstructuresPerNetwork: 1, patients: 10 }).events;
    await takeIn(more);
    const part = networkPart(0, 1);
    await db.database.pool.query(`insert into reporting.fact_sets (version, schema_name, layout, status) values (99, 'reporting_facts_99', 0, 'BUILDING')`);
    expect(await applyNextRange(db.database.pool, part, { ...settings, span: 1_000_000 })).toBe(0);
    await db.database.pool.query(`delete from reporting.fact_sets where version = 99`);
    expect(await applyNextRange(db.database.pool, part, { ...settings, span: 1_000_000 })).toBeGreaterThan(0);
    const done = await state();
    expect(done).toEqual({ position: done.last, last: done.last, applied: String(history.length + more.length) });
  });
});

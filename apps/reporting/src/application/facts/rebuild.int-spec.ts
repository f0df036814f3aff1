import { platformContracts } from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { reportingSettings } from '../../config';
import { knownHistory } from '../../testing/known-history';
import { ask, createReportingDatabase, FACT_TABLES, ReportingDatabase, totalsOf, viewers } from '../../testing/reporting-database';
import { activeFactSet, cellWritingOf } from './fact-sets';
import { lastRebuild, rebuildFacts, RebuildProgress } from './rebuild';

const registry = platformContracts();
function newPatient(n: number): IntegrationEvent {
  const payload = {
    inclusionId: `inc-new-${n}`, patientId: `p-new-${n}`, microstructureId: 'ms-A1', networkId: 'net-A', includedOn: '2024-12-01', reasons: ['ADDICTION'], reinclusion: false, sex: 'FEMALE', ageBand: 'AGE_25_34',
    initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: [], daysOfUseLast30: 0 }, teamConsent: true, partnerSharingCount: 0, treatingGpId: 'gp-1',
  };
  const decoded = registry.decode('inclusions.PatientIncluded', 1, payload);
  if (decoded.kind !== 'accepted') throw new Error('bad test event');
  return { eventId: `new-${n}`, type: 'inclusions.PatientIncluded', version: 1, topic: 'inclusions.inclusion.v1', key: `p-new-${n}`, payload: decoded.payload, correlationId: 'c', causationId: null, occurredAt: new Date(Date.UTC(2025, 1, 1, 0, 0, n)).toISOString(), networkId: 'net-A' };
}

describe('rebuild of the fact tables', () => {
  let db: ReportingDatabase;
  const caseload = async () => totalsOf(await ask(db.service(), viewers.teamA, 'active_caseload'))[0][1];

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_rebuild');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('rebuilds every fact from the inbox into a new set while queries read the old one, takes in the events that arrive meanwhile, then switches', async () => {
    const codes = ['active_caseload', 'women_share', 'meetings_held', 'retention_6m', 'package_payments', 'training_hours_per_professional', 'referrals', 'hcv_treatment_uptake'];
    const before = await db.service().answers(viewers.teamA, codes, { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'YEAR' }, groupBy: ['NETWORK'] });
    expect(await caseload()).toBe(11);
    const progress: RebuildProgress[] = [];
    const duringRebuild: unknown[] = [];
    const done = await rebuildFacts(db.database.pool, {
      batchSize: 25,
      ...cellWritingOf(reportingSettings({})),
      onProgress: async (p) => {
        progress.push(p);
        if (progress.length === 1) {
          // Mid-rebuild: the old set still answers, a live event lands in it (and in the inbox).
          duringRebuild.push((await activeFactSet(db.database.pool))?.version, await caseload());
          await db.feed([newPatient(1)]);
          duringRebuild.push(await caseload());
        }
      },
    });
    expect(duringRebuild).toEqual([1, 11, 12]);
    expect(done).toMatchObject({ version: 2, status: 'ACTIVE', secondsLeft: 0, error: null });
    expect(done.eventsDone).toBe(Number((await db.database.pool.query('select count(*) from reporting.inbox')).rows[0].count));
    expect(progress[0]).toMatchObject({ status: 'BUILDING', eventsDone: 25 });
    expect(progress[0].eventsTotal).toBeGreaterThan(50);
    expect(progress[0].ratePerSecond).toBeGreaterThan(0);
    expect((await activeFactSet(db.database.pool))?.version).toBe(2);

    // Set-based (rebuild) and event by event (live) give the same facts, table by table.
    for (const table of FACT_TABLES) {
      const differences = await db.database.pool.query(
        `(select * from reporting_facts_1.${table} except all select * from reporting_facts_2.${table}) union all (select * from reporting_facts_2.${table} except all select * from reporting_facts_1.${table})`,
      );
      expect({ table, differences: differences.rows }).toEqual({ table, differences: [] });
      expect(Number((await db.database.pool.query(`select count(*) from reporting_facts_2.${table}`)).rows[0].count)).toBeGreaterThan(0);
    }

    // The new set answers what the old one did, plus the patient who arrived during the rebuild.
    expect(await caseload()).toBe(12);
    await db.feed([newPatient(1)].map((e) => ({ ...e, eventId: 'new-1' })));
    const after = await db.service().answers(viewers.teamA, codes, { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'YEAR' }, groupBy: ['NETWORK'] });
    const withoutNewPatient = (answers: typeof after) => answers.filter((a) => !['active_caseload', 'women_share', 'package_payments', 'referrals', 'retention_6m'].includes(a.indicator.code)).map((a) => [a.cells, a.totals]);
    expect(withoutNewPatient(after)).toEqual(withoutNewPatient(before));
    expect(totalsOf(after[0])).toEqual([['2024', 12, null, 12]]);

    // Live events after the switch go to the new set.
    await db.feed([newPatient(2)]);
    expect(await caseload()).toBe(13);
    expect(await lastRebuild(db.database.pool)).toMatchObject({ version: 2, status: 'ACTIVE' });
  });

  it('keeps the retired set until the next rebuild, which drops it; one rebuild at a time', async () => {
    const schemas = async () => (await db.database.pool.query(`select schema_name from information_schema.schemata where schema_name like 'reporting_facts_%' order by 1`)).rows.map((r) => r.schema_name);
    expect(await schemas()).toEqual(['reporting_facts_1', 'reporting_facts_2']);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = rebuildFacts(db.database.pool, { batchSize: 10, onStarted: () => started(), onProgress: () => gate });
    await running;
    await expect(rebuildFacts(db.database.pool)).rejects.toMatchObject({ code: 'REBUILD_ALREADY_RUNNING', message: 'Une reconstruction des indicateurs est déjà en cours.' });
    open();
    await first;
    expect(await schemas()).toEqual(['reporting_facts_2', 'reporting_facts_3']);
    expect(await caseload()).toBe(13);
  });
});

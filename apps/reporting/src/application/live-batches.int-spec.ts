import { IntegrationEvent } from '@cnrms/messaging';
import { generatedHistory } from '../testing/generated-history';
import { knownHistory } from '../testing/known-history';
import { createReportingDatabase, FACT_TABLES, ReportingDatabase, viewers } from '../testing/reporting-database';

/** A seeded sequence of batch sizes from 1 to 500, as a bus delivers them (a read batch, a Kafka chunk). */
function batchSizes(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % 500);
  };
}

/**
 * The live consumer's batch path (`recordIntegrationEvents`, `feedBatch`: the inbox in one statement, the facts by
 * `applyRange`) against the event-by-event path (`recordIntegrationEvent`, `feed`), on the same histories: the
 * same inbox, the same position, the same rows in every fact table, the same answers.
 */
describe('reporting consumer: a delivered batch at once', () => {
  let oneByOne: ReportingDatabase;
  let batched: ReportingDatabase;
  const history = [...knownHistory(), ...generatedHistory({ name: 'batches', seed: 7, networks: 3, microstructuresPerNetwork: 3, patients: 150 }).events];

  beforeAll(async () => {
    [oneByOne, batched] = await Promise.all([createReportingDatabase('reporting_one_by_one'), createReportingDatabase('reporting_batched')]);
    await oneByOne.feed(history);
    const size = batchSizes(15);
    for (let start = 0; start < history.length; ) {
      const batch: IntegrationEvent[] = history.slice(start, start + size());
      start += batch.length;
      await batched.feedBatch(batch);
    }
  });

  afterAll(async () => {
    await Promise.all([oneByOne?.database.drop(), batched?.database.drop()]);
  });

  const rows = (db: ReportingDatabase, sql: string) => db.database.pool.query(sql).then((result) => result.rows);

  it('keeps the same inbox and moves the active set to the same position', async () => {
    const inbox = `select seq, event_id, type, version, topic, payload from reporting.inbox order by seq`;
    expect(await rows(batched, inbox)).toEqual(await rows(oneByOne, inbox));
    const position = `select position, events_applied, last_event_at from reporting.fact_sets where status = 'ACTIVE'`;
    const [expected] = await rows(oneByOne, position);
    expect(Number(expected.events_applied)).toBe(history.length);
    expect(await rows(batched, position)).toEqual([expected]);
  });

  it.each(FACT_TABLES)('gives the same rows in %s', async (table) => {
    const all = `select * from reporting_facts_1.${table} t order by t::text`;
    const expected = await rows(oneByOne, all);
    expect(expected.length).toBeGreaterThan(0);
    expect(await rows(batched, all)).toEqual(expected);
  });

  it('answers the same figures', async () => {
    const codes = ['active_caseload', 'women_share', 'new_inclusions', 'psychologist_reach', 'meetings_held', 'retention_6m', 'time_to_first_team_contact', 'referrals', 'training_hours_per_professional'];
    const request = { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'QUARTER' as const }, groupBy: ['NETWORK'] };
    expect(await batched.service().answers(viewers.national, codes, request)).toEqual(await oneByOne.service().answers(viewers.national, codes, request));
  });

  it('changes nothing when a batch is delivered again, nor when an event comes twice in one batch', async () => {
    const counts = `select (select count(*) from reporting.inbox) as inbox, (select sum(contacts) from reporting_facts_1.patient_months) as contacts,
      (select events_applied from reporting.fact_sets where status = 'ACTIVE') as applied`;
    const before = await rows(batched, counts);
    const again = history.slice(100, 400);
    await batched.feedBatch([...again, again[0]]);
    expect(await rows(batched, counts)).toEqual(before);
  });
});

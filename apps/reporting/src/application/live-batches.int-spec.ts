import { IntegrationEvent } from '@cnrms/messaging';
import { generatedHistory } from '../testing/generated-history';
import { event, knownHistory } from '../testing/known-history';
import { createReportingDatabase, FACT_TABLES, ReportingDatabase, viewers } from '../testing/reporting-database';
import { networkPartSql } from './facts/network-parts';
import { HORIZON_AHEAD_MONTHS } from './facts/part-appliers';
import { extendMonthEndsSql } from './facts/month-end-cells';
import { prepareFactWrites } from './facts/fact-sets';
import { reportingSettings } from '../config';

/** A seeded sequence of batch sizes from 1 to 500, as a bus delivers them (a read batch, a Kafka chunk). */
function batchSizes(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % 500);
  };
}

/** The history's first patient included again, with a session, in a microstructure of each of the other networks. */
function includedInEveryNetwork(events: readonly IntegrationEvent[]): IntegrationEvent[] {
  const payloadOf = (type: string) => events.find((e) => e.type === type)!.payload as Record<string, unknown>;
  const [inclusion, session] = [payloadOf('inclusions.PatientIncluded'), payloadOf('inclusions.FollowUpSessionRecorded')];
  const microstructures = new Map(
    events.filter((e) => e.type === 'directory.MicrostructureCreated').map((e) => e.payload as { networkId: string; microstructureId: string }).map((ms) => [ms.networkId, ms]),
  );
  return [...microstructures.values()]
    .filter((ms) => ms.networkId !== inclusion.networkId)
    .flatMap(({ networkId, microstructureId }, i) => {
      const placed = { patientId: inclusion.patientId, microstructureId, networkId, inclusionId: `${inclusion.inclusionId}-also-${i}` };
      return [
        { ...event('inclusions.PatientIncluded', String(inclusion.patientId), { ...inclusion, ...placed, reinclusion: false }), eventId: `${placed.inclusionId}-included` },
        {
          ...event('inclusions.FollowUpSessionRecorded', String(inclusion.patientId), { ...session, ...placed, sessionId: `${placed.inclusionId}-session`, heldOn: inclusion.includedOn }),
          eventId: `${placed.inclusionId}-session`,
        },
      ];
    });
}

/**
 * The live consumer's batch path (`recordIntegrationEvents`, `feedBatch`: the inbox in one statement, the facts by
 * `applyRange`) and its appliers (`part-appliers.ts`: the inbox taken in first, then applied by three parts of the
 * networks side by side, in short ranges) against the event-by-event path (`recordIntegrationEvent`, `feed`), on the
 * same histories: the same inbox, the same position, the same rows in every fact table, the same answers.
 */
describe('reporting consumer: a delivered batch at once, a backlog in parts', () => {
  let oneByOne: ReportingDatabase;
  let batched: ReportingDatabase;
  let parted: ReportingDatabase;
  // Six networks, so that three parts each have some, and a patient included in every one of them (event ids of their
  // own: the known history's and the generated one's are counted from the same start).
  const generated = generatedHistory({ name: 'batches', seed: 7, networks: 6, microstructuresPerNetwork: 2, patients: 150 }).events;
  const history = [...knownHistory(), ...[...generated, ...includedInEveryNetwork(generated)].map((e) => ({ ...e, eventId: `generated-${e.eventId}` }))];

  beforeAll(async () => {
    [oneByOne, batched, parted] = await Promise.all([createReportingDatabase('reporting_one_by_one'), createReportingDatabase('reporting_batched'), createReportingDatabase('reporting_parted')]);
    await oneByOne.feed(history);
    const size = batchSizes(15);
    for (let start = 0; start < history.length; ) {
      const batch: IntegrationEvent[] = history.slice(start, start + size());
      start += batch.length;
      await batched.feedBatch(batch);
    }
    await parted.feedThroughAppliers(history, { parts: 3, span: 150, batch: 400 });
  });

  afterAll(async () => {
    await Promise.all([oneByOne?.database.drop(), batched?.database.drop(), parted?.database.drop()]);
  });

  it('applied the backlog in three parts, one of its patients in networks of two', async () => {
    const [set] = await rows(parted, `select part_positions::text[] as parts, position::text from reporting.fact_sets where status = 'ACTIVE'`);
    expect(set.parts).toEqual([set.position, set.position, set.position]);
    const networks = await rows(parted, `select ${networkPartSql('id', 3)} as part, count(*)::int as n from reporting_facts_1.networks group by 1 order by 1`);
    expect(networks.map((row) => row.part)).toEqual([0, 1, 2]);
    // A patient included in networks of two parts: what makes a transaction run alone.
    const across = await rows(parted, `select patient_id from reporting.patient_networks group by patient_id having count(distinct ${networkPartSql('network_id', 3)}) > 1`);
    expect(across.length).toBeGreaterThan(0);
  });

  const rows = (db: ReportingDatabase, sql: string) => db.database.pool.query(sql).then((result) => result.rows);

  const paths = () => [['in batches', batched], ['in parts', parted]] as const;

  it('keeps the same inbox and moves the active set to the same position', async () => {
    const inbox = `select seq, event_id, type, version, topic, payload from reporting.inbox order by seq`;
    const position = `select position, events_applied, last_event_at from reporting.fact_sets where status = 'ACTIVE'`;
    const [expected] = await rows(oneByOne, position);
    expect(Number(expected.events_applied)).toBe(history.length);
    for (const [, db] of paths()) {
      expect(await rows(db, inbox)).toEqual(await rows(oneByOne, inbox));
      expect(await rows(db, position)).toEqual([expected]);
    }
  });

  // The appliers move the month-end horizon a few months past the last contact (`HORIZON_AHEAD_MONTHS`): the rows up to
  // the last contact's month compared here, the months after it by the property test (`cells.property.int-spec.ts`).
  const MONTH_END_TABLES: readonly string[] = ['month_ends', 'month_end_cells', 'month_end_horizon'];

  it.each(FACT_TABLES.filter((table) => !MONTH_END_TABLES.includes(table)))('gives the same rows in %s', async (table) => {
    const all = `select * from reporting_facts_1.${table} t order by t::text`;
    const expected = await rows(oneByOne, all);
    expect(expected.length).toBeGreaterThan(0);
    for (const [path, db] of paths()) expect({ path, rows: await rows(db, all) }).toEqual({ path, rows: expected });
  });

  it.each(['month_ends', 'month_end_cells'])('gives the same rows in %s up to the last month with a contact, and the horizon months after it', async (table) => {
    const upToLastContact = `select * from reporting_facts_1.${table} t where month <= (select max(month) from reporting_facts_1.patient_months) order by t::text`;
    const expected = await rows(oneByOne, upToLastContact);
    expect(expected.length).toBeGreaterThan(0);
    for (const [path, db] of paths()) expect({ path, rows: await rows(db, upToLastContact) }).toEqual({ path, rows: expected });
    const horizon = `select month::text from reporting_facts_1.month_end_horizon`;
    expect(await rows(batched, horizon)).toEqual(await rows(oneByOne, horizon));
    const [{ month }] = await rows(oneByOne, horizon);
    expect(await rows(parted, horizon)).toEqual([{ month: new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + HORIZON_AHEAD_MONTHS, 1)).toISOString().slice(0, 10) }]);
  });

  it('keeps the months the appliers materialised ahead as the facts have them at the end', async () => {
    // The event-by-event set's month ends extended, now, to the appliers' horizon: computed from the final facts.
    const [{ month }] = await rows(parted, `select month::text from reporting_facts_1.month_end_horizon`);
    const tx = await oneByOne.database.pool.connect();
    try {
      await tx.query('begin');
      await prepareFactWrites(tx, reportingSettings({}));
      for (const sql of extendMonthEndsSql('reporting_facts_1', { through: `'${month}'::date` })) await tx.query(sql);
      await tx.query('commit');
    } finally {
      tx.release();
    }
    for (const table of MONTH_END_TABLES) {
      const all = `select * from reporting_facts_1.${table} t order by t::text`;
      const expected = await rows(oneByOne, all);
      expect({ table, rows: await rows(parted, all) }).toEqual({ table, rows: expected });
    }
    const ahead = await rows(oneByOne, `select count(*)::int as n from reporting_facts_1.month_ends where month > (select max(month) from reporting_facts_1.patient_months)`);
    expect(ahead[0].n).toBeGreaterThan(0);
  });

  it('answers the same figures', async () => {
    const codes = ['active_caseload', 'women_share', 'new_inclusions', 'psychologist_reach', 'meetings_held', 'retention_6m', 'time_to_first_team_contact', 'referrals', 'training_hours_per_professional'];
    const request = { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'QUARTER' as const }, groupBy: ['NETWORK'] };
    const expected = await oneByOne.service().answers(viewers.national, codes, request);
    for (const [, db] of paths()) expect(await db.service().answers(viewers.national, codes, request)).toEqual(expected);
  });

  it('applies a small batch at once when the set is caught up, and leaves a large one or a later one to the appliers', async () => {
    const more = generatedHistory({ name: 'more', seed: 8, networks: 2, microstructuresPerNetwork: 1, patients: 20 }).events;
    const state = async () => (await rows(parted, `select position::text, (select max(seq)::text from reporting.inbox) as last from reporting.fact_sets where status = 'ACTIVE'`))[0];
    await parted.takeIn(more.slice(0, 10));
    const atOnce = await state();
    expect(atOnce.position).toBe(atOnce.last);
    await parted.takeIn(more.slice(10, 20), 10);
    await parted.takeIn(more.slice(20, 25));
    const left = await state();
    expect(left.position).toBe(atOnce.last);
    expect(Number(left.last)).toBe(Number(atOnce.last) + 15);
    await parted.drain();
    const drained = await state();
    expect(drained.position).toBe(left.last);
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

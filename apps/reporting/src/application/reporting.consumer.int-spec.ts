import { platformContracts } from '@cnrms/contracts';
import { Consumer, DeadLetter, IntegrationEvent, PostgresMessageBus } from '@cnrms/messaging';
import { knownHistory } from '../testing/known-history';
import { ask, createReportingDatabase, ReportingDatabase, totalsOf, viewers } from '../testing/reporting-database';
import { reportingConsumer } from './reporting.consumer';

/** The consumer on the embedded bus (the PostgreSQL log), as the service runs it (a delivered batch at once, event by event after a failure). */
describe('reporting consumer on the PostgreSQL bus', () => {
  let db: ReportingDatabase;
  let bus: PostgresMessageBus;
  let consumer: Consumer;
  const deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_consumer');
    bus = new PostgresMessageBus({ pool: db.database.pool, registry: platformContracts(), idleMs: 20 });
    await bus.ensureTopics([]);
    consumer = await bus.subscribe({
      group: 'reporting',
      topics: reportingConsumer.topics,
      pool: db.database.pool,
      schema: 'reporting',
      handler: (event, tx) => reportingConsumer.handle(event, tx),
      batchHandler: (events, tx) => reportingConsumer.handleBatch!(events, tx),
      handlersRecordEventIds: reportingConsumer.recordsEventIds,
      retryDelayMs: 5,
      onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
    await db?.database.drop();
  });

  const inboxCount = async () => Number((await db.database.pool.query('select count(*) from reporting.inbox')).rows[0].count);
  async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('goes past a malformed event (dead-lettered) and an unknown version (parked with its reason), and applies the rest', async () => {
    const history = knownHistory();
    const malformed: IntegrationEvent = { ...history.find((e) => e.type === 'inclusions.PatientIncluded')!, eventId: 'bad-1', payload: { patientId: 'x' } };
    const newer: IntegrationEvent = { ...history.find((e) => e.type === 'meetings.MeetingHeld')!, eventId: 'v2-1', version: 2 };
    await bus.publish([malformed, newer, ...history]);
    await until(async () => (await inboxCount()) === history.length);
    expect(deadLetters).toEqual([expect.objectContaining({ group: 'reporting', eventId: 'bad-1', reason: expect.stringContaining('does not match its contract') })]);
    const parked = (await db.database.pool.query('select event_id, reason from reporting.messaging_parked')).rows;
    expect(parked).toEqual([{ event_id: 'v2-1', reason: 'meetings.MeetingHeld v2 is newer than the v1 this service knows' }]);
    expect(totalsOf(await ask(db.service(), viewers.teamA, 'active_caseload'))).toEqual([['2024', 11, null, 11]]);
  });

  it('puts each published event in the facts: the figures asked to include its command count it', async () => {
    const event = knownHistory().find((e) => e.type === 'inclusions.PatientIncluded')!;
    for (let n = 1; n <= 3; n++) {
      const payload = { ...(event.payload as object), inclusionId: `inc-fresh-${n}`, patientId: `p-fresh-${n}`, includedOn: '2024-06-01' };
      await bus.publish([{ ...event, eventId: `fresh-${n}`, key: `p-fresh-${n}`, payload, commandId: `cmd-fresh-${n}` }]);
      const answer = await ask(db.service({ includeWaitMs: 60_000 }), viewers.teamA, 'active_caseload', { includingCommand: `cmd-fresh-${n}` });
      expect(totalsOf(answer)[0][1]).toBe(11 + n);
    }
  });

  it('takes an event published twice once, by its inbox alone (the bus keeps no processed ids for reporting)', async () => {
    const event = knownHistory().find((e) => e.type === 'inclusions.PatientIncluded')!;
    const payload = { ...(event.payload as object), inclusionId: 'inc-twice', patientId: 'p-twice', includedOn: '2024-06-01' };
    const twice: IntegrationEvent = { ...event, eventId: 'twice-1', key: 'p-twice', payload, commandId: 'cmd-twice' };
    await bus.publish([twice]);
    await bus.publish([twice, { ...twice, eventId: 'twice-2', commandId: 'cmd-after-twice', payload: { ...payload, inclusionId: 'inc-after-twice', patientId: 'p-after-twice' } }]);
    // The figures that include the event published after the second copy have seen both copies.
    const answer = await ask(db.service({ includeWaitMs: 60_000 }), viewers.teamA, 'active_caseload', { includingCommand: 'cmd-after-twice' });
    expect(totalsOf(answer)[0][1]).toBe(11 + 3 + 2);
    expect((await db.database.pool.query(`select count(*)::int as n from reporting.inbox where event_id = 'twice-1'`)).rows[0].n).toBe(1);
    expect((await db.database.pool.query(`select count(*)::int as n from reporting.messaging_processed where consumer_group = 'reporting'`)).rows[0].n).toBe(0);
  });
});

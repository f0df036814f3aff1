import { IntegrationEvent } from '@cnrms/messaging';
import { knownHistory } from '../testing/known-history';
import { ask, createReportingDatabase, ReportingDatabase, totalsOf, viewers } from '../testing/reporting-database';

/**
 * « The figures that include my change »: a client that recorded something with a command id asks the
 * indicators with `includingCommand`, and the answer waits until reporting has applied what that command
 * recorded, instead of the client polling a clock.
 */
describe('indicators that include a client’s command', () => {
  let db: ReportingDatabase;
  const included = knownHistory().find((event) => event.type === 'inclusions.PatientIncluded')!;
  /** A new patient included in ms-A1 during 2024, recorded by the client's command `commandId`. */
  const inclusionBy = (commandId: string, n: number): IntegrationEvent => ({
    ...included,
    eventId: `including-${n}`,
    key: `p-including-${n}`,
    commandId,
    payload: { ...(included.payload as object), inclusionId: `inc-including-${n}`, patientId: `p-including-${n}`, microstructureId: 'ms-A1', networkId: 'net-A', includedOn: '2024-06-01' },
  });
  const caseload = (commandId?: string) => ask(db.service({ includeWaitMs: 60_000 }), viewers.teamA, 'new_inclusions', { includingCommand: commandId });

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_including_command');
    await db.feed(knownHistory());
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('answers at once with a command already applied, and its figures include it', async () => {
    const [[, before]] = totalsOf(await caseload());
    await db.feed([inclusionBy('cmd-applied', 1)]);
    const [[, after]] = totalsOf(await caseload('cmd-applied'));
    expect(after).toBe(Number(before) + 1);
    const inbox = await db.database.pool.query(`select command_id from reporting.inbox where event_id = 'including-1'`);
    expect(inbox.rows).toEqual([{ command_id: 'cmd-applied' }]);
  });

  it('waits for a command still on its way, then answers with it', async () => {
    const [[, before]] = totalsOf(await caseload());
    let answered = false;
    const waiting = caseload('cmd-on-its-way').then((answer) => {
      answered = true;
      return answer;
    });
    // The answer waits for the event: it has not come when the event is applied below (the query polls the inbox).
    await db.database.pool.query('select pg_sleep(0.05)');
    expect(answered).toBe(false);
    await db.feed([inclusionBy('cmd-on-its-way', 2)]);
    const [[, after]] = totalsOf(await waiting);
    expect(after).toBe(Number(before) + 1);
  });

  it('refuses with REPORTING_BEHIND, a French message and what it waited for, a command that never arrives', async () => {
    const service = db.service({ includeWaitMs: 30 });
    await expect(service.answers(viewers.teamA, ['new_inclusions', 'active_caseload'], { period: { from: '2024-01-01', to: '2024-12-31', granularity: 'YEAR' }, includingCommand: 'cmd-never' })).rejects.toMatchObject({
      code: 'REPORTING_BEHIND',
      message: expect.stringContaining('n’incluent pas encore la modification attendue'),
      details: { commandId: 'cmd-never', waitedMs: 30 },
    });
  });

  it('refuses an empty or oversized command id with INVALID_COMMAND_ID', async () => {
    await expect(caseload('  ')).rejects.toMatchObject({ code: 'INVALID_COMMAND_ID' });
    await expect(caseload('x'.repeat(201))).rejects.toMatchObject({ code: 'INVALID_COMMAND_ID' });
  });

  it('keeps the command id of events received in a batch too', async () => {
    const [[, before]] = totalsOf(await caseload());
    await db.feedBatch([inclusionBy('cmd-batch', 3), inclusionBy('cmd-batch', 4)]);
    const [[, after]] = totalsOf(await caseload('cmd-batch'));
    const inbox = await db.database.pool.query(`select count(*)::int as n from reporting.inbox where command_id = 'cmd-batch'`);
    expect(inbox.rows).toEqual([{ n: 2 }]);
    expect(after).toBe(Number(before) + 2);
  });
});

import { platformContracts } from '@cnrms/contracts';
import { PostgresMessageBus } from '@cnrms/messaging';
import { knownHistory } from '../../testing/known-history';
import { ask, createReportingDatabase, ReportingDatabase, totalsOf, viewers } from '../../testing/reporting-database';
import { backfillInboxFromBus } from './backfill';
import { rebuildFacts } from './rebuild';

describe('rebuild from the embedded bus’s log written in bulk', () => {
  let db: ReportingDatabase;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_backfill');
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  it('copies the known events of the log into the inbox once, leaves a newer version to the consumer, and a rebuild computes the indicators', async () => {
    const bus = new PostgresMessageBus({ pool: db.database.pool, registry: platformContracts() });
    const history = knownHistory();
    const newer = { ...history.find((e) => e.type === 'meetings.MeetingHeld')!, eventId: 'v2-1', version: 2 };
    await bus.publish([...history, newer]);
    await bus.close();
    expect(await backfillInboxFromBus(db.database.pool)).toBe(history.length);
    expect(await backfillInboxFromBus(db.database.pool)).toBe(0);
    expect(totalsOf(await ask(db.service(), viewers.teamA, 'active_caseload'))).toEqual([['2024', 0, null, 0]]);
    await rebuildFacts(db.database.pool);
    expect(totalsOf(await ask(db.service(), viewers.teamA, 'active_caseload'))).toEqual([['2024', 11, null, 11]]);
  });
});

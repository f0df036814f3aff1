import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { testEvent } from '../store/event-store.contract';
import { RecordedEvent } from '../store/event-store.port';
import { requestProjectionRebuilds } from './checkpoint-store';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Counts deposits per account; one row per applied event, so a double apply shows. */
class DepositsProjection implements Projection {
  readonly name = 'deposits';
  readonly categories = ['account'];
  failOnAmount?: number;

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const { amount } = event.data as { amount: number };
    await manager.query('insert into app.deposits (event_id, stream_id, amount) values ($1, $2, $3)', [event.metadata.eventId, event.streamId, amount]);
    if (amount === this.failOnAmount) throw new Error(`projection crashed on ${amount}`);
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('delete from app.deposits');
  }
}

describe('ProjectionRunner on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];

  const newRunner = (projection: Projection) => {
    const runner = new ProjectionRunner({ store, dataSource, schema: 'app', retryDelayMs: 50 }).register(projection);
    runners.push(runner);
    return runner;
  };
  const deposit = (account: string, ...amounts: number[]) => store.appendToStream(`account-${account}`, amounts.map((amount) => testEvent('Deposited', { amount })));
  const rows = async () => (await dataSource.query('select amount from app.deposits order by amount')).map((r: { amount: number }) => r.amount);

  beforeEach(async () => {
    database = await createTestDatabase('projection_runner');
    store = new PostgresEventStore({ pool: database.pool, schema: 'app', idleMs: 20 });
    await store.migrate();
    dataSource = new DataSource({ type: 'postgres', url: database.url });
    await dataSource.initialize();
    await dataSource.query('create table app.deposits (event_id uuid primary key, stream_id text not null, amount int not null)');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('applies the events of its categories and stores its checkpoint', async () => {
    await deposit('a', 1, 2);
    await store.appendToStream('ledger-x', [testEvent('Ignored', { amount: 99 })]);
    const last = await deposit('b', 3);
    const runner = newRunner(new DepositsProjection());
    await runner.start();
    await runner.waitFor('deposits', last.position);
    expect(await rows()).toEqual([1, 2, 3]);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'deposits', running: true, behind: 0 });
  });

  it('rebuilds from zero at its next start when a rebuild was requested while it was stopped (events removed from the store)', async () => {
    await deposit('a', 1, 2);
    const first = newRunner(new DepositsProjection());
    await first.start();
    await first.waitFor('deposits', (await deposit('b', 3)).position);
    await first.stop();
    // While stopped: stream b leaves the store (a network handed over), and a rebuild is requested.
    await database.pool.query(`delete from app.events where stream_id = 'account-b'`);
    await requestProjectionRebuilds((text) => database.pool.query(text), 'app');
    const second = newRunner(new DepositsProjection());
    await second.start();
    await second.waitFor('deposits', (await deposit('c', 4)).position);
    expect(await rows()).toEqual([1, 2, 4]);
  });

  describe('when the projection fails in the middle of a batch', () => {
    it('rolls the whole batch back, retries from its checkpoint, and applies every event exactly once', async () => {
      const projection = new DepositsProjection();
      projection.failOnAmount = 3;
      await deposit('a', 1, 2, 3, 4);
      const runner = newRunner(projection);
      await runner.start();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await rows()).toEqual([]);
      expect((await runner.status())[0]).toMatchObject({ lastError: 'projection crashed on 3', behind: 4 });

      projection.failOnAmount = undefined; // the fix is deployed
      const last = await deposit('b', 5);
      await runner.waitFor('deposits', last.position, 5000);
      expect(await rows()).toEqual([1, 2, 3, 4, 5]);
      // Caught up again: the failure is over, the health check no longer reports it.
      expect((await runner.status())[0]).toMatchObject({ running: true, behind: 0, lastError: undefined });
    });
  });

  describe('when the process stops and a new one starts', () => {
    it('resumes after its checkpoint without applying anything twice', async () => {
      const first = newRunner(new DepositsProjection());
      await first.start();
      await first.waitFor('deposits', (await deposit('a', 1, 2)).position);
      await first.stop();

      const last = await deposit('a', 3);
      const second = newRunner(new DepositsProjection());
      await second.start();
      await second.waitFor('deposits', last.position);
      expect(await rows()).toEqual([1, 2, 3]);
    });
  });

  describe('with two runners of the same projection at once', () => {
    it('applies each event once', async () => {
      for (let i = 1; i <= 20; i++) await deposit(`s${i % 4}`, i);
      const last = await deposit('z', 21);
      const [one, two] = [newRunner(new DepositsProjection()), newRunner(new DepositsProjection())];
      await Promise.all([one.start(), two.start()]);
      await Promise.all([one.waitFor('deposits', last.position), two.waitFor('deposits', last.position)]);
      expect(await rows()).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    });
  });

  describe('rebuild', () => {
    it('empties the read model and replays it from the start of the log', async () => {
      const runner = newRunner(new DepositsProjection());
      await runner.start();
      await runner.waitFor('deposits', (await deposit('a', 1, 2)).position);
      await dataSource.query('update app.deposits set amount = amount * 100'); // a read model gone wrong
      await runner.rebuild('deposits');
      await runner.waitFor('deposits', (await deposit('a', 3)).position);
      expect(await rows()).toEqual([1, 2, 3]);
    });

    it('takes ten concurrent rebuilds one after the other, each succeeding, with one live subscription after', async () => {
      const runner = newRunner(new DepositsProjection());
      await runner.start();
      await runner.waitFor('deposits', (await deposit('a', 1, 2)).position);
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => runner.rebuild('deposits')));
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      await runner.waitFor('deposits', (await deposit('a', 3)).position);
      // A second live subscription would apply 3 twice (primary key violation, then a stuck projection).
      expect(await rows()).toEqual([1, 2, 3]);
      expect((await runner.status())[0]).toMatchObject({ running: true, behind: 0, lastError: undefined });
    });
  });
});

import { PublishTraining, RegisterProfessional, trainingDecider, TrainingEvent, trainingStream } from '@cnrms/domain-training';
import { handleCommand, PostgresEventStore } from '@cnrms/eventsourcing';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { MAX_ATTEMPTS, TrainingCommandRunner } from './training-command-runner';

const SEATS = 20;
const REGISTRANTS = 50;
const context = { actorId: 'u-test', correlationId: 'corr-concurrency', networkId: 'net-alsace' };

const publish = (trainingId: string): PublishTraining => ({
  type: 'PublishTraining',
  data: {
    trainingId,
    networkId: 'net-alsace',
    kind: 'TRAINING',
    title: 'Entretien motivationnel',
    theme: 'MOTIVATIONAL_INTERVIEWING',
    audience: ['GENERAL_PRACTITIONER'],
    format: 'REMOTE',
    registrationClosesOn: '2026-06-01',
    sessions: [{ sessionId: 's-1', date: '2026-06-10', startTime: '14:00', endTime: '17:00', place: null, capacity: SEATS, hours: 3 }],
    publishedBy: 'u-coordinator',
    today: '2026-05-01',
  },
});
const professionalIds = Array.from({ length: REGISTRANTS }, (_, i) => `pro-${String(i).padStart(2, '0')}`);
const register = (trainingId: string, professionalId: string): RegisterProfessional => ({
  type: 'RegisterProfessional',
  data: {
    trainingId,
    sessionId: 's-1',
    registrationId: `reg-${professionalId}`,
    professionalId,
    profession: 'GENERAL_PRACTITIONER',
    memberNetworkIds: ['net-alsace'],
    today: '2026-05-02',
    requestedAt: new Date().toISOString(),
  },
});

/** What the stream says after the burst, in the order the store recorded it. */
async function outcome(store: PostgresEventStore, trainingId: string) {
  const events = (await store.readStream(trainingStream(trainingId))).map((e) => ({ type: e.type, data: e.data }) as TrainingEvent);
  const registrations = events.slice(1);
  return {
    total: events.length,
    registered: registrations.filter((e) => e.type === 'ProfessionalRegistered').map((e) => e.data.professionalId),
    waitListed: registrations.flatMap((e) => (e.type === 'ProfessionalWaitListed' ? [{ professionalId: e.data.professionalId, rank: e.data.rank }] : [])),
    order: registrations.map((e) => e.type),
  };
}

describe('50 simultaneous registrations for 20 seats, on the PostgreSQL event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('training_concurrency');
    store = new PostgresEventStore({ pool: database.pool, schema: 'training', idleMs: 50 });
    await store.migrate();
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('without any queue, the expected version and the retries seat exactly 20 and wait-list 30 in the order recorded, losing no registration', async () => {
    const trainingId = 'burst-raw';
    await handleCommand(store, trainingDecider, trainingStream(trainingId), publish(trainingId), context);
    const answers = await Promise.all(professionalIds.map((id) => handleCommand(store, trainingDecider, trainingStream(trainingId), register(trainingId, id), context, { maxAttempts: MAX_ATTEMPTS })));
    const result = await outcome(store, trainingId);

    expect(result.total).toBe(1 + REGISTRANTS);
    expect(result.registered).toHaveLength(SEATS);
    expect(result.waitListed).toHaveLength(REGISTRANTS - SEATS);
    // Every seat was given before the first wait-listing, and the ranks follow the stream: 1, 2, … 30.
    expect(result.order).toEqual([...Array(SEATS).fill('ProfessionalRegistered'), ...Array(REGISTRANTS - SEATS).fill('ProfessionalWaitListed')]);
    expect(result.waitListed.map((w) => w.rank)).toEqual(Array.from({ length: REGISTRANTS - SEATS }, (_, i) => i + 1));
    expect([...result.registered, ...result.waitListed.map((w) => w.professionalId)].sort()).toEqual(professionalIds);
    // What each caller was told is what the stream holds.
    for (const [index, answer] of answers.entries()) {
      const [event] = answer.events;
      expect(event.data).toMatchObject({ professionalId: professionalIds[index] });
      if (event.type === 'ProfessionalWaitListed') expect(result.waitListed).toContainEqual({ professionalId: professionalIds[index], rank: event.data.rank });
      else expect(result.registered).toContain(professionalIds[index]);
    }
  }, 60_000);

  it('through the service’s runner, queued per stream, in arrival order: the first 20 to arrive are seated, the next 30 wait in that order', async () => {
    const trainingId = 'burst-runner';
    const runner = new TrainingCommandRunner(store);
    await runner.run(trainingStream(trainingId), publish(trainingId), context);
    const answers = await Promise.all(professionalIds.map((id) => runner.run(trainingStream(trainingId), register(trainingId, id), context)));
    const result = await outcome(store, trainingId);

    expect(result.total).toBe(1 + REGISTRANTS);
    expect(result.registered).toEqual(professionalIds.slice(0, SEATS));
    expect(result.waitListed).toEqual(professionalIds.slice(SEATS).map((professionalId, i) => ({ professionalId, rank: i + 1 })));
    expect(answers.map((a) => a.events[0].type)).toEqual(result.order);
  }, 60_000);

  it('two runners (two replicas) racing on one stream still seat exactly 20, the retries deciding each loser again on the new state', async () => {
    const trainingId = 'burst-replicas';
    const [first, second] = [new TrainingCommandRunner(store), new TrainingCommandRunner(store)];
    await first.run(trainingStream(trainingId), publish(trainingId), context);
    await Promise.all(professionalIds.map((id, i) => (i % 2 === 0 ? first : second).run(trainingStream(trainingId), register(trainingId, id), context)));
    const result = await outcome(store, trainingId);

    expect(result.total).toBe(1 + REGISTRANTS);
    expect(result.registered).toHaveLength(SEATS);
    expect(result.waitListed.map((w) => w.rank)).toEqual(Array.from({ length: REGISTRANTS - SEATS }, (_, i) => i + 1));
    expect([...result.registered, ...result.waitListed.map((w) => w.professionalId)].sort()).toEqual(professionalIds);
  }, 60_000);
});

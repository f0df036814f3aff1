import { NationalDayRegistrationRequested } from '@cnrms/contracts';
import { NationalDayAnswer, NationalDayRequest, nationalDayRequestStream, PublishTraining, trainingStream } from '@cnrms/domain-training';
import { handleCommand, PostgresEventStore } from '@cnrms/eventsourcing';
import { trainingDecider } from '@cnrms/domain-training';
import { IntegrationEvent } from '@cnrms/messaging';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { NationalDayDesk } from './national-days';
import { TrainingCommandRunner } from './training-command-runner';

// The national side of national days across deployments, on the real PostgreSQL event store: requests of
// several regions (and redeliveries of each, as MirrorMaker's at-least-once delivery may bring) for a few seats.

const SEATS = 3;
const REGIONS = ['region-a', 'region-b', 'region-c'];
const PER_REGION = 3;

// Dated from today: a national day is planned within the planning horizon, and registrations close after today.
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const publish: PublishTraining = {
  type: 'PublishTraining',
  data: {
    trainingId: 'nd-1',
    networkId: null,
    kind: 'NATIONAL_EVENT',
    title: 'Journée nationale des microstructures',
    theme: 'OTHER',
    audience: ['GENERAL_PRACTITIONER'],
    format: 'REMOTE',
    registrationClosesOn: daysFromToday(30),
    sessions: [{ sessionId: 's-1', date: daysFromToday(40), startTime: '09:00', endTime: '12:00', place: null, capacity: SEATS, hours: 3 }],
    publishedBy: 'u-national',
    today: daysFromToday(0),
  },
};

const requestOf = (region: string, n: number): IntegrationEvent => {
  const payload: NationalDayRequest = {
    requestId: `req-${region}-${n}`,
    trainingId: 'nd-1',
    sessionId: 's-1',
    professionalId: `pro-${region}-${n}`,
    profession: 'GENERAL_PRACTITIONER',
    memberNetworkIds: [`net-${region}`],
    requestedAt: '2026-05-02T08:00:00.000Z',
  };
  return {
    eventId: `evt-${region}-${n}`,
    type: NationalDayRegistrationRequested.type,
    version: 1,
    topic: NationalDayRegistrationRequested.topic,
    key: payload.requestId,
    payload,
    correlationId: `corr-${region}-${n}`,
    causationId: null,
    occurredAt: payload.requestedAt,
    networkId: `net-${region}`,
  } as IntegrationEvent;
};

describe('the national desk answering the regions’ requests for seats at a national day', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('training_national_days');
    store = new PostgresEventStore({ pool: database.pool, schema: 'training', idleMs: 50 });
    await store.migrate();
    await handleCommand(store, trainingDecider, trainingStream('nd-1'), publish, { actorId: 'u-national', correlationId: 'c', networkId: null });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const answerOf = async (requestId: string) => (await store.readStream(nationalDayRequestStream(requestId))).map((e) => e.data as NationalDayAnswer);

  it('seats exactly the capacity whatever the number of regions, and a redelivered request changes nothing and is answered once', async () => {
    const desks = REGIONS.map(() => new NationalDayDesk(new TrainingCommandRunner(store), store)); // as many replicas as regions
    const requests = REGIONS.flatMap((region) => Array.from({ length: PER_REGION }, (_, n) => ({ region, event: requestOf(region, n) })));
    // Every request delivered twice, concurrently, to different replicas.
    await Promise.all([...requests, ...requests].map(({ region, event }, i) => desks[i % desks.length].answer(event, region)));

    const training = (await store.readStream(trainingStream('nd-1'))).slice(1);
    expect(training).toHaveLength(REGIONS.length * PER_REGION);
    expect(training.filter((e) => e.type === 'ProfessionalRegistered')).toHaveLength(SEATS);
    expect(training.filter((e) => e.type === 'ProfessionalWaitListed')).toHaveLength(REGIONS.length * PER_REGION - SEATS);
    // Each registration is counted in its region's network, under the request's id.
    for (const event of training) expect(event.data).toMatchObject({ networkId: `net-${(event.data as { professionalId: string }).professionalId.slice(4, 12)}` });

    const answers = await Promise.all(requests.map(({ event }) => answerOf(event.key as string)));
    expect(answers.every((a) => a.length === 1)).toBe(true);
    const outcomes = answers.map(([a]) => a.outcome);
    expect(outcomes.filter((o) => o === 'REGISTERED')).toHaveLength(SEATS);
    expect(outcomes.filter((o) => o === 'WAITLISTED')).toHaveLength(REGIONS.length * PER_REGION - SEATS);
    // The answer says what the training's stream holds, rank included.
    for (const [answer] of answers) {
      const registration = training.find((e) => (e.data as { registrationId: string }).registrationId === answer.requestId)!;
      expect(answer.outcome).toBe(registration.type === 'ProfessionalRegistered' ? 'REGISTERED' : 'WAITLISTED');
      if (registration.type === 'ProfessionalWaitListed') expect(answer.rank).toBe((registration.data as { rank: number }).rank);
    }
    // Its answer stream carries the region's network, which the receiver checks downstream.
    const [recorded] = await store.readStream(nationalDayRequestStream('req-region-b-0'));
    expect(recorded.metadata.networkId).toBe('net-region-b');
  }, 60_000);

  it('refuses, with the decider’s reason, a second request of a professional already registered, and one counted in a network its region does not own', async () => {
    const desk = new NationalDayDesk(new TrainingCommandRunner(store), store);
    const again = { ...requestOf('region-a', 0), eventId: 'evt-again', key: 'req-again' };
    again.payload = { ...(again.payload as NationalDayRequest), requestId: 'req-again' };
    await desk.answer(again, 'region-a');
    expect((await answerOf('req-again'))[0]).toMatchObject({ outcome: 'REFUSED', reasonCode: 'ALREADY_REGISTERED', reason: expect.stringMatching(/déjà/) });

    // The envelope says region-a's network; the payload claims another one: not counted there, refused.
    const stranger = { ...requestOf('region-a', 9), key: 'req-stranger' };
    stranger.payload = { ...(stranger.payload as NationalDayRequest), requestId: 'req-stranger', memberNetworkIds: ['net-region-b'] };
    const before = (await store.readStream(trainingStream('nd-1'))).length;
    await desk.answer(stranger, 'region-a');
    expect((await answerOf('req-stranger'))[0]).toMatchObject({ outcome: 'REFUSED', reasonCode: 'NOT_A_NETWORK_MEMBER' });
    expect(await store.readStream(trainingStream('nd-1'))).toHaveLength(before);
  }, 60_000);
});

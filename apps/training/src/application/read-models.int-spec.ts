import { randomUUID } from 'node:crypto';
import { TrainingEvent } from '@cnrms/domain-training';
import { ProjectionSpec } from '@cnrms/eventsourcing/testing';
import { IntegrationEvent } from '@cnrms/messaging';
import { PoolClient } from 'pg';
import { trainingMigrations } from '../infrastructure/migrations';
import { TrainingsProjection } from './projections/trainings.projection';
import { referenceDataConsumer } from './reference-data.consumer';
import { TrainingQueries } from './training.queries';

const session = { sessionId: 's-1', date: '2026-03-12', startTime: '09:00', endTime: '12:30', place: 'Salle du réseau', capacity: 1, hours: 3.5 };
const who = (professionalId: string, networkId = 'net-1') => ({ trainingId: 't-1', sessionId: 's-1', registrationId: `r-${professionalId}`, professionalId, networkId, profession: 'PSYCHOLOGIST' as const });
const at = '2026-02-10T08:00:00.000Z';

describe('training read models on PostgreSQL', () => {
  let spec: ProjectionSpec;
  let queries: TrainingQueries;

  const integration = (type: string, payload: object): IntegrationEvent =>
    ({ eventId: randomUUID(), type, version: 1, topic: 't', key: 'k', payload, correlationId: 'c', causationId: null, occurredAt: new Date().toISOString(), networkId: 'net-1' }) as IntegrationEvent;
  const onTraining = (...events: TrainingEvent[]) => spec.given(...events.map((event) => ({ streamId: 'training-t-1', ...event })));

  beforeAll(async () => {
    spec = await ProjectionSpec.start({ label: 'training_read_models', schema: 'training', migrations: trainingMigrations, projections: [new TrainingsProjection()] });
    queries = new TrainingQueries(spec.dataSource);
  });

  afterAll(async () => {
    await spec?.close();
  });

  it('keeps the networks, the professionals and their memberships from the directory’s events, applying each twice without change', async () => {
    const events = [
      integration('directory.NetworkCreated', { networkId: 'net-1', name: 'Réseau Un', region: 'Grand Est', departments: ['67'] }),
      integration('directory.ProfessionalRegistered', { professionalId: 'psy-1', profession: 'PSYCHOLOGIST', displayName: 'Bruno Modèle' }),
      integration('directory.MembershipStarted', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'psy-1', profession: 'PSYCHOLOGIST', role: 'MEMBER', startedOn: '2025-01-10' }),
      integration('directory.MembershipStarted', { microstructureId: 'ms-2', networkId: 'net-2', professionalId: 'psy-1', profession: 'PSYCHOLOGIST', role: 'MEMBER', startedOn: '2025-01-10' }),
      integration('directory.MembershipEnded', { microstructureId: 'ms-2', networkId: 'net-2', professionalId: 'psy-1', startedOn: '2025-01-10', endedOn: '2025-12-31' }),
    ];
    for (const event of [...events, ...events]) await referenceDataConsumer.handle(event, spec.database.pool as unknown as PoolClient);
    expect(await queries.networkName('net-1')).toBe('Réseau Un');
    expect(await queries.professional('psy-1')).toEqual({ profession: 'PSYCHOLOGIST', displayName: 'Bruno Modèle' });
    expect(await queries.memberNetworkIds('psy-1', '2026-02-01')).toEqual(['net-1']);
    expect((await queries.networksEver('psy-1')).sort()).toEqual(['net-1', 'net-2']);
  });

  it('projects a training, its registrations, the wait list’s ranks, a promotion and attendance, idempotently, and rebuilds it to the same rows', async () => {
    const events: TrainingEvent[] = [
      {
        type: 'TrainingPublished',
        data: { trainingId: 't-1', networkId: null, kind: 'NATIONAL_EVENT', title: 'Journée nationale', theme: 'OTHER', audience: ['PSYCHOLOGIST'], format: 'IN_PERSON', registrationClosesOn: '2026-03-01', sessions: [session], publishedBy: 'u-n', publishedOn: '2026-02-01' },
      },
      { type: 'ProfessionalRegistered', data: { ...who('a'), registeredAt: at } },
      { type: 'ProfessionalWaitListed', data: { ...who('b', 'net-2'), rank: 1, waitListedAt: at } },
      { type: 'ProfessionalWaitListed', data: { ...who('c', 'net-2'), rank: 2, waitListedAt: at } },
      { type: 'ProfessionalWaitListed', data: { ...who('d'), rank: 3, waitListedAt: at } },
      { type: 'RegistrationCancelled', data: { ...who('a'), previousStatus: 'REGISTERED', cancelledAt: at } },
      { type: 'WaitListedProfessionalPromoted', data: { ...who('b', 'net-2'), promotedAt: at } },
      { type: 'AttendanceRecorded', data: { ...who('b', 'net-2'), sessionDate: '2026-03-12', hours: 3.5, recordedBy: 'u-n' } },
    ];
    // Each delivered twice, as a redelivery after a crash would.
    await onTraining(...events, ...events);

    const registrations = await queries.registrationsOfTraining('t-1');
    expect(registrations.map((r) => [r.professional_id, r.status, r.wait_list_rank, r.attended])).toEqual([
      ['b', 'REGISTERED', null, true],
      ['c', 'WAITLISTED', 1, false],
      ['d', 'WAITLISTED', 2, false],
      ['a', 'CANCELLED', null, false],
    ]);
    expect(await queries.session('s-1')).toMatchObject({ capacity: 1, hours: 3.5, registered_count: 1, wait_listed_count: 2, attended_count: 1 });
    expect(await queries.countsByNetwork('t-1')).toEqual([
      { network_id: 'net-1', registered: 0, wait_listed: 1, attended: 0 },
      { network_id: 'net-2', registered: 1, wait_listed: 1, attended: 1 },
    ]);
    expect(await queries.hours({ professionalId: 'b' }, '2026-01-01', '2026-12-31')).toEqual({ total_hours: 3.5, session_count: 1, professional_count: 1 });
    expect(await queries.hours({ networkId: 'net-2' })).toEqual({ total_hours: 3.5, session_count: 1, professional_count: 1 });
    expect(await queries.hours({ professionalId: 'b' }, '2026-04-01', null)).toEqual({ total_hours: 0, session_count: 0, professional_count: 0 });
    expect((await queries.trainings({ national: true, from: '2026-03-01', to: '2026-03-31' })).map((t) => t.id)).toEqual(['t-1']);
    expect(await queries.trainings({ theme: 'ALCOHOL' })).toEqual([]);
    expect((await queries.attendedSessions('t-1', 'b')).map((s) => s.id)).toEqual(['s-1']);

    // Edited: a second session added, the first one's capacity raised (the promotion follows as its own event); then cancelled.
    const later = { ...session, sessionId: 's-2', date: '2026-03-19', capacity: 10 };
    const changes: TrainingEvent[] = [
      {
        type: 'TrainingUpdated',
        data: { trainingId: 't-1', networkId: null, title: 'Journée nationale 2026', theme: 'OTHER', audience: ['PSYCHOLOGIST'], format: 'IN_PERSON', registrationClosesOn: '2026-03-01', sessions: [{ ...session, capacity: 2 }, later], changes: ['TITLE', 'SESSIONS'], affectedProfessionalIds: ['b', 'c', 'd'], updatedBy: 'u-n', updatedOn: '2026-02-20' },
      },
      { type: 'WaitListedProfessionalPromoted', data: { ...who('c', 'net-2'), promotedAt: at } },
    ];
    await onTraining(...changes, ...changes);
    expect(await queries.training('t-1')).toMatchObject({ title: 'Journée nationale 2026', status: 'PUBLISHED', updated_on: '2026-02-20', cancelled_on: null });
    expect((await queries.sessions('t-1')).map((s) => [s.id, s.capacity, s.registered_count])).toEqual([
      ['s-1', 2, 2],
      ['s-2', 10, 0],
    ]);
    const removed: TrainingEvent = { ...changes[0], data: { ...(changes[0].data as object), sessions: [{ ...session, capacity: 2 }] } } as TrainingEvent;
    await onTraining(removed);
    expect((await queries.sessions('t-1')).map((s) => s.id)).toEqual(['s-1']);
    const cancelled: TrainingEvent = { type: 'TrainingCancelled', data: { trainingId: 't-1', networkId: null, title: 'Journée nationale 2026', reason: 'POSTPONED', affectedProfessionalIds: ['b', 'c', 'd'], cancelledBy: 'u-n', cancelledOn: '2026-02-21' } };
    await onTraining(cancelled);
    expect(await queries.training('t-1')).toMatchObject({ status: 'CANCELLED', cancelled_on: '2026-02-21', cancellation_reason: 'POSTPONED' });

    const { live, rebuilt } = await spec.rebuild();
    expect(live.registrations).toHaveLength(4);
    expect(rebuilt).toEqual(live);
  });
});

import { ContractViolation } from '../contract';
import { FOREVER, topicsOf } from '../topics';
import { platformContracts } from '../index';
import { NATIONAL_DAY_ANSWER_TOPIC, NATIONAL_DAY_REQUEST_TOPIC, NationalDayRegistrationAnswered, NationalDayRegistrationRequested } from './national-days.contracts';
import {
  TRAINING_TOPIC,
  TrainingAttendanceRecorded,
  TrainingCancelled,
  trainingContracts,
  TrainingProfessionalRegistered,
  TrainingProfessionalWaitListed,
  TrainingPublished,
  TrainingRegistrationCancelled,
  TrainingUpdated,
  TrainingWaitListedProfessionalPromoted,
} from './training.contracts';

const registrant = { trainingId: 't-1', sessionId: 's-1', registrationId: 'r-1', professionalId: 'pro-1', networkId: 'net-alsace', profession: 'PSYCHOLOGIST' };
const valid: Record<string, Record<string, unknown>> = {
  [TrainingPublished.type]: {
    trainingId: 't-1',
    networkId: null,
    kind: 'NATIONAL_EVENT',
    title: 'Journée nationale des microstructures',
    theme: 'OTHER',
    format: 'IN_PERSON',
    audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'],
    registrationClosesOn: '2026-11-14',
    sessions: [{ sessionId: 's-1', date: '2026-11-28', hours: 6, capacity: 400 }],
    publishedOn: '2026-09-01',
  },
  [TrainingUpdated.type]: {
    trainingId: 't-1',
    networkId: 'net-alsace',
    title: 'Repérage précoce et intervention brève',
    theme: 'ALCOHOL',
    format: 'REMOTE',
    audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
    registrationClosesOn: '2026-11-14',
    sessions: [{ sessionId: 's-1', date: '2026-11-28', hours: 3, capacity: 25 }],
    changes: ['FORMAT', 'SESSIONS'],
    affectedProfessionalIds: ['pro-1', 'pro-2'],
    updatedOn: '2026-10-01',
  },
  [TrainingCancelled.type]: { trainingId: 't-1', networkId: 'net-alsace', title: 'Repérage précoce et intervention brève', reason: 'TOO_FEW_REGISTRATIONS', affectedProfessionalIds: ['pro-1'], cancelledOn: '2026-10-02' },
  [TrainingProfessionalRegistered.type]: { ...registrant, registeredAt: '2026-09-02T08:15:00.000Z' },
  [TrainingProfessionalWaitListed.type]: { ...registrant, rank: 3, waitListedAt: '2026-09-02T08:15:00.000Z' },
  [TrainingWaitListedProfessionalPromoted.type]: { ...registrant, promotedAt: '2026-09-03T10:00:00.000Z' },
  [TrainingRegistrationCancelled.type]: { ...registrant, previousStatus: 'REGISTERED', cancelledAt: '2026-09-03T10:00:00.000Z' },
  [TrainingAttendanceRecorded.type]: { ...registrant, sessionDate: '2026-11-28', hours: 3.5, microstructureId: 'ms-neudorf' },
};

const contracts = platformContracts();
const publish = (type: string, payload: unknown) => contracts.validateForPublish(type, contracts.get(type)!.version, payload);

describe('training contracts', () => {
  it('are registered on the training topic, kept for ever', () => {
    expect(trainingContracts.every((c) => c.topic === TRAINING_TOPIC && contracts.get(c.type) === c)).toBe(true);
    expect(topicsOf('training')).toEqual([
      { name: TRAINING_TOPIC, service: 'training', partitions: 3, retentionMs: FOREVER },
      { name: NATIONAL_DAY_REQUEST_TOPIC, service: 'training', partitions: 3, retentionMs: FOREVER },
      { name: NATIONAL_DAY_ANSWER_TOPIC, service: 'training', partitions: 3, retentionMs: FOREVER },
    ]);
  });

  it.each(trainingContracts.map((c) => [c.type]))('accept a valid %s', (type) => {
    expect(publish(type, valid[type])).toEqual(valid[type]);
  });

  it.each(trainingContracts.map((c) => [c.type]))('refuse %s with a field they do not know (a name or a place never travels unseen)', (type) => {
    expect(() => publish(type, { ...valid[type], displayName: 'Chloé Démo' })).toThrow(ContractViolation);
  });

  it('refuse hours that are not quarter hours, an unknown profession, a session with its place', () => {
    expect(() => publish(TrainingAttendanceRecorded.type, { ...valid[TrainingAttendanceRecorded.type], hours: 1.1 })).toThrow(ContractViolation);
    expect(() => publish(TrainingProfessionalRegistered.type, { ...valid[TrainingProfessionalRegistered.type], profession: 'ASTRONAUT' })).toThrow(ContractViolation);
    const published = valid[TrainingPublished.type];
    expect(() => publish(TrainingPublished.type, { ...published, sessions: [{ sessionId: 's-1', date: '2026-11-28', hours: 6, capacity: 400, place: 'Paris' }] })).toThrow(ContractViolation);
  });

  it('carry the attendee’s microstructure from v2 on, a v1 attendance being upcast with none', () => {
    const v2 = valid[TrainingAttendanceRecorded.type];
    const { microstructureId: _ms, ...v1 } = v2;
    expect(TrainingAttendanceRecorded.version).toBe(2);
    expect(contracts.decodeOnConsume(TrainingAttendanceRecorded.type, 1, v1)).toEqual({ kind: 'accepted', payload: { ...v1, microstructureId: null }, version: 2 });
    expect(contracts.decodeOnConsume(TrainingAttendanceRecorded.type, 2, v2)).toEqual({ kind: 'accepted', payload: v2, version: 2 });
    expect(publish(TrainingAttendanceRecorded.type, v1)).toEqual({ ...v1, microstructureId: null });
  });
});

describe('national day contracts (across deployments)', () => {
  const contracts = platformContracts();
  const request = { requestId: 'r-1', trainingId: 't-1', sessionId: 's-1', professionalId: 'p-1', profession: 'PSYCHOLOGIST', memberNetworkIds: ['n-1'], requestedAt: '2026-02-02T09:00:00.000Z' };
  const answer = { requestId: 'r-1', trainingId: 't-1', sessionId: 's-1', professionalId: 'p-1', outcome: 'WAITLISTED', rank: 1, reasonCode: null, reason: null, answeredAt: '2026-02-02T09:00:01.000Z' };

  it('are registered, the request on its upward topic and the answer on its downward one', () => {
    expect(contracts.get(NationalDayRegistrationRequested.type)).toBe(NationalDayRegistrationRequested);
    expect(NationalDayRegistrationRequested.topic).toBe(NATIONAL_DAY_REQUEST_TOPIC);
    expect(NationalDayRegistrationAnswered.topic).toBe(NATIONAL_DAY_ANSWER_TOPIC);
    expect(() => contracts.validateForPublish(NationalDayRegistrationRequested.type, 1, request)).not.toThrow();
    expect(() => contracts.validateForPublish(NationalDayRegistrationAnswered.type, 1, answer)).not.toThrow();
  });

  it('refuse a field they do not know (nothing else about a professional travels) and an unknown outcome', () => {
    expect(() => contracts.validateForPublish(NationalDayRegistrationRequested.type, 1, { ...request, displayName: 'Dr X' })).toThrow(ContractViolation);
    expect(() => contracts.validateForPublish(NationalDayRegistrationAnswered.type, 1, { ...answer, outcome: 'MAYBE' })).toThrow(ContractViolation);
  });
});

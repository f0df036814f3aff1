import { platformContracts, TRAINING_CONTRACT_CODES } from '@cnrms/contracts';
import { PROFESSIONS, TRAINING_FORMATS, TRAINING_KINDS, TRAINING_THEMES, TrainingEvent } from '@cnrms/domain-training';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { translateTrainingEvent } from './integration-events';

const registrant = { trainingId: 't-1', sessionId: 's-1', registrationId: 'r-1', professionalId: 'pro-1', networkId: 'net-alsace', profession: 'PSYCHOLOGIST' as const };
const at = '2026-02-10T08:00:00.000Z';
const events: TrainingEvent[] = [
  {
    type: 'TrainingPublished',
    data: {
      trainingId: 't-1',
      networkId: 'net-alsace',
      kind: 'TRAINING',
      title: 'Accès aux droits : CSS et AME',
      theme: 'SOCIAL_RIGHTS',
      audience: ['SOCIAL_WORKER', 'PSYCHOLOGIST'],
      format: 'IN_PERSON',
      registrationClosesOn: '2026-03-01',
      sessions: [{ sessionId: 's-1', date: '2026-03-12', startTime: '09:00', endTime: '12:30', place: 'Salle du réseau, 3 rue Fictive', capacity: 20, hours: 3.5 }],
      publishedBy: 'u-coordinator',
      publishedOn: '2026-02-01',
    },
  },
  { type: 'ProfessionalRegistered', data: { ...registrant, registeredAt: at } },
  { type: 'ProfessionalWaitListed', data: { ...registrant, rank: 2, waitListedAt: at } },
  { type: 'WaitListedProfessionalPromoted', data: { ...registrant, promotedAt: at } },
  { type: 'RegistrationCancelled', data: { ...registrant, previousStatus: 'REGISTERED', cancelledAt: at } },
  { type: 'AttendanceRecorded', data: { ...registrant, sessionDate: '2026-03-12', hours: 3.5, recordedBy: 'u-coordinator' } },
];
const recorded = (event: TrainingEvent) => ({ streamId: 'training-t-1', streamVersion: 0, type: event.type, data: event.data, metadata: {}, recordedAt: new Date() }) as unknown as RecordedEvent;

describe('training integration events', () => {
  const contracts = platformContracts();

  it.each(events.map((e) => [e.type, e]))('translates %s into a message its contract accepts, keyed by the training', (_type, event) => {
    const message = translateTrainingEvent(recorded(event as TrainingEvent))!;
    expect(message.key).toBe('t-1');
    expect(message.topic).toBe('training.training.v1');
    expect(() => contracts.validateForPublish(message.type, message.version, message.payload)).not.toThrow();
  });

  it('leaves the sessions’ places and who published or recorded in the service', () => {
    const text = JSON.stringify(events.map((e) => translateTrainingEvent(recorded(e))));
    expect(text).not.toMatch(/Salle du réseau|u-coordinator|startTime/);
  });

  it('carries the hours attended, counted in the registrant’s network', () => {
    expect(translateTrainingEvent(recorded(events[5]))!.payload).toEqual({ ...registrant, sessionDate: '2026-03-12', hours: 3.5, microstructureId: null });
    const withMicrostructure = { ...events[5], data: { ...events[5].data, microstructureId: 'ms-neudorf' } } as typeof events[5];
    expect(translateTrainingEvent(recorded(withMicrostructure))).toMatchObject({ version: 2, payload: { ...registrant, sessionDate: '2026-03-12', hours: 3.5, microstructureId: 'ms-neudorf' } });
  });

  it('uses the domain’s code lists', () => {
    expect(TRAINING_CONTRACT_CODES).toEqual({ themes: TRAINING_THEMES, professions: PROFESSIONS, formats: TRAINING_FORMATS, kinds: TRAINING_KINDS });
  });

  it('ignores what is not a training event', () => {
    expect(translateTrainingEvent({ type: 'SomethingElse', data: {} } as unknown as RecordedEvent)).toBeNull();
  });
});

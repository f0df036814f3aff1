import { PROFESSIONAL_TOPIC, platformContracts } from '@cnrms/contracts';
import { fold } from '@cnrms/decider';
import { professionalDecider, ProfessionalEvent } from '@cnrms/domain-directory';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { translateDirectoryEvent } from './integration-events';

function recorded(event: { type: string; data: unknown }): RecordedEvent {
  return {
    streamId: 'professional-pro-1',
    streamVersion: 0,
    position: 1n as never,
    type: event.type,
    data: event.data,
    metadata: { eventId: 'e-1', correlationId: 'c-1', causationId: null, actorId: 'u-1', networkId: null } as never,
    recordedAt: new Date('2025-03-14T10:00:00Z'),
  };
}

const contracts = platformContracts();
const registered: ProfessionalEvent = {
  type: 'ProfessionalRegistered',
  data: { professionalId: 'pro-1', lastName: 'Weber', firstName: 'Anne', profession: 'PSYCHOLOGIST', rpps: '10101010101', email: 'a.weber@example.fr', registeredAt: '2025-01-10T09:00:00Z' },
};

describe('directory integration events: professionals', () => {
  it('publishes a professional with the name to show and the work e-mail (where notifications are written), never the RPPS', () => {
    const message = translateDirectoryEvent(recorded(registered));
    expect(message && [message.type, message.version, message.key, message.topic]).toEqual(['directory.ProfessionalRegistered', 2, 'pro-1', PROFESSIONAL_TOPIC]);
    expect(message?.payload).toEqual({ professionalId: 'pro-1', profession: 'PSYCHOLOGIST', displayName: 'Anne Weber', email: 'a.weber@example.fr' });
    expect(() => contracts.validateForPublish(message!.type, message!.version, message!.payload)).not.toThrow();
  });

  it('publishes a professional registered without e-mail with email null', () => {
    const { email: _none, ...data } = registered.data as typeof registered.data & { email?: string };
    expect(translateDirectoryEvent(recorded({ type: 'ProfessionalRegistered', data }))?.payload).toMatchObject({ email: null });
  });

  it('tells a change of name or e-mail as it is now', () => {
    const [changed] = professionalDecider.decide({ type: 'ChangeProfessionalIdentity', data: { professionalId: 'pro-1', lastName: 'Weber-Roth', firstName: 'Anne', email: 'anne.weber@example.fr' } } as never, fold(professionalDecider, [registered]));
    const message = translateDirectoryEvent(recorded(changed));
    expect(message?.type).toBe('directory.ProfessionalContactChanged');
    expect(message?.payload).toEqual({ professionalId: 'pro-1', displayName: 'Anne Weber-Roth', email: 'anne.weber@example.fr' });
    expect(() => contracts.validateForPublish(message!.type, message!.version, message!.payload)).not.toThrow();
  });

  it('reads a v1 professional (published before e-mails travelled) with email null', () => {
    const decoded = contracts.decode('directory.ProfessionalRegistered', 1, { professionalId: 'pro-1', profession: 'GENERAL_PRACTITIONER', displayName: 'Paul Roux' });
    expect(decoded).toEqual({ kind: 'accepted', version: 2, payload: { professionalId: 'pro-1', profession: 'GENERAL_PRACTITIONER', displayName: 'Paul Roux', email: null } });
  });
});

import { MembershipEnded, MembershipStarted } from '@cnrms/contracts';
import { IntegrationEvent, payloadOf } from './envelope';

describe('payloadOf: reading a consumed event by its contract', () => {
  const started = {
    eventId: 'e-1',
    type: MembershipStarted.type,
    version: MembershipStarted.version,
    topic: 'directory.microstructure.v1',
    key: 'ms-1',
    payload: { microstructureId: 'ms-1', professionalId: 'p-1', startedOn: '2026-01-05' },
    correlationId: 'c-1',
    causationId: null,
    occurredAt: '2026-01-05T09:00:00.000Z',
    networkId: 'net-1',
  } satisfies IntegrationEvent;

  it('given an event of the contract, gives its payload', () => {
    expect(payloadOf(MembershipStarted, started).startedOn).toBe('2026-01-05');
  });

  it('given an event of another contract, refuses to read it as this one', () => {
    expect(() => payloadOf(MembershipEnded, started)).toThrow('an event directory.MembershipStarted read as directory.MembershipEnded');
  });
});

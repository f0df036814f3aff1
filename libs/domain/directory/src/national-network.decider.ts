import { assertNever, Command, Decider, DomainEvent } from '@cnrms/decider';
import { requireName, requireTimestamp } from './values';

// The national coordination (CNRMS), stream `nationalnetwork-cnrms`.

export type EstablishNationalNetwork = Command<'EstablishNationalNetwork', { name: string; establishedAt: string }>;
export type NationalNetworkCommand = EstablishNationalNetwork;

export type NationalNetworkEstablished = DomainEvent<'NationalNetworkEstablished', { name: string; establishedAt: string }>;
export type NationalNetworkEvent = NationalNetworkEstablished;

export type NationalNetworkState = { status: 'NOT_ESTABLISHED' } | { status: 'ESTABLISHED'; name: string; establishedAt: string };

/** Establishing is idempotent: the service may run it at every start-up. */
function establish(command: EstablishNationalNetwork, state: NationalNetworkState): NationalNetworkEvent[] {
  if (state.status === 'ESTABLISHED') return [];
  const name = requireName(command.data.name, 'name', 'Le nom de la coordination nationale');
  const establishedAt = requireTimestamp(command.data.establishedAt, 'establishedAt');
  return [{ type: 'NationalNetworkEstablished', data: { name, establishedAt } }];
}

export const nationalNetworkDecider: Decider<NationalNetworkCommand, NationalNetworkEvent, NationalNetworkState> = {
  initialState: () => ({ status: 'NOT_ESTABLISHED' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'EstablishNationalNetwork':
        return establish(command, state);
      default:
        return assertNever(command.type, 'national network command');
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'NationalNetworkEstablished':
        return { status: 'ESTABLISHED', name: event.data.name, establishedAt: event.data.establishedAt };
      default:
        return assertNever(event.type, 'national network event');
    }
  },
};

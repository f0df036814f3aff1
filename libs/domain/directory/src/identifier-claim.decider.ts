import { assertNever, Command, Decider, DomainError, DomainEvent } from '@cnrms/decider';
import { requireAdeli, requireId, requireRpps } from './values';

// One stream per national identifier (`rpps-<rpps>`, `adeli-<adeli>`): appending to it with the
// expected version is what makes the number unique across professionals. The application layer
// claims the number before registering the professional.

export type ClaimRpps = Command<'ClaimRpps', { rpps: string; professionalId: string }>;
export type ClaimAdeli = Command<'ClaimAdeli', { adeli: string; professionalId: string }>;
export type RppsClaimed = DomainEvent<'RppsClaimed', { rpps: string; professionalId: string }>;
export type AdeliClaimed = DomainEvent<'AdeliClaimed', { adeli: string; professionalId: string }>;

export type IdentifierClaimState = { status: 'UNCLAIMED' } | { status: 'CLAIMED'; professionalId: string };

/** A claim by the professional who already holds the number changes nothing. */
function claim(state: IdentifierClaimState, professionalId: unknown, duplicate: () => DomainError): string | null {
  const claimant = requireId(professionalId, 'professionalId', 'L’identifiant du professionnel');
  if (state.status === 'UNCLAIMED') return claimant;
  if (state.professionalId === claimant) return null;
  throw duplicate();
}

export const rppsClaimDecider: Decider<ClaimRpps, RppsClaimed, IdentifierClaimState> = {
  initialState: () => ({ status: 'UNCLAIMED' }),
  decide: (command, state) => {
    if (command.type !== 'ClaimRpps') return assertNever(command.type, 'RPPS command');
    const rpps = requireRpps(command.data.rpps);
    const duplicate = () => new DomainError('DUPLICATE_RPPS', 'Ce numéro RPPS est déjà enregistré pour un autre professionnel.', 'CONFLICT', { rpps });
    const professionalId = claim(state, command.data.professionalId, duplicate);
    return professionalId === null ? [] : [{ type: 'RppsClaimed', data: { rpps, professionalId } }];
  },
  evolve: (_state, event) => ({ status: 'CLAIMED', professionalId: event.data.professionalId }),
};

export const adeliClaimDecider: Decider<ClaimAdeli, AdeliClaimed, IdentifierClaimState> = {
  initialState: () => ({ status: 'UNCLAIMED' }),
  decide: (command, state) => {
    if (command.type !== 'ClaimAdeli') return assertNever(command.type, 'ADELI command');
    const adeli = requireAdeli(command.data.adeli);
    const duplicate = () => new DomainError('DUPLICATE_ADELI', 'Ce numéro ADELI est déjà enregistré pour un autre professionnel.', 'CONFLICT', { adeli });
    const professionalId = claim(state, command.data.professionalId, duplicate);
    return professionalId === null ? [] : [{ type: 'AdeliClaimed', data: { adeli, professionalId } }];
  },
  evolve: (_state, event) => ({ status: 'CLAIMED', professionalId: event.data.professionalId }),
};

import { ForbiddenError } from '@cnrms/decider';
import { AuthError } from './errors';
import { Identity, Role } from './identity';

export function hasRole(identity: Identity, ...roles: Role[]): boolean {
  return identity.roles.some((role) => roles.includes(role));
}

/** The national coordination and the platform's administrators act on every network. */
export function isNational(identity: Identity): boolean {
  return hasRole(identity, 'national_coordinator', 'admin');
}

/** National, or a regional coordinator whose token covers the network. */
export function canManageNetwork(identity: Identity, networkId: string): boolean {
  return isNational(identity) || (hasRole(identity, 'regional_coordinator') && identity.networkIds.includes(networkId));
}

/**
 * Whoever manages the network, or a professional the directory counts in the microstructure's team today
 * (`currentMemberIds`: from the directory's memberships, never from the token, which outlives a membership).
 */
export function canActInMicrostructure(identity: Identity, currentMemberIds: readonly string[], networkId: string): boolean {
  if (canManageNetwork(identity, networkId)) return true;
  return hasRole(identity, 'professional') && identity.professionalId !== undefined && currentMemberIds.includes(identity.professionalId);
}

/** The directory (networks, microstructures and their addresses, teams, partners, trainings): every role but funders, who see aggregated indicators only. */
export function canReadDirectory(identity: Identity): boolean {
  return hasRole(identity, 'national_coordinator', 'regional_coordinator', 'professional', 'admin');
}

/** National and funders (who see aggregates only: callers decide what), the network's coordinators and professionals. */
export function canReadNetwork(identity: Identity, networkId: string): boolean {
  return isNational(identity) || hasRole(identity, 'funder') || (hasRole(identity, 'regional_coordinator', 'professional') && identity.networkIds.includes(networkId));
}

export function requireAuthenticated(identity: Identity | null | undefined): Identity {
  if (!identity) throw new AuthError('UNAUTHENTICATED', 'Authentification requise pour cette opération.');
  return identity;
}

export function forbid(message: string): never {
  throw new ForbiddenError(message);
}

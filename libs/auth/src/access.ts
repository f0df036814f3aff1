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

/** Whoever manages the network, or a professional of that microstructure. */
export function canActInMicrostructure(identity: Identity, microstructureId: string, networkId: string): boolean {
  return canManageNetwork(identity, networkId) || (hasRole(identity, 'professional') && identity.microstructureIds.includes(microstructureId));
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

import { ForbiddenError } from '@cnrms/decider';

/** The caller as reporting needs to know them (the auth lib's identity, without depending on it). */
export interface Viewer {
  roles: readonly string[];
  networkIds: readonly string[];
  microstructureIds: readonly string[];
}

/**
 * Who sees what (issue #6): the national coordination (and administrators) every network, down to the
 * microstructure; a regional coordinator their own networks down to the microstructure; a team its own
 * microstructure; a funder the networks of its token. Every audience outside the team (regional included)
 * sees protected figures (cell key method and small-cell suppression); the team its exact ones.
 */
export interface Audience {
  kind: 'NATIONAL' | 'NETWORK' | 'FUNDER' | 'TEAM';
  /** null: every network. */
  networkIds: readonly string[] | null;
  /** null: every microstructure of the networks. */
  microstructureIds: readonly string[] | null;
  suppressed: boolean;
}

export function audienceOf(viewer: Viewer): Audience {
  const has = (role: string) => viewer.roles.includes(role);
  if (has('national_coordinator') || has('admin')) return { kind: 'NATIONAL', networkIds: null, microstructureIds: null, suppressed: true };
  if (has('regional_coordinator')) {
    if (viewer.networkIds.length === 0) throw new ForbiddenError('Votre jeton de coordination régionale ne désigne aucun réseau.');
    // Outside the team every audience gets protected figures (issue #13, finding 5): a regional coordinator's
    // cross-tabulations reached single patients.
    return { kind: 'NETWORK', networkIds: viewer.networkIds, microstructureIds: null, suppressed: true };
  }
  if (has('funder')) {
    if (viewer.networkIds.length === 0) throw new ForbiddenError('Votre jeton de financeur ne désigne aucun réseau : aucun indicateur ne vous est ouvert.');
    return { kind: 'FUNDER', networkIds: viewer.networkIds, microstructureIds: null, suppressed: true };
  }
  if (has('professional')) {
    if (viewer.microstructureIds.length === 0) throw new ForbiddenError('Votre jeton ne désigne aucune microstructure.');
    return { kind: 'TEAM', networkIds: null, microstructureIds: viewer.microstructureIds, suppressed: false };
  }
  throw new ForbiddenError('Les indicateurs sont réservés aux coordinations, aux équipes et aux financeurs.');
}

export interface ScopeFilter {
  networkIds?: readonly string[] | null;
  microstructureIds?: readonly string[] | null;
}

/** What a query may read: the caller's filter within the audience's scope; asking for more is refused, not silently narrowed. */
export function scopeOf(audience: Audience, filter: ScopeFilter): { networkIds: readonly string[] | null; microstructureIds: readonly string[] | null } {
  const outside = (asked: readonly string[] | null | undefined, allowed: readonly string[] | null) => (asked && allowed ? asked.filter((id) => !allowed.includes(id)) : []);
  const networks = outside(filter.networkIds, audience.networkIds);
  if (networks.length > 0) throw new ForbiddenError(`Réseau hors de votre périmètre : ${networks.join(', ')}.`, 'SCOPE_FORBIDDEN');
  const microstructures = outside(filter.microstructureIds, audience.microstructureIds);
  if (microstructures.length > 0) throw new ForbiddenError(`Microstructure hors de votre périmètre : ${microstructures.join(', ')}.`, 'SCOPE_FORBIDDEN');
  return {
    networkIds: filter.networkIds?.length ? filter.networkIds : audience.networkIds,
    microstructureIds: filter.microstructureIds?.length ? filter.microstructureIds : audience.microstructureIds,
  };
}

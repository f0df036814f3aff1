import { canManageNetwork, canReadDirectory, forbid, hasRole, Identity, isNational } from '@cnrms/auth';

/**
 * Who may do what with trainings. The catalogue (trainings, sessions, seat counts, counts per network)
 * is for every signed-in role but funders, who see aggregated indicators only (the roles table of
 * docs/security.md). A regional coordinator manages (publishes,
 * records attendance for, lists the registrants of) their own network's trainings; the national
 * coordination its national ones, and any. A professional registers and cancels only themselves (the
 * token's `professionalId`). A professional's registrations, hours and certificates are theirs, and
 * their networks' coordinators'; funders see only counts.
 */
export const trainingAccess = {
  /** The catalogue: every role of the directory, not funders. */
  readCatalogue(caller: Identity): void {
    if (!canReadDirectory(caller)) forbid('Le catalogue des formations n’est pas accessible avec ce rôle : les financeurs consultent les indicateurs agrégés.');
  },
  /** Manage a training organised by `networkId` (null: the national coordination). */
  manage(caller: Identity, networkId: string | null): void {
    const allowed = networkId === null ? isNational(caller) : canManageNetwork(caller, networkId);
    if (!allowed) {
      forbid(networkId === null ? 'Seule la coordination nationale gère les formations et journées nationales.' : 'Seules les coordinations du réseau gèrent ses formations.');
    }
  },
  canManage(caller: Identity, networkId: string | null): boolean {
    return networkId === null ? isNational(caller) : canManageNetwork(caller, networkId);
  },
  /** The caller's own professional id: only a professional registers (themselves). */
  selfProfessional(caller: Identity): string {
    if (!hasRole(caller, 'professional') || !caller.professionalId) forbid('Seul un professionnel peut s’inscrire à une formation (ou annuler son inscription), pour lui-même.');
    return caller.professionalId;
  },
  /** Read a professional's registrations, hours or certificate: themselves, or a coordination of a network they belong to. */
  readProfessional(caller: Identity, professionalId: string, networkIds: readonly string[]): void {
    if (!trainingAccess.canReadProfessional(caller, professionalId, networkIds)) {
      forbid('Les inscriptions et heures de formation d’un professionnel sont réservées à lui-même et aux coordinations de ses réseaux.');
    }
  },
  canReadProfessional(caller: Identity, professionalId: string, networkIds: readonly string[]): boolean {
    if (hasRole(caller, 'professional') && caller.professionalId === professionalId) return true;
    return isNational(caller) || (hasRole(caller, 'regional_coordinator') && networkIds.some((id) => caller.networkIds.includes(id)));
  },
  /** Aggregated hours of a network: its coordinations, the national level and funders (counts only). */
  readNetworkHours(caller: Identity, networkId: string): void {
    if (!canManageNetwork(caller, networkId) && !hasRole(caller, 'funder')) forbid('Les heures de formation d’un réseau sont réservées à ses coordinations, à la coordination nationale et aux financeurs.');
  },
};

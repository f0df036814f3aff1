import { canActInMicrostructure, canManageNetwork, canReadDirectory, forbid, hasRole, Identity, isNational } from '@cnrms/auth';

export type { Identity };

/**
 * Who may change what in the directory. The national coordination (and administrators) act everywhere;
 * a regional coordinator only in the networks of their token; a team member only on their own
 * microstructure's partners. Funders read aggregated facts only.
 */
export const directoryAccess = {
  createNetwork(caller: Identity): void {
    if (!isNational(caller)) forbid('Seule la coordination nationale peut créer un réseau régional.');
  },
  manageNetwork(caller: Identity, networkId: string): void {
    if (!canManageNetwork(caller, networkId)) forbid('Vous ne pouvez modifier que l’annuaire de votre propre réseau régional.');
  },
  registerProfessional(caller: Identity): void {
    if (!isNational(caller) && !hasRole(caller, 'regional_coordinator')) forbid('Seules les coordinations (nationale ou régionales) enregistrent des professionnels.');
  },
  /** `currentMemberIds`: the team today, from the microstructure's own events (not the caller's token). */
  managePartners(caller: Identity, currentMemberIds: readonly string[], networkId: string): void {
    if (!canActInMicrostructure(caller, currentMemberIds, networkId)) forbid('Seuls l’équipe de la microstructure et la coordination de son réseau gèrent ses partenaires.');
  },
};

/** Networks, microstructures, teams, partners: not for funders, who see aggregated indicators only. */
export function readDirectory(caller: Identity): void {
  if (!canReadDirectory(caller)) forbid('L’annuaire n’est pas accessible avec ce rôle : les financeurs consultent les indicateurs agrégés.');
}

/** Names and identifiers of professionals: not for funders, who see aggregated indicators only. */
export function canReadDirectoryPeople(caller: Identity): boolean {
  return hasRole(caller, 'national_coordinator', 'regional_coordinator', 'professional', 'admin');
}

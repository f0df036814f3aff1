import { canManageNetwork, forbid, hasRole, Identity } from '@cnrms/auth';

export type { Identity };

/**
 * Patient data never leaves the team: only a professional of the patient's microstructure (in their
 * token, and an active member in the directory's memberships, checked by the caller of these functions)
 * reads or records anything about a patient. Coordinations see counts (`caseloadSummary`); funders see
 * only reporting's aggregated indicators.
 */
export const inclusionsAccess = {
  /** The professional's id, when the token says they belong to this microstructure's team. */
  teamProfessional(caller: Identity, microstructureId: string): string {
    if (!hasRole(caller, 'professional') || !caller.professionalId || !caller.microstructureIds.includes(microstructureId)) {
      forbid('Les données des patients ne sont accessibles qu’à l’équipe de leur microstructure.');
    }
    return caller.professionalId;
  },
  /** Who reads the caseload's counts: `exact` for the team, `protected` (small counts hidden) for the coordinations. */
  readCaseloadSummary(caller: Identity, microstructureId: string, networkId: string): 'exact' | 'protected' {
    if (hasRole(caller, 'professional') && caller.microstructureIds.includes(microstructureId)) return 'exact';
    if (canManageNetwork(caller, networkId)) return 'protected';
    return forbid('Les chiffres de la file active sont réservés à l’équipe et aux coordinations de son réseau.');
  },
};

import { canManageNetwork, forbid, hasRole, Identity } from '@cnrms/auth';

/**
 * Who sees what of the meetings. Patient-level data (who was reviewed, the decisions, the summary, the
 * suggestions) stays in the team: a professional whose token contains the microstructure, and who is a
 * member in the directory's memberships (checked by the commands). The network's coordinations see
 * the meetings themselves (dates, attendance, counts) to follow the network's activity; funders see only
 * reporting's aggregates.
 */
export const meetingsAccess = {
  /** The professional's id, when the token says they belong to this microstructure's team. */
  teamProfessional(caller: Identity, microstructureId: string): string {
    if (!isTeam(caller, microstructureId) || !caller.professionalId) forbid('Les situations examinées en réunion de synthèse ne sont accessibles qu’à l’équipe de la microstructure.');
    return caller.professionalId;
  },
  isTeam(caller: Identity, microstructureId: string): boolean {
    return isTeam(caller, microstructureId);
  },
  readMeetings(caller: Identity, microstructureId: string, networkId: string): void {
    if (!isTeam(caller, microstructureId) && !canManageNetwork(caller, networkId)) forbid('Les réunions d’une microstructure sont réservées à son équipe et aux coordinations de son réseau.');
  },
  readNetworkActivity(caller: Identity, networkId: string): void {
    if (!canManageNetwork(caller, networkId)) forbid('Les réunions de toutes les microstructures d’un réseau sont réservées à ses coordinations.');
  },
  manageNetworkMeetings(caller: Identity, networkId: string): void {
    if (!canManageNetwork(caller, networkId)) forbid('Seules les coordinations du réseau enregistrent ses réunions d’échange.');
  },
  readNetworkMeetings(caller: Identity, networkId: string): void {
    const professional = hasRole(caller, 'professional') && caller.networkIds.includes(networkId);
    if (!professional && !canManageNetwork(caller, networkId)) forbid('Les réunions d’échange d’un réseau sont réservées à ses coordinations et à ses professionnels.');
  },
};

function isTeam(caller: Identity, microstructureId: string): boolean {
  return hasRole(caller, 'professional') && caller.microstructureIds.includes(microstructureId);
}

import { todayInFrance } from '@cnrms/decider';
import { Injectable } from '@nestjs/common';
import { canManageNetwork, forbid, Identity, TeamAuthorization } from '@cnrms/auth';
import { MeetingsQueries } from './meetings.queries';

const TEAM_ONLY = 'Les situations examinées en réunion de synthèse ne sont accessibles qu’aux membres actuels de l’équipe de la microstructure.';

/**
 * Who sees what of the meetings. Patient-level data (who was reviewed, the decisions, the summary, the
 * suggestions) stays in the team: a professional the directory's memberships count in the team today
 * (`TeamAuthorization` of `@cnrms/auth`; the token's microstructures are not trusted). The network's
 * coordinations see the meetings themselves (dates, attendance, counts) to follow the network's
 * activity; funders see only reporting's aggregates.
 */
@Injectable()
export class MeetingsAccess {
  private readonly team: TeamAuthorization;

  constructor(queries: MeetingsQueries) {
    this.team = new TeamAuthorization(queries, todayInFrance);
  }

  /** The professional's id, when they are a current member of this microstructure's team. */
  teamProfessional(caller: Identity, microstructureId: string): Promise<string> {
    return this.team.teamProfessional(caller, microstructureId, TEAM_ONLY);
  }

  isTeam(caller: Identity, microstructureId: string): Promise<boolean> {
    return this.team.isTeam(caller, microstructureId);
  }

  async canReadMeetings(caller: Identity, microstructureId: string, networkId: string): Promise<boolean> {
    return canManageNetwork(caller, networkId) || (await this.team.isTeam(caller, microstructureId));
  }

  async readMeetings(caller: Identity, microstructureId: string, networkId: string): Promise<void> {
    if (!(await this.canReadMeetings(caller, microstructureId, networkId))) forbid('Les réunions d’une microstructure sont réservées à son équipe et aux coordinations de son réseau.');
  }

  readNetworkActivity(caller: Identity, networkId: string): void {
    if (!canManageNetwork(caller, networkId)) forbid('Les réunions de toutes les microstructures d’un réseau sont réservées à ses coordinations.');
  }

  manageNetworkMeetings(caller: Identity, networkId: string): void {
    if (!canManageNetwork(caller, networkId)) forbid('Seules les coordinations du réseau enregistrent ses réunions d’échange.');
  }

  async readNetworkMeetings(caller: Identity, networkId: string): Promise<void> {
    if (!canManageNetwork(caller, networkId) && !(await this.team.isNetworkProfessional(caller, networkId))) forbid('Les réunions d’échange d’un réseau sont réservées à ses coordinations et à ses professionnels.');
  }
}

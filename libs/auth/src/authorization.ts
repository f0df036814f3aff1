import { forbid, hasRole } from './access';
import { Identity } from './identity';

/**
 * The directory's memberships as a service keeps them from the directory's integration events
 * (`MembershipStarted`, `MembershipEnded`). A token names microstructures, but it outlives a membership
 * and anyone able to sign one could name any microstructure: team rights are decided on this copy only.
 */
export interface MembershipLookup {
  /** Whether the professional is in the microstructure's team on `onDate` (AAAA-MM-JJ). */
  isMember(microstructureId: string, professionalId: string, onDate: string): Promise<boolean>;
  /** Whether the professional is in the team of any microstructure of the network on `onDate`. */
  isMemberInNetwork(networkId: string, professionalId: string, onDate: string): Promise<boolean>;
  /** The microstructures whose team counts the professional on `onDate`. */
  microstructuresOf(professionalId: string, onDate: string): Promise<string[]>;
}

/**
 * The team rules of the roles table (docs/security.md), written once: a professional acts for a
 * microstructure's patients only while the directory counts them in its team today, whatever their
 * token says. Coordinations act by role and network (their tokens name the network), funders never
 * reach team data.
 */
export class TeamAuthorization {
  constructor(
    private readonly memberships: MembershipLookup,
    private readonly today: () => string,
  ) {}

  /** Whether the caller is a current member of the microstructure's team. */
  async isTeam(caller: Identity, microstructureId: string): Promise<boolean> {
    if (!hasRole(caller, 'professional') || !caller.professionalId) return false;
    return this.memberships.isMember(microstructureId, caller.professionalId, this.today());
  }

  /** The caller's professional id, when they are a current member of the team; refused otherwise. */
  async teamProfessional(caller: Identity, microstructureId: string, message: string): Promise<string> {
    if (!(await this.isTeam(caller, microstructureId))) forbid(message);
    return caller.professionalId as string;
  }

  /**
   * The caller as the team rules see them: their microstructures are those the directory counts them in
   * today (none for anyone but a professional), whatever their token names.
   */
  async withCurrentTeams(caller: Identity): Promise<Identity> {
    if (!hasRole(caller, 'professional') || !caller.professionalId) return { ...caller, microstructureIds: [] };
    return { ...caller, microstructureIds: await this.memberships.microstructuresOf(caller.professionalId, this.today()) };
  }

  /** Whether the caller is a current member of a team of the network. */
  async isNetworkProfessional(caller: Identity, networkId: string): Promise<boolean> {
    if (!hasRole(caller, 'professional') || !caller.professionalId) return false;
    return this.memberships.isMemberInNetwork(networkId, caller.professionalId, this.today());
  }
}

import { Identity, MembershipLookup, TeamAuthorization } from '@cnrms/auth';
import { dayInParis } from '@cnrms/domain-reporting';
import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { activeFactSet } from './facts/fact-sets';
import { Clock, CLOCK } from './tokens';

/**
 * The directory's memberships as reporting's active fact set keeps them (from `MembershipStarted` and
 * `MembershipEnded`): a team sees its own microstructure's indicators only while it is its team.
 */
@Injectable()
export class ReportingViewers implements MembershipLookup {
  private readonly team: TeamAuthorization;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.team = new TeamAuthorization(this, () => dayInParis(clock()));
  }

  /** The caller, their microstructures replaced by those the directory counts them in today (the token's are not trusted). */
  viewerOf(caller: Identity): Promise<Identity> {
    return this.team.withCurrentTeams(caller);
  }

  async microstructuresOf(professionalId: string, onDate: string): Promise<string[]> {
    const active = await activeFactSet(this.pool);
    if (!active) return [];
    const { rows } = await this.pool.query<{ microstructure_id: string }>(
      `select distinct microstructure_id from ${active.schema_name}.memberships where professional_id = $1 and started_on <= $2 and (ended_on is null or ended_on >= $2)`,
      [professionalId, onDate],
    );
    return rows.map((r) => r.microstructure_id);
  }

  async isMember(microstructureId: string, professionalId: string, onDate: string): Promise<boolean> {
    return (await this.microstructuresOf(professionalId, onDate)).includes(microstructureId);
  }

  async isMemberInNetwork(networkId: string, professionalId: string, onDate: string): Promise<boolean> {
    const active = await activeFactSet(this.pool);
    if (!active) return false;
    const { rows } = await this.pool.query(`select 1 from ${active.schema_name}.memberships where network_id = $1 and professional_id = $2 and started_on <= $3 and (ended_on is null or ended_on >= $3) limit 1`, [networkId, professionalId, onDate]);
    return rows.length > 0;
  }
}

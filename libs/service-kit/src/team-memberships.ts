import { MembershipEnded, MembershipStarted } from '@cnrms/contracts';
import { IntegrationEvent, payloadOf } from '@cnrms/messaging';
import { PoolClient } from 'pg';

/**
 * The copy of the directory's team memberships that a service keeps to check who is in a team on a day:
 * `<schema>.memberships`, the same name and columns in every service as in the directory
 * (microstructure_id, professional_id, started_on, network_id, profession, ended_on; key: the first three).
 * A professional is in a team on a day when a membership covers that day.
 *
 * Applies `MembershipStarted` / `MembershipEnded` (replays change nothing) and says whether the event was one
 * of them, so that a consumer handles the rest itself.
 */
export async function keepTeamMembership(tx: PoolClient, schema: string, event: IntegrationEvent): Promise<boolean> {
  if (event.type === MembershipStarted.type) {
    const p = payloadOf(MembershipStarted, event);
    await tx.query(
      `insert into ${schema}.memberships (microstructure_id, professional_id, started_on, network_id, profession) values ($1, $2, $3, $4, $5) on conflict do nothing`,
      [p.microstructureId, p.professionalId, p.startedOn, p.networkId, p.profession],
    );
    return true;
  }
  if (event.type === MembershipEnded.type) {
    const p = payloadOf(MembershipEnded, event);
    await tx.query(`update ${schema}.memberships set ended_on = $4 where microstructure_id = $1 and professional_id = $2 and started_on = $3`, [
      p.microstructureId,
      p.professionalId,
      p.startedOn,
      p.endedOn,
    ]);
    return true;
  }
  return false;
}

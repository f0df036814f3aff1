import {
  MembershipEnded,
  MembershipStarted,
  MICROSTRUCTURE_TOPIC,
  MicrostructureClosed,
  MicrostructureCreated,
  MicrostructureOpened,
  PartnerAdded,
  PartnerRemoved,
  PayloadOf,
} from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { IntegrationConsumer } from '@cnrms/service-kit';
import { PoolClient } from 'pg';

/**
 * Keeps, from the directory's integration events, who belongs to which microstructure: only a member
 * of a patient's microstructure may include or follow them; and its partners, to which a session refers.
 */
export const careTeamsConsumer: IntegrationConsumer = {
  topics: [MICROSTRUCTURE_TOPIC],
  // Only this deployment's own care teams (docs/deployments.md): a self-hosting region's patients are never
  // recorded by the national deployment, so it must not know that region's microstructures.
  federated: false,
  async handle(event: IntegrationEvent, tx: PoolClient): Promise<void> {
    switch (event.type) {
      case MicrostructureCreated.type: {
        const p = event.payload as PayloadOf<typeof MicrostructureCreated>;
        await tx.query(`insert into inclusions.microstructures (id, network_id, name, status) values ($1, $2, $3, 'IN_CREATION') on conflict (id) do nothing`, [p.microstructureId, p.networkId, p.name]);
        return;
      }
      case MicrostructureOpened.type: {
        const p = event.payload as PayloadOf<typeof MicrostructureOpened>;
        await tx.query(`update inclusions.microstructures set status = 'ACTIVE', opened_on = $2 where id = $1`, [p.microstructureId, p.openedOn]);
        return;
      }
      case MicrostructureClosed.type: {
        const p = event.payload as PayloadOf<typeof MicrostructureClosed>;
        await tx.query(`update inclusions.microstructures set status = 'CLOSED', closed_on = $2 where id = $1`, [p.microstructureId, p.closedOn]);
        return;
      }
      case MembershipStarted.type: {
        const p = event.payload as PayloadOf<typeof MembershipStarted>;
        await tx.query(
          `insert into inclusions.care_team_members (microstructure_id, professional_id, started_on, network_id, profession) values ($1, $2, $3, $4, $5) on conflict do nothing`,
          [p.microstructureId, p.professionalId, p.startedOn, p.networkId, p.profession],
        );
        return;
      }
      case MembershipEnded.type: {
        const p = event.payload as PayloadOf<typeof MembershipEnded>;
        await tx.query(`update inclusions.care_team_members set ended_on = $4 where microstructure_id = $1 and professional_id = $2 and started_on = $3`, [p.microstructureId, p.professionalId, p.startedOn, p.endedOn]);
        return;
      }
      case PartnerAdded.type: {
        const p = event.payload as PayloadOf<typeof PartnerAdded>;
        await tx.query(`insert into inclusions.partners (microstructure_id, partner_id, partner_type) values ($1, $2, $3) on conflict do nothing`, [p.microstructureId, p.partnerId, p.partnerType]);
        return;
      }
      case PartnerRemoved.type: {
        const p = event.payload as PayloadOf<typeof PartnerRemoved>;
        await tx.query(`delete from inclusions.partners where microstructure_id = $1 and partner_id = $2`, [p.microstructureId, p.partnerId]);
        return;
      }
    }
  },
};

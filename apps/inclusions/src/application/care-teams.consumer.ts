import {
  MICROSTRUCTURE_TOPIC,
  MicrostructureClosed,
  MicrostructureCreated,
  MicrostructureOpened,
  PartnerAdded,
  PartnerRemoved,
} from '@cnrms/contracts';
import { IntegrationEvent, payloadOf } from '@cnrms/messaging';
import { IntegrationConsumer, keepTeamMembership } from '@cnrms/service-kit';
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
    if (await keepTeamMembership(tx, 'inclusions', event)) return;
    switch (event.type) {
      case MicrostructureCreated.type: {
        const p = payloadOf(MicrostructureCreated, event);
        await tx.query(`insert into inclusions.microstructures (id, network_id, name, status) values ($1, $2, $3, 'IN_CREATION') on conflict (id) do nothing`, [p.microstructureId, p.networkId, p.name]);
        return;
      }
      case MicrostructureOpened.type: {
        const p = payloadOf(MicrostructureOpened, event);
        await tx.query(`update inclusions.microstructures set status = 'ACTIVE', opened_on = $2 where id = $1`, [p.microstructureId, p.openedOn]);
        return;
      }
      case MicrostructureClosed.type: {
        const p = payloadOf(MicrostructureClosed, event);
        await tx.query(`update inclusions.microstructures set status = 'CLOSED', closed_on = $2 where id = $1`, [p.microstructureId, p.closedOn]);
        return;
      }
      case PartnerAdded.type: {
        const p = payloadOf(PartnerAdded, event);
        await tx.query(`insert into inclusions.partners (microstructure_id, partner_id, partner_type) values ($1, $2, $3) on conflict do nothing`, [p.microstructureId, p.partnerId, p.partnerType]);
        return;
      }
      case PartnerRemoved.type: {
        const p = payloadOf(PartnerRemoved, event);
        await tx.query(`delete from inclusions.partners where microstructure_id = $1 and partner_id = $2`, [p.microstructureId, p.partnerId]);
        return;
      }
    }
  },
};

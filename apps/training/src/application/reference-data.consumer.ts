import {
  MICROSTRUCTURE_TOPIC,
  NETWORK_TOPIC,
  NetworkCreated,
  PROFESSIONAL_TOPIC,
  ProfessionalRegistered,
} from '@cnrms/contracts';
import { IntegrationEvent, payloadOf } from '@cnrms/messaging';
import { IntegrationConsumer, keepTeamMembership } from '@cnrms/service-kit';
import { PoolClient } from 'pg';

/**
 * Keeps, from the directory's events, the regional networks, the professionals (profession and the name
 * printed on their certificates) and their memberships: who is a member of which network and since when.
 * Handled in the bus's transaction; inserts skip what exists and updates set values, so that a replay
 * changes nothing.
 */
export const referenceDataConsumer: IntegrationConsumer = {
  topics: [NETWORK_TOPIC, MICROSTRUCTURE_TOPIC, PROFESSIONAL_TOPIC],
  async handle(event: IntegrationEvent, tx: PoolClient): Promise<void> {
    if (await keepTeamMembership(tx, 'training', event)) return;
    switch (event.type) {
      case NetworkCreated.type: {
        const p = payloadOf(NetworkCreated, event);
        await tx.query(`insert into training.networks (id, name, region) values ($1, $2, $3) on conflict (id) do nothing`, [p.networkId, p.name, p.region]);
        return;
      }
      case ProfessionalRegistered.type: {
        const p = payloadOf(ProfessionalRegistered, event);
        await tx.query(`insert into training.professionals (id, profession, display_name) values ($1, $2, $3) on conflict (id) do nothing`, [p.professionalId, p.profession, p.displayName]);
        return;
      }
    }
  },
};

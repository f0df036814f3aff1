import {
  MembershipEnded,
  MembershipStarted,
  MICROSTRUCTURE_TOPIC,
  NETWORK_TOPIC,
  NetworkCreated,
  PayloadOf,
  PROFESSIONAL_TOPIC,
  ProfessionalRegistered,
} from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { IntegrationConsumer } from '@cnrms/service-kit';
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
    switch (event.type) {
      case NetworkCreated.type: {
        const p = event.payload as PayloadOf<typeof NetworkCreated>;
        await tx.query(`insert into training.networks (id, name, region) values ($1, $2, $3) on conflict (id) do nothing`, [p.networkId, p.name, p.region]);
        return;
      }
      case ProfessionalRegistered.type: {
        const p = event.payload as PayloadOf<typeof ProfessionalRegistered>;
        await tx.query(`insert into training.professionals (id, profession, display_name) values ($1, $2, $3) on conflict (id) do nothing`, [p.professionalId, p.profession, p.displayName]);
        return;
      }
      case MembershipStarted.type: {
        const p = event.payload as PayloadOf<typeof MembershipStarted>;
        await tx.query(
          `insert into training.memberships (microstructure_id, professional_id, started_on, network_id, profession) values ($1, $2, $3, $4, $5) on conflict do nothing`,
          [p.microstructureId, p.professionalId, p.startedOn, p.networkId, p.profession],
        );
        return;
      }
      case MembershipEnded.type: {
        const p = event.payload as PayloadOf<typeof MembershipEnded>;
        await tx.query(`update training.memberships set ended_on = $4 where microstructure_id = $1 and professional_id = $2 and started_on = $3`, [p.microstructureId, p.professionalId, p.startedOn, p.endedOn]);
        return;
      }
    }
  },
};

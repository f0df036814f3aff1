import {
  AssessmentRecorded,
  ExitRecorded,
  INCLUSION_TOPIC,
  MICROSTRUCTURE_TOPIC,
  MicrostructureClosed,
  MicrostructureCreated,
  MicrostructureOpened,
  PatientErased,
  PatientIncluded,
} from '@cnrms/contracts';
import { IntegrationEvent, payloadOf } from '@cnrms/messaging';
import { IntegrationConsumer, keepTeamMembership } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { destroyPatientKey } from '../infrastructure/postgres-summary-vault';

/**
 * Keeps, from the directory's events, who belongs to which microstructure (only members attend a
 * meeting) and when it was open (a month without a meeting is flagged only while it is); from the
 * inclusions' events, which pseudonymous patient is included where, since when, and which assessments
 * were done (a patient is reviewed only while included; overdue assessments are suggested). On
 * PatientErased the patient's summary key is destroyed: their summaries become unreadable for good.
 */
export const referenceDataConsumer: IntegrationConsumer = {
  topics: [MICROSTRUCTURE_TOPIC, INCLUSION_TOPIC],
  // Only this deployment's own teams and inclusions: a self-hosting region's case reviews stay in the region.
  federated: false,
  async handle(event: IntegrationEvent, tx: PoolClient): Promise<void> {
    if (await keepTeamMembership(tx, 'meetings', event)) return;
    switch (event.type) {
      case MicrostructureCreated.type: {
        const p = payloadOf(MicrostructureCreated, event);
        await tx.query(`insert into meetings.microstructures (id, network_id, name, status) values ($1, $2, $3, 'IN_CREATION') on conflict (id) do nothing`, [p.microstructureId, p.networkId, p.name]);
        return;
      }
      case MicrostructureOpened.type: {
        const p = payloadOf(MicrostructureOpened, event);
        await tx.query(`update meetings.microstructures set status = 'ACTIVE', opened_on = $2 where id = $1`, [p.microstructureId, p.openedOn]);
        return;
      }
      case MicrostructureClosed.type: {
        const p = payloadOf(MicrostructureClosed, event);
        await tx.query(`update meetings.microstructures set status = 'CLOSED', closed_on = $2 where id = $1`, [p.microstructureId, p.closedOn]);
        return;
      }
      case PatientIncluded.type: {
        const p = payloadOf(PatientIncluded, event);
        await tx.query(
          `insert into meetings.followed_inclusions (inclusion_id, patient_id, microstructure_id, network_id, included_on) values ($1, $2, $3, $4, $5) on conflict (inclusion_id) do nothing`,
          [p.inclusionId, p.patientId, p.microstructureId, p.networkId, p.includedOn],
        );
        return;
      }
      case ExitRecorded.type: {
        const p = payloadOf(ExitRecorded, event);
        await tx.query(`update meetings.followed_inclusions set exited_on = $2 where inclusion_id = $1`, [p.inclusionId, p.exitedOn]);
        return;
      }
      case AssessmentRecorded.type: {
        const p = payloadOf(AssessmentRecorded, event);
        await tx.query(
          `update meetings.followed_inclusions set assessed_timepoints = array_append(assessed_timepoints, $2) where inclusion_id = $1 and not ($2 = any(assessed_timepoints))`,
          [p.inclusionId, p.timepoint],
        );
        return;
      }
      case PatientErased.type:
        await destroyPatientKey(tx, (payloadOf(PatientErased, event)).patientId);
        return;
    }
  },
};

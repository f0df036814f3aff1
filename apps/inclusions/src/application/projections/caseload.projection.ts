import { Injectable, Type } from '@nestjs/common';
import {
  assessmentSchedule,
  ExitReason,
  InclusionEvent,
  inclusionDecider,
  InclusionsEvent,
  InclusionState,
  lastContactOn,
  SessionKind,
  Timepoint,
} from '@cnrms/domain-inclusions';
import { todayInFrance } from '@cnrms/decider';
import { Projection, RecordedEvent } from '@cnrms/eventsourcing';
import { EntityManager } from 'typeorm';
import { InclusionsSettings } from '../../config';

export const CASELOAD_PROJECTION = 'inclusions.caseload.v1';

const SESSION_LABELS: Record<SessionKind, string> = {
  GP_CONSULTATION: 'Consultation de médecine générale',
  PSYCHOLOGIST_SESSION: 'Séance avec le psychologue',
  SOCIAL_WORK_INTERVIEW: 'Entretien avec le travailleur social',
  PSYCHIATRIST_SESSION: 'Séance avec le psychiatre',
};

const EXIT_LABELS: Record<ExitReason, string> = {
  GOALS_REACHED: 'objectifs atteints',
  MOVED: 'déménagement',
  REFERRED_TO_SPECIALISED_CENTRE: 'orientation vers une structure spécialisée',
  LOST_TO_FOLLOW_UP: 'perdu de vue',
  DECEASED: 'décès',
  PATIENT_CHOICE: 'choix du patient',
  OTHER: 'autre motif',
};

/** Earliest window start of a timepoint not yet assessed, while the inclusion is open: the caseload's "assessment due" filter. */
export function nextAssessmentWindowStart(state: InclusionState, timepoints: readonly Timepoint[], windowDays: number): string | null {
  if (state.status !== 'OPEN') return null;
  const pending = assessmentSchedule(state, state.includedOn, timepoints, windowDays).filter((scheduled) => scheduled.status !== 'DONE');
  return pending.length === 0 ? null : pending.map((scheduled) => scheduled.windowStartOn).sort()[0];
}

/**
 * The team's caseload: patients (the identity only as ciphertext, cleared by an erasure), inclusions
 * with their folded decider state, sessions, assessments and the timeline. The timepoints in
 * configuration decide `next_assessment_window_start`: changing them calls for a rebuild.
 */
export class CaseloadProjection implements Projection {
  readonly name = CASELOAD_PROJECTION;
  readonly categories = ['patient', 'inclusion'];

  constructor(private readonly settings: Pick<InclusionsSettings, 'timepoints' | 'assessmentWindowDays'>) {}

  /** The projection as the service kit registers it (a class), configured with the service's settings. */
  static configured(settings: Pick<InclusionsSettings, 'timepoints' | 'assessmentWindowDays'>): Type<Projection> {
    @Injectable()
    class ConfiguredCaseloadProjection extends CaseloadProjection {
      constructor() {
        super(settings);
      }
    }
    return ConfiguredCaseloadProjection;
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as InclusionsEvent;
    switch (event.type) {
      case 'PatientRegistered': {
        const { patientId, microstructureId, networkId, sex, birthYear, identityCiphertext, registeredAt } = event.data;
        await manager.query(
          `insert into inclusions.patients (id, microstructure_id, network_id, sex, birth_year, identity_ciphertext, registered_at)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing`,
          [patientId, microstructureId, networkId, sex, birthYear, identityCiphertext, registeredAt],
        );
        return;
      }
      case 'IdentityErased': {
        const { patientId, erasedAt, requestedBy } = event.data;
        await manager.query(`update inclusions.patients set identity_ciphertext = null, erased_at = $2 where id = $1`, [patientId, erasedAt]);
        // A care plan recorded in clear, before free text was sealed, leaves the read model with the identity
        // (its sealed successors are shredded with the key). Its events keep it: docs/security.md says so.
        await manager.query(
          `update inclusions.inclusions set state = jsonb_set(state, '{carePlan}', (state->'carePlan') - 'goals' - 'nextSteps' || '{"erased": true}')
            where patient_id = $1 and state->'carePlan' ? 'goals'`,
          [patientId],
        );
        const inclusions: { id: string }[] = await manager.query(`select id from inclusions.inclusions where patient_id = $1`, [patientId]);
        for (const { id } of inclusions) await this.timeline(manager, id, recorded, todayInFrance(new Date(erasedAt)), 'ERASURE', 'Identité du patient effacée à sa demande (droit à l’oubli)', requestedBy);
        return;
      }
      case 'PatientCaseOpened':
      case 'PatientCaseClosed':
        return;
      default:
        await this.applyToInclusion(event, recorded, manager);
    }
  }

  private async applyToInclusion(event: InclusionEvent, recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const { inclusionId } = event.data;
    const rows: { state: InclusionState }[] = await manager.query(`select state from inclusions.inclusions where id = $1 for update`, [inclusionId]);
    const state = inclusionDecider.evolve(rows[0]?.state ?? inclusionDecider.initialState(), event);
    if (state.status === 'NONE') return;
    if (event.type === 'PatientIncluded') {
      const [{ count }]: { count: number }[] = await manager.query(
        `select count(*)::int as count from inclusions.inclusions where patient_id = $1 and microstructure_id = $2 and id <> $3`,
        [state.patientId, state.microstructureId, inclusionId],
      );
      await manager.query(
        `insert into inclusions.inclusions (id, patient_id, microstructure_id, network_id, status, included_on, inclusion_number, last_contact_on, next_assessment_window_start, state)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing`,
        [inclusionId, state.patientId, state.microstructureId, state.networkId, state.status, state.includedOn, count + 1, lastContactOn(state), this.nextWindow(state), state],
      );
    } else {
      await manager.query(`update inclusions.inclusions set status = $2, last_contact_on = $3, next_assessment_window_start = $4, state = $5 where id = $1`, [
        inclusionId,
        state.status,
        lastContactOn(state),
        this.nextWindow(state),
        state,
      ]);
    }
    switch (event.type) {
      case 'PatientIncluded': {
        const reinclusion = event.data.reinclusion ? ' (ré-inclusion)' : '';
        await this.timeline(manager, inclusionId, recorded, event.data.includedOn, 'INCLUSION', `Inclusion dans la microstructure${reinclusion}`, event.data.includedBy);
        return;
      }
      case 'FollowUpSessionRecorded': {
        const { sessionId, kind, heldOn, professionalId, durationMinutes, outcomes } = event.data;
        await manager.query(
          `insert into inclusions.follow_up_sessions (id, inclusion_id, kind, held_on, professional_id, duration_minutes, outcomes) values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing`,
          [sessionId, inclusionId, kind, heldOn, professionalId, durationMinutes, outcomes],
        );
        await this.timeline(manager, inclusionId, recorded, heldOn, 'SESSION', `${SESSION_LABELS[kind]} (${durationMinutes} min)`, professionalId);
        return;
      }
      case 'AssessmentRecorded': {
        const d = event.data;
        await manager.query(
          `insert into inclusions.assessments (inclusion_id, timepoint, assessed_on, days_of_use_last_30, quality_of_life_score, housing, employment, health_coverage, recorded_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing`,
          [inclusionId, d.timepoint, d.assessedOn, d.daysOfUseLast30, d.qualityOfLifeScore, d.housing, d.employment, d.healthCoverage, d.recordedBy],
        );
        await this.timeline(manager, inclusionId, recorded, d.assessedOn, 'ASSESSMENT', `Évaluation ${d.timepoint}`, d.recordedBy);
        return;
      }
      case 'CarePlanRevised':
        await this.timeline(manager, inclusionId, recorded, event.data.updatedOn, 'CARE_PLAN', 'Parcours de soins mis à jour', event.data.updatedBy);
        return;
      case 'ExitRecorded':
        await this.timeline(manager, inclusionId, recorded, event.data.exitedOn, 'EXIT', `Sortie du dispositif : ${EXIT_LABELS[event.data.reason]}`, event.data.recordedBy);
        return;
    }
  }

  private nextWindow(state: InclusionState): string | null {
    return nextAssessmentWindowStart(state, this.settings.timepoints, this.settings.assessmentWindowDays);
  }

  private timeline(manager: EntityManager, inclusionId: string, recorded: RecordedEvent, occurredOn: string, kind: string, summary: string, professionalId: string | null) {
    return manager.query(
      `insert into inclusions.timeline_entries (inclusion_id, entry_key, occurred_on, recorded_at, kind, summary, professional_id) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [inclusionId, `${recorded.streamId}:${recorded.streamVersion}`, occurredOn, recorded.recordedAt, kind, summary, professionalId],
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('truncate inclusions.timeline_entries, inclusions.assessments, inclusions.follow_up_sessions, inclusions.inclusions, inclusions.patients');
  }
}

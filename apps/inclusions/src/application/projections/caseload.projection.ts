import { Injectable, Type } from '@nestjs/common';
import {
  assessmentSchedule,
  ExitReason,
  FollowUpFacts,
  InclusionEvent,
  InclusionsEvent,
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
export function nextAssessmentWindowStart(inclusion: FollowUpFacts, timepoints: readonly Timepoint[], windowDays: number): string | null {
  if (inclusion.status !== 'OPEN') return null;
  const pending = assessmentSchedule(inclusion, inclusion.includedOn, timepoints, windowDays).filter((scheduled) => scheduled.status !== 'DONE');
  return pending.length === 0 ? null : pending.map((scheduled) => scheduled.windowStartOn).sort()[0];
}

/**
 * The team's caseload: patients (the identity only as ciphertext, cleared by an erasure), inclusions
 * (a column for each fact the team reads, never the decider's state), sessions, assessments and the timeline. The timepoints in
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
          `update inclusions.inclusions set care_plan_goals = null, care_plan_next_steps = null, care_plan_erased = true
            where patient_id = $1 and care_plan_goals is not null`,
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
    if (event.type !== 'PatientIncluded') {
      // Nothing to record for an inclusion this read model does not have (as the decider ignores it).
      const [known]: unknown[] = await manager.query(`select 1 from inclusions.inclusions where id = $1 for update`, [inclusionId]);
      if (!known) return;
    }
    await this.applyColumns(event, manager);
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

  /** The inclusion's own columns: each event sets what it says, nothing is folded from the decider. */
  private async applyColumns(event: InclusionEvent, manager: EntityManager): Promise<void> {
    const { inclusionId } = event.data;
    switch (event.type) {
      case 'PatientIncluded': {
        const d = event.data;
        const [{ count }]: { count: number }[] = await manager.query(
          `select count(*)::int as count from inclusions.inclusions where patient_id = $1 and microstructure_id = $2 and id <> $3`,
          [d.patientId, d.microstructureId, inclusionId],
        );
        const nextWindow = this.nextWindow({ status: 'OPEN', includedOn: d.includedOn, lastContactOn: d.includedOn, assessments: [] });
        await manager.query(
          `insert into inclusions.inclusions (id, patient_id, microstructure_id, network_id, status, included_on, inclusion_number, last_contact_on, next_assessment_window_start,
             reasons, treating_gp_id, included_by, reinclusion, sex, age_band, consent_given_on, consent_partner_sharing,
             initial_housing, initial_income, initial_health_coverage, initial_main_substances, initial_days_of_use_last_30)
           values ($1, $2, $3, $4, 'OPEN', $5, $6, $5, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) on conflict (id) do nothing`,
          [
            inclusionId, d.patientId, d.microstructureId, d.networkId, d.includedOn, count + 1, nextWindow,
            d.reasons, d.treatingGpId, d.includedBy, d.reinclusion, d.profile.sex, d.profile.ageBand, d.consent.givenOn, d.consent.partnerSharing ?? [],
            d.initialSituation.housing, d.initialSituation.income, d.initialSituation.healthCoverage, d.initialSituation.mainSubstances, d.initialSituation.daysOfUseLast30,
          ],
        );
        return;
      }
      case 'FollowUpSessionRecorded':
        await manager.query(`update inclusions.inclusions set last_contact_on = greatest(last_contact_on, $2::date) where id = $1`, [inclusionId, event.data.heldOn]);
        return;
      case 'AssessmentRecorded': {
        const [row]: { status: 'OPEN' | 'EXITED'; included_on: string; exited_on: string | null; last_contact_on: string }[] = await manager.query(
          `update inclusions.inclusions set last_contact_on = greatest(last_contact_on, $2::date) where id = $1
           returning status, included_on::text as included_on, exited_on::text as exited_on, last_contact_on::text as last_contact_on`,
          [inclusionId, event.data.assessedOn],
        );
        const done: { timepoint: string; assessedOn: string }[] = await manager.query(
          `select timepoint, assessed_on::text as "assessedOn" from inclusions.assessments where inclusion_id = $1
           union select $2, $3::date::text`,
          [inclusionId, event.data.timepoint, event.data.assessedOn],
        );
        const facts: FollowUpFacts = { status: row.status, includedOn: row.included_on, exitedOn: row.exited_on ?? undefined, lastContactOn: row.last_contact_on, assessments: done };
        await manager.query(`update inclusions.inclusions set next_assessment_window_start = $2 where id = $1`, [inclusionId, this.nextWindow(facts)]);
        return;
      }
      case 'ExitRecorded': {
        const { exitedOn, reason, recordedBy } = event.data;
        await manager.query(
          `update inclusions.inclusions set status = 'EXITED', exited_on = $2, exit_reason = $3, exit_recorded_by = $4, next_assessment_window_start = null where id = $1`,
          [inclusionId, exitedOn, reason, recordedBy],
        );
        return;
      }
      case 'CarePlanRevised': {
        // A sealed plan replaces a plan in clear and the reverse, as the decider keeps only the last.
        const { sealed, goals, nextSteps, updatedOn, updatedBy } = event.data;
        const inClear = sealed === undefined;
        await manager.query(
          `update inclusions.inclusions set care_plan_sealed = $2, care_plan_goals = $3, care_plan_next_steps = $4, care_plan_erased = false,
             care_plan_updated_on = $5, care_plan_updated_by = $6 where id = $1`,
          [inclusionId, sealed ?? null, inClear ? goals ?? [] : null, inClear ? nextSteps ?? [] : null, updatedOn, updatedBy],
        );
        return;
      }
    }
  }

  private nextWindow(inclusion: FollowUpFacts): string | null {
    return nextAssessmentWindowStart(inclusion, this.settings.timepoints, this.settings.assessmentWindowDays);
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

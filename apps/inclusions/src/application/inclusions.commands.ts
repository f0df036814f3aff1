import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Decider, DomainError, DomainEvent, ForbiddenError, NotFoundError, todayInFrance, ValidationError } from '@cnrms/decider';
import {
  ageBand,
  carePlanText,
  IncludePatient,
  inclusionDecider,
  InclusionState,
  inclusionStream,
  isReinclusion,
  patientCaseDecider,
  patientCaseStream,
  patientDecider,
  PatientState,
  patientStream,
  RecordSession,
  requireCarePlanItems,
  requireClearIdentity,
  requireDate,
  yearOf,
} from '@cnrms/domain-inclusions';
import { CommandResult } from '@cnrms/eventsourcing';
import { callerOf, CommandExecutor, commandContext, SubgraphContext } from '@cnrms/service-kit';
import { InclusionsSettings } from '../config';
import { IncludePatientInput, RecordAssessmentInput, RecordExitInput, RecordFollowUpSessionInput, UpdateCarePlanInput } from '../graphql/types';
import { inclusionsAccess } from './access';
import { IDENTITY_VAULT, IdentityVault } from './identity-vault';
import { InclusionsQueries } from './inclusions.queries';
import { CASELOAD_PROJECTION } from './projections/caseload.projection';
import { INCLUSIONS_SETTINGS } from './tokens';

type ExistingInclusion = Exclude<InclusionState, { status: 'NONE' }>;

/** The plan as the decider will keep it, or null when it is not valid (the decider then says why, in its own order). */
function carePlanOf(goals: unknown, nextSteps: unknown): { goals: string[]; nextSteps: string[] } | null {
  try {
    return { goals: requireCarePlanItems(goals, 'goals'), nextSteps: requireCarePlanItems(nextSteps, 'nextSteps') };
  } catch {
    return null;
  }
}

/**
 * The inclusions' write side. A command that changes several streams appends them in one transaction
 * (all or nothing, docs/write-path.md), so that a refusal or a failure writes nothing; the care team comes from the directory's
 * events (`memberships`, libs/service-kit team-memberships.ts); identities are encrypted before they reach a decider.
 */
@Injectable()
export class InclusionsCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: InclusionsQueries,
    @Inject(IDENTITY_VAULT) private readonly vault: IdentityVault,
    @Inject(INCLUSIONS_SETTINGS) private readonly settings: InclusionsSettings,
  ) {}

  /** A new patient (`patient`) or a patient already known in this microstructure (`patientId`): patient, then case guard, then inclusion. */
  async includePatient(context: SubgraphContext, input: IncludePatientInput): Promise<string> {
    const today = todayInFrance();
    // Authorised before anything about the team is checked: a caller outside it learns nothing of its members.
    const professionalId = await this.queries.teamReader(callerOf(context), input.microstructureId, today);
    const microstructure = await this.queries.microstructure(input.microstructureId);
    const includedOn = requireDate(input.includedOn, 'includedOn');
    const profession = await this.queries.membership(input.microstructureId, professionalId, includedOn);
    if ((await this.queries.membership(input.microstructureId, input.treatingGpId, includedOn)) !== 'GENERAL_PRACTITIONER') {
      throw new ValidationError('TREATING_GP_NOT_MEMBER', 'Le médecin traitant doit être un médecin généraliste de l’équipe de la microstructure à la date d’inclusion.', 'treatingGpId');
    }

    const known = await this.knownPatient(input);
    const identity = known ? undefined : requireClearIdentity(input.patient, today);
    const patientId = known?.patientId ?? randomUUID();
    const sex = known?.sex ?? identity!.sex;
    const birthYear = known?.birthYear ?? yearOf(identity!.birthDate);
    if (known && known.microstructureId !== input.microstructureId) throw patientNotFound(patientId);
    if (known?.status === 'IDENTITY_ERASED') throw new DomainError('PATIENT_ERASED', 'L’identité de ce patient a été effacée : il ne peut plus être inclus.', 'CONFLICT');
    // The age band comes from the full birth date at the inclusion date (born 1970-10-17, included
    // 2025-09-20: 54, AGE_45_54), not from the birth year alone: a known patient's is read from the vault.
    const birthDate = identity?.birthDate ?? (known?.status === 'REGISTERED' ? (await this.vault.open(patientId, known.identityCiphertext))?.birthDate : undefined);

    const inclusionId = randomUUID();
    const sharing = (input.consent as { partnerSharing?: unknown } | undefined)?.partnerSharing;
    const partnerIds = Array.isArray(sharing) ? (await this.queries.partners(input.microstructureId, sharing.filter((id): id is string => typeof id === 'string'))).map((p) => p.partnerId) : [];
    const include = (reinclusion: boolean): IncludePatient => ({
      type: 'IncludePatient',
      data: {
        inclusionId,
        today,
        patientId,
        microstructureId: input.microstructureId,
        networkId: microstructure.network_id,
        includedOn,
        reasons: input.reasons as IncludePatient['data']['reasons'],
        treatingGpId: input.treatingGpId,
        actor: { professionalId, profession: profession ?? 'OTHER' },
        actorIsMemberGp: profession === 'GENERAL_PRACTITIONER',
        consent: input.consent as IncludePatient['data']['consent'],
        initialSituation: { ...input.initialSituation, mainSubstances: input.initialSituation?.mainSubstances ?? [] } as IncludePatient['data']['initialSituation'],
        reinclusion,
        profile: { sex, ageBand: ageBand(birthDate ?? birthYear, includedOn) },
        microstructure: { status: microstructure.status as IncludePatient['data']['microstructure']['status'], openedOn: microstructure.opened_on, closedOn: microstructure.closed_on },
        partnerIds,
        birth: { birthYear, ...(birthDate && { birthDate }) },
      },
    });
    // Pure checks of the input on empty states (nothing loaded), because the patient's key is written
    // (sealed) before the events: a refused inclusion or identity writes no key. Everything that depends
    // on recorded state is decided once, below, in the transaction.
    inclusionDecider.decide(include(false), inclusionDecider.initialState());
    const caseStream = patientCaseStream(patientId, input.microstructureId);
    const openCase = { type: 'OpenCase' as const, data: { patientId, microstructureId: input.microstructureId, inclusionId, includedOn } };
    const registeredAt = new Date().toISOString();
    const register = (identityCiphertext: string) => ({
      type: 'RegisterPatient' as const,
      data: { patientId, microstructureId: input.microstructureId, networkId: microstructure.network_id, identityCiphertext, sex, birthYear, registeredAt },
    });
    if (identity) patientDecider.decide(register('dry-run'), patientDecider.initialState());
    const ciphertext = identity ? await this.vault.seal(patientId, identity) : undefined;

    // Patient, case guard and inclusion: one append, all or nothing (docs/write-path.md).
    const result = await this.executor.executeMany('IncludePatient', commandContext(context, microstructure.network_id), async (tx) => {
      if (ciphertext) await tx.decide(patientDecider, patientStream(patientId), register(ciphertext));
      const opened = await tx.decide(patientCaseDecider, caseStream, openCase);
      await tx.decide(inclusionDecider, inclusionStream(inclusionId), include(isReinclusion(opened.state)));
    });
    await this.executor.waitForProjection(CASELOAD_PROJECTION, result);
    return inclusionId;
  }

  async recordFollowUpSession(context: SubgraphContext, input: RecordFollowUpSessionInput): Promise<string> {
    const { inclusion, professionalId } = await this.forTeam(context, input.inclusionId);
    const heldOn = requireDate(input.heldOn, 'heldOn');
    const profession = await this.queries.membership(inclusion.microstructureId, professionalId, heldOn);
    const sessionId = randomUUID();
    const referrals = await this.referrals(inclusion.microstructureId, input.outcomes?.referrals?.map((r) => r.partnerId) ?? []);
    const command: RecordSession = {
      type: 'RecordSession',
      data: {
        inclusionId: input.inclusionId,
        today: todayInFrance(),
        sessionId,
        kind: (input.kind ?? null) as RecordSession['data']['kind'],
        heldOn,
        professionalId,
        profession: profession ?? 'OTHER',
        actorIsMember: profession !== null,
        durationMinutes: input.durationMinutes,
        outcomes: { screenings: input.outcomes?.screenings, rights: input.outcomes?.rights, referrals, treatments: input.outcomes?.treatments } as RecordSession['data']['outcomes'],
        patientErased: (await this.executor.state(patientDecider, patientStream(inclusion.patientId))).status === 'IDENTITY_ERASED',
        minutesWithOtherPatients: await this.queries.minutesWithOtherPatients(professionalId, heldOn, input.inclusionId),
      },
    };
    await this.run(inclusionDecider, inclusionStream(input.inclusionId), command, context, inclusion.networkId);
    return sessionId;
  }

  async recordAssessment(context: SubgraphContext, input: RecordAssessmentInput): Promise<void> {
    const { inclusion, professionalId } = await this.forTeam(context, input.inclusionId);
    const assessedOn = requireDate(input.assessedOn, 'assessedOn');
    // Free text is identity: the reason is checked in clear by the decider, recorded sealed under the patient's key.
    const reason = typeof input.outOfWindowReason === 'string' ? input.outOfWindowReason.trim() : '';
    const sealedOutOfWindowReason = reason === '' ? null : await this.vault.sealText(inclusion.patientId, reason);
    await this.run(
      inclusionDecider,
      inclusionStream(input.inclusionId),
      {
        type: 'RecordAssessment',
        data: {
          ...input,
          today: todayInFrance(),
          recordedBy: professionalId,
          actorIsMember: (await this.queries.membership(inclusion.microstructureId, professionalId, assessedOn)) !== null,
          timepoints: this.settings.timepoints,
          windowDays: this.settings.assessmentWindowDays,
          sealedOutOfWindowReason,
        } as never,
      },
      context,
      inclusion.networkId,
    );
  }

  async recordExit(context: SubgraphContext, input: RecordExitInput): Promise<void> {
    const { inclusion, professionalId } = await this.forTeam(context, input.inclusionId);
    const exitedOn = requireDate(input.exitedOn, 'exitedOn');
    const actorIsMember = (await this.queries.membership(inclusion.microstructureId, professionalId, todayInFrance())) !== null;
    const command = { type: 'RecordExit' as const, data: { inclusionId: input.inclusionId, today: todayInFrance(), exitedOn, reason: input.reason as never, recordedBy: professionalId, actorIsMember } };
    const caseStream = patientCaseStream(inclusion.patientId, inclusion.microstructureId);
    const closeCase = { type: 'CloseCase' as const, data: { patientId: inclusion.patientId, microstructureId: inclusion.microstructureId, inclusionId: inclusion.inclusionId, exitedOn } };
    // The exit and the closing of the case guard: one append, all or nothing (docs/write-path.md).
    const result = await this.executor.executeMany('RecordExit', commandContext(context, inclusion.networkId), async (tx) => {
      const exit = await tx.decide(inclusionDecider, inclusionStream(input.inclusionId), command);
      if (exit.events.length > 0) await tx.decide(patientCaseDecider, caseStream, closeCase);
    });
    await this.executor.waitForProjection(CASELOAD_PROJECTION, result);
  }

  async updateCarePlan(context: SubgraphContext, input: UpdateCarePlanInput): Promise<void> {
    const { inclusion, professionalId } = await this.forTeam(context, input.inclusionId);
    const today = todayInFrance();
    const actorIsMember = (await this.queries.membership(inclusion.microstructureId, professionalId, today)) !== null;
    // Free text is identity: the plan is checked in clear by the decider, recorded sealed under the patient's key
    // (shredded with it). Whether it changed is decided here, where the current plan can be opened.
    let sealed = '';
    let unchanged = false;
    const plan = carePlanOf(input.goals, input.nextSteps ?? []);
    if (plan) {
      const text = carePlanText(plan);
      const state = await this.executor.state(inclusionDecider, inclusionStream(input.inclusionId));
      const current = state.status === 'NONE' ? undefined : state.carePlan?.sealed;
      unchanged = current !== undefined && (await this.vault.openText(inclusion.patientId, current)) === text;
      if (!unchanged) sealed = await this.vault.sealText(inclusion.patientId, text);
    }
    await this.run(
      inclusionDecider,
      inclusionStream(input.inclusionId),
      { type: 'UpdateCarePlan', data: { inclusionId: input.inclusionId, today, goals: input.goals, nextSteps: input.nextSteps ?? [], sealed, unchanged, updatedOn: today, updatedBy: professionalId, actorIsMember } },
      context,
      inclusion.networkId,
    );
  }

  /** Right to be forgotten: the key is destroyed first (the identity is unreadable from that instant), then the erasure is recorded. */
  async eraseIdentity(context: SubgraphContext, patientId: string): Promise<void> {
    const patient = await this.executor.state(patientDecider, patientStream(patientId));
    if (patient.status === 'NOT_REGISTERED') throw patientNotFound(patientId);
    const professionalId = inclusionsAccess.teamProfessional(callerOf(context), patient.microstructureId);
    if ((await this.queries.membership(patient.microstructureId, professionalId, todayInFrance())) === null) throw notAMember();
    const command = { type: 'EraseIdentity' as const, data: { patientId, erasedAt: new Date().toISOString(), requestedBy: professionalId } };
    patientDecider.decide(command, patient);
    await this.vault.destroy(patientId);
    await this.run(patientDecider, patientStream(patientId), command, context, patient.networkId);
  }

  private async knownPatient(input: IncludePatientInput): Promise<Exclude<PatientState, { status: 'NOT_REGISTERED' }> | undefined> {
    if (input.patientId && input.patient) {
      throw new ValidationError('PATIENT_AMBIGUOUS', 'Indiquez soit un patient déjà connu (patientId), soit l’identité d’un nouveau patient, pas les deux.', 'patientId');
    }
    if (!input.patientId) {
      if (!input.patient) throw new ValidationError('PATIENT_REQUIRED', 'Indiquez l’identité du nouveau patient, ou l’identifiant d’un patient déjà connu.', 'patient');
      return undefined;
    }
    const state = await this.executor.state(patientDecider, patientStream(input.patientId));
    if (state.status === 'NOT_REGISTERED') throw patientNotFound(input.patientId);
    return state;
  }

  /** The inclusion and the acting professional, when the caller belongs to its microstructure's team. */
  private async forTeam(context: SubgraphContext, inclusionId: string): Promise<{ inclusion: ExistingInclusion; professionalId: string }> {
    const inclusion = await this.executor.state(inclusionDecider, inclusionStream(inclusionId));
    if (inclusion.status === 'NONE') throw new NotFoundError('INCLUSION_NOT_FOUND', `Aucune inclusion ne porte l’identifiant « ${inclusionId} ».`);
    return { inclusion, professionalId: inclusionsAccess.teamProfessional(callerOf(context), inclusion.microstructureId) };
  }

  /** Referrals name partners of the microstructure, from the directory; their type comes from there too. */
  private async referrals(microstructureId: string, partnerIds: string[]) {
    const partners = await this.queries.partners(microstructureId, partnerIds);
    return partnerIds.map((partnerId, index) => {
      const partner = partners.find((p) => p.partnerId === partnerId);
      if (!partner) throw new ValidationError('UNKNOWN_PARTNER', `Le partenaire « ${partnerId} » n’est pas un partenaire de la microstructure dans l’annuaire.`, `outcomes.referrals[${index}].partnerId`);
      return { partnerId, partnerType: partner.partnerType };
    });
  }

  private run<Command extends { type: string }, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamId: string,
    command: Command,
    context: SubgraphContext,
    networkId: string,
  ): Promise<CommandResult<Event, State>> {
    return this.executor.executeAndShow(CASELOAD_PROJECTION, decider, streamId, command, commandContext(context, networkId));
  }

}

const patientNotFound = (patientId: string) => new NotFoundError('PATIENT_NOT_FOUND', `Aucun patient de cette microstructure ne porte l’identifiant « ${patientId} ».`);
const notAMember = () => new ForbiddenError('Seul un membre de l’équipe de la microstructure peut suivre ce patient.', 'NOT_A_MEMBER');


import { todayInFrance } from '@cnrms/decider';
import { Inject } from '@nestjs/common';
import { publishCount } from '@cnrms/disclosure';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { callerOf, PageInput, SubgraphContext } from '@cnrms/service-kit';
import { inclusionsAccess } from '../application/access';
import { InclusionsCommands } from '../application/inclusions.commands';
import { IdentityReadPurpose as Purpose, IdentityReadRow, InclusionRow, InclusionsQueries, PatientView } from '../application/inclusions.queries';
import { IDENTITY_VAULT, IdentityVault } from '../application/identity-vault';
import { INCLUSIONS_SETTINGS } from '../application/tokens';
import { InclusionsSettings } from '../config';
import {
  Assessment,
  AssessmentStatus,
  CarePlan,
  CaseloadConnection,
  CaseloadFilter,
  CaseloadStatus,
  CaseloadSummary,
  FollowUpSession,
  IdentityRead,
  IdentityReadConnection,
  IncludePatientInput,
  Inclusion,
  InclusionStatus,
  LostToFollowUpSuggestion,
  Microstructure,
  Patient,
  RecordAssessmentInput,
  RecordExitInput,
  RecordFollowUpSessionInput,
  ScheduledAssessment,
  TimelineEntry,
  UpdateCarePlanInput,
} from './types';

// Resolvers hand the read-model rows to the field resolvers below, which shape them for GraphQL.
type InclusionParent = InclusionRow;

function toPatient(view: PatientView): Omit<Patient, 'inclusions'> {
  const { row, identity } = view;
  return {
    id: row.id,
    microstructureId: row.microstructure_id,
    sex: row.sex,
    birthYear: row.birth_year,
    identity: identity && {
      lastName: identity.lastName,
      firstName: identity.firstName,
      birthDate: identity.birthDate,
      contact: identity.contact ?? null,
      socialSecurityNumber: identity.socialSecurityNumber ?? null,
    },
    erased: row.erased_at !== null || !identity,
    erasedAt: row.erased_at ? new Date(row.erased_at).toISOString() : null,
  };
}

function toSession(row: { id: string; inclusion_id: string; kind: string; held_on: string; professional_id: string; duration_minutes: number; outcomes: FollowUpSession['outcomes'] }): FollowUpSession {
  return {
    id: row.id,
    inclusionId: row.inclusion_id,
    kind: row.kind,
    heldOn: row.held_on,
    professionalId: row.professional_id,
    durationMinutes: row.duration_minutes,
    outcomes: { ...row.outcomes, screenings: row.outcomes.screenings.map((s) => ({ ...s, result: s.result ?? null })), treatments: row.outcomes.treatments ?? [] },
  };
}

function identityRead(context: SubgraphContext, microstructureId: string, readerProfessionalId: string, purpose: Purpose) {
  return { microstructureId, readerProfessionalId, readerUserId: callerOf(context).userId, purpose, correlationId: context.correlationId };
}

function toIdentityRead(row: IdentityReadRow): IdentityRead {
  return {
    id: row.id,
    readAt: new Date(row.read_at).toISOString(),
    patientId: row.patient_id,
    readerProfessionalId: row.reader_professional_id,
    readerUserId: row.reader_user_id,
    purpose: row.purpose as IdentityRead['purpose'],
    correlationId: row.correlation_id,
  };
}

@Resolver(() => Inclusion)
export class InclusionResolver {
  constructor(
    private readonly queries: InclusionsQueries,
    private readonly commands: InclusionsCommands,
    @Inject(IDENTITY_VAULT) private readonly vault: IdentityVault,
  ) {}

  @Query(() => Inclusion, { description: 'Une inclusion et son suivi (équipe de la microstructure seulement)' })
  async inclusion(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string): Promise<InclusionParent> {
    const { row } = await this.queries.readableByTeam(callerOf(context), todayInFrance(), () => this.queries.inclusion(id));
    return row;
  }

  @Mutation(() => Inclusion, { description: 'Inclut un patient (nouveau, ou déjà connu : ré-inclusion). Réservé aux médecins généralistes de l’équipe.' })
  async includePatient(@Context() context: SubgraphContext, @Args('input') input: IncludePatientInput): Promise<InclusionParent> {
    return this.queries.inclusion(await this.commands.includePatient(context, input));
  }

  @Mutation(() => Inclusion)
  async recordAssessment(@Context() context: SubgraphContext, @Args('input') input: RecordAssessmentInput): Promise<InclusionParent> {
    await this.commands.recordAssessment(context, input);
    return this.queries.inclusion(input.inclusionId);
  }

  @Mutation(() => Inclusion, { description: 'Enregistre la sortie du dispositif' })
  async recordExit(@Context() context: SubgraphContext, @Args('input') input: RecordExitInput): Promise<InclusionParent> {
    await this.commands.recordExit(context, input);
    return this.queries.inclusion(input.inclusionId);
  }

  @Mutation(() => Inclusion, { description: 'Met à jour les objectifs et prochaines étapes du parcours de soins' })
  async updateCarePlan(@Context() context: SubgraphContext, @Args('input') input: UpdateCarePlanInput): Promise<InclusionParent> {
    await this.commands.updateCarePlan(context, input);
    return this.queries.inclusion(input.inclusionId);
  }

  @Mutation(() => FollowUpSession, { description: 'Enregistre une séance de suivi, du type de la profession de son auteur' })
  async recordFollowUpSession(@Context() context: SubgraphContext, @Args('input') input: RecordFollowUpSessionInput): Promise<FollowUpSession> {
    const sessionId = await this.commands.recordFollowUpSession(context, input);
    const sessions = await this.queries.sessions(input.inclusionId);
    return toSession(sessions.find((s: { id: string }) => s.id === sessionId));
  }

  @ResolveField(() => ID) id(@Parent() row: InclusionParent) {
    return row.id;
  }
  @ResolveField(() => ID) patientId(@Parent() row: InclusionParent) {
    return row.patient_id;
  }
  @ResolveField(() => ID) microstructureId(@Parent() row: InclusionParent) {
    return row.microstructure_id;
  }
  @ResolveField(() => ID) networkId(@Parent() row: InclusionParent) {
    return row.network_id;
  }
  @ResolveField(() => InclusionStatus) status(@Parent() row: InclusionParent) {
    return row.status;
  }
  @ResolveField() includedOn(@Parent() row: InclusionParent): string {
    return row.included_on;
  }
  @ResolveField() reasons(@Parent() row: InclusionParent) {
    return row.reasons;
  }
  @ResolveField() treatingGpId(@Parent() row: InclusionParent) {
    return row.treating_gp_id;
  }
  @ResolveField() includedBy(@Parent() row: InclusionParent) {
    return row.included_by;
  }
  @ResolveField() reinclusion(@Parent() row: InclusionParent): boolean {
    return row.reinclusion;
  }
  @ResolveField() inclusionNumber(@Parent() row: InclusionParent): number {
    return row.inclusion_number;
  }
  @ResolveField() ageBand(@Parent() row: InclusionParent): string {
    return row.age_band;
  }
  @ResolveField() consent(@Parent() row: InclusionParent) {
    return { givenOn: row.consent_given_on, teamSharing: true, partnerSharing: row.consent_partner_sharing };
  }
  @ResolveField() initialSituation(@Parent() row: InclusionParent) {
    return {
      housing: row.initial_housing,
      income: row.initial_income,
      healthCoverage: row.initial_health_coverage,
      mainSubstances: row.initial_main_substances,
      daysOfUseLast30: row.initial_days_of_use_last_30,
    };
  }
  @ResolveField(() => String, { nullable: true }) lastContactOn(@Parent() row: InclusionParent) {
    return row.last_contact_on;
  }
  @ResolveField() exit(@Parent() row: InclusionParent) {
    return row.exited_on === null ? null : { exitedOn: row.exited_on, reason: row.exit_reason, recordedBy: row.exit_recorded_by };
  }
  /** Opened with the patient's key, for the team only (the parent was authorised); empty and `erased` once the key is destroyed. */
  @ResolveField(() => CarePlan, { nullable: true })
  async carePlan(@Parent() row: InclusionParent): Promise<CarePlan | null> {
    if (row.care_plan_updated_on === null || row.care_plan_updated_by === null) return null;
    const [updatedOn, updatedBy] = [row.care_plan_updated_on, row.care_plan_updated_by];
    if (row.care_plan_sealed === null) return { goals: row.care_plan_goals ?? [], nextSteps: row.care_plan_next_steps ?? [], updatedOn, updatedBy, erased: row.care_plan_erased };
    const text = await this.vault.openText(row.patient_id, row.care_plan_sealed);
    if (text === null) return { goals: [], nextSteps: [], updatedOn, updatedBy, erased: true };
    const { goals, nextSteps } = JSON.parse(text) as { goals: string[]; nextSteps: string[] };
    return { goals, nextSteps, updatedOn, updatedBy, erased: false };
  }

  @ResolveField(() => [FollowUpSession])
  async sessions(@Parent() row: InclusionParent): Promise<FollowUpSession[]> {
    return (await this.queries.sessions(row.id)).map(toSession);
  }

  @ResolveField(() => [Assessment])
  async assessments(@Parent() row: InclusionParent): Promise<Assessment[]> {
    const rows = await this.queries.assessments(row.id);
    return rows.map((a: Record<string, never>) => ({
      timepoint: a.timepoint,
      assessedOn: a.assessed_on,
      daysOfUseLast30: a.days_of_use_last_30,
      qualityOfLifeScore: a.quality_of_life_score,
      housing: a.housing,
      employment: a.employment,
      healthCoverage: a.health_coverage,
      recordedBy: a.recorded_by,
    }));
  }

  @ResolveField(() => [ScheduledAssessment])
  assessmentSchedule(@Parent() row: InclusionParent): ScheduledAssessment[] {
    return this.queries.schedule(row, todayInFrance()).map((s) => ({ ...s, status: s.status as AssessmentStatus, assessedOn: s.assessedOn ?? null }));
  }

  @ResolveField(() => LostToFollowUpSuggestion)
  lostToFollowUp(@Parent() row: InclusionParent): LostToFollowUpSuggestion {
    const suggestion = this.queries.lostToFollowUp(row, todayInFrance());
    return { suggested: suggestion.suggested, lastContactOn: suggestion.lastContactOn ?? null };
  }

  @ResolveField(() => [TimelineEntry])
  async timeline(@Parent() row: InclusionParent): Promise<TimelineEntry[]> {
    const rows = await this.queries.timeline(row.id);
    return rows.map((t: Record<string, string>) => ({ occurredOn: t.occurred_on, kind: t.kind, summary: t.summary, professionalId: t.professional_id ?? null }));
  }

}

@Resolver(() => Patient)
export class PatientResolver {
  constructor(
    private readonly queries: InclusionsQueries,
    private readonly commands: InclusionsCommands,
  ) {}

  @Query(() => Patient, { description: 'Un patient et ses inclusions (équipe de sa microstructure seulement)' })
  async patient(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string) {
    const { row, professionalId: readerProfessionalId } = await this.queries.readableByTeam(callerOf(context), todayInFrance(), () => this.queries.patientRow(id));
    const view = await this.queries.patient(id);
    if (view.identity) await this.queries.recordIdentityReads(identityRead(context, row.microstructure_id, readerProfessionalId, 'PATIENT_RECORD'), [id]);
    return toPatient(view);
  }

  @Mutation(() => Patient, { description: 'Efface l’identité du patient (droit à l’oubli) : la clé de chiffrement est détruite, l’historique reste anonyme' })
  async erasePatientIdentity(@Context() context: SubgraphContext, @Args('patientId', { type: () => ID }) patientId: string) {
    await this.commands.eraseIdentity(context, patientId);
    return toPatient(await this.queries.patient(patientId));
  }

  @ResolveField(() => [Inclusion])
  async inclusions(@Parent() patient: Patient): Promise<InclusionParent[]> {
    return this.queries.inclusionsOfPatient(patient.id);
  }
}

@Resolver()
export class CaseloadResolver {
  constructor(private readonly queries: InclusionsQueries) {}

  @Query(() => CaseloadConnection, { description: 'La file active d’une microstructure, par nom de patient (équipe seulement)' })
  async caseload(
    @Context() context: SubgraphContext,
    @Args('microstructureId', { type: () => ID }) microstructureId: string,
    @Args('filter', { nullable: true }) filter?: CaseloadFilter,
    @Args('page', { nullable: true }) page?: PageInput,
  ) {
    const today = todayInFrance();
    const readerProfessionalId = await this.queries.teamReader(callerOf(context), microstructureId, today);
    await this.queries.microstructure(microstructureId);
    const result = await this.queries.caseload(microstructureId, { status: filter?.status ?? CaseloadStatus.ACTIVE, assessmentDue: filter?.assessmentDue, lostToFollowUp: filter?.lostToFollowUp }, today, page);
    const shown = result.nodes.filter(({ patient }) => patient.identity).map(({ patient }) => patient.row.id);
    await this.queries.recordIdentityReads(identityRead(context, microstructureId, readerProfessionalId, 'CASELOAD'), shown);
    return {
      ...result,
      nodes: result.nodes.map(({ patient, inclusion }) => ({ patient: toPatient(patient), inclusion })),
    };
  }
}

@Resolver()
export class IdentityReadResolver {
  constructor(private readonly queries: InclusionsQueries) {}

  @Query(() => IdentityReadConnection, { description: 'Le journal des lectures d’identité de la microstructure, du plus récent au plus ancien (équipe seulement)' })
  async identityReads(
    @Context() context: SubgraphContext,
    @Args('microstructureId', { type: () => ID }) microstructureId: string,
    @Args('patientId', { type: () => ID, nullable: true, description: 'Un seul patient' }) patientId?: string,
    @Args('page', { nullable: true }) page?: PageInput,
  ) {
    await this.queries.teamReader(callerOf(context), microstructureId, todayInFrance());
    const result = await this.queries.identityReads(microstructureId, patientId, page);
    return { ...result, nodes: result.nodes.map(toIdentityRead) };
  }
}

@Resolver(() => Microstructure)
export class MicrostructureResolver {
  constructor(
    private readonly queries: InclusionsQueries,
    @Inject(INCLUSIONS_SETTINGS) private readonly settings: InclusionsSettings,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Microstructure {
    return { id: reference.id };
  }

  @ResolveField(() => CaseloadSummary, { description: 'La file active en chiffres (équipe ; coordinations : sans les nombres inférieurs au seuil de confidentialité)' })
  async caseloadSummary(@Context() context: SubgraphContext, @Parent() microstructure: Microstructure): Promise<CaseloadSummary> {
    const row = await this.queries.microstructure(microstructure.id);
    const view = inclusionsAccess.readCaseloadSummary(callerOf(context), row.id, row.network_id);
    if (view === 'exact') return { ...(await this.queries.caseloadSummary(row.id, todayInFrance())).figures, protected: false };
    // Outside the team, each count as reporting publishes counts of patients (docs/disclosure-control.md): below
    // the threshold (zero included) not given, above it perturbed by the cell key of its records.
    const { figures, keySums } = await this.queries.caseloadSummary(row.id, todayInFrance(), this.settings.cellKeySecret);
    const parameters = { threshold: this.settings.suppressionThreshold, maxPerturbation: this.settings.cellKeyMaxPerturbation };
    const shown = (figure: keyof typeof figures) => {
      const published = publishCount(figures[figure], keySums[figure], parameters);
      return published.shown ? published.value : null;
    };
    return {
      active: shown('active'),
      exited: shown('exited'),
      dueAssessments: shown('dueAssessments'),
      overdueAssessments: shown('overdueAssessments'),
      lostToFollowUpSuggested: shown('lostToFollowUpSuggested'),
      protected: true,
    };
  }
}

export const inclusionsResolvers = [InclusionResolver, PatientResolver, CaseloadResolver, IdentityReadResolver, MicrostructureResolver];

import { assertNever, Decider, DomainError, DomainEvent, ForbiddenError, NotFoundError, ValidationError } from '@cnrms/decider';
import { DEFAULT_TIMEPOINTS, QUALITY_OF_LIFE_RULE, requireTimepoint, Timepoint } from './assessment.values';
import { AGE_BANDS, AgeBand } from './age-band';
import { Command } from './command';
import { latest } from './dates';
import { Consent, InitialSituation, requireCarePlanItems, requireConsent, requireInclusionReasons, requireInitialSituation } from './inclusion.values';
import { requireSessionKind, requireSessionOutcomes, SESSION_DURATION_RULE, SESSION_KIND_BY_PROFESSION, SessionKind, SessionOutcomes } from './session.values';
import {
  DAYS_OF_USE_RULE,
  EmploymentSituation,
  ExitReason,
  HealthCoverage,
  HousingSituation,
  InclusionReason,
  Profession,
  requireBoolean,
  requireDate,
  requireEmployment,
  requireExitReason,
  requireHealthCoverage,
  requireHousing,
  requireId,
  requireInteger,
  requirePastDate,
  requireProfession,
  requireSex,
  Sex,
} from './values';

// An inclusion of a patient in a microstructure, stream `inclusion-<inclusionId>`: follow-up
// sessions, assessments, care plan and exit. Every event carries the patient, microstructure and
// network ids so that projections need no lookup. Membership of the care team is read by the
// application from its care-team read model and arrives on the command as a flag. "Today" arrives
// on the command too (Europe/Paris day). The care plan's free text never leaves this service.

/** Sex and age band at the inclusion date: never the birth date nor the birth year. */
export interface PatientProfile {
  sex: Sex;
  ageBand: AgeBand;
}

type On<Data> = { inclusionId: string; today: string } & Data;
type Ids = { inclusionId: string; patientId: string; microstructureId: string; networkId: string };
type Of<Data> = Ids & Data;

export type IncludePatient = Command<
  'IncludePatient',
  On<{
    patientId: string;
    microstructureId: string;
    networkId: string;
    includedOn: string;
    reasons: InclusionReason[];
    treatingGpId: string;
    actor: { professionalId: string; profession: Profession };
    /** From the care-team read model: the actor is a GP member of this microstructure on `includedOn`. */
    actorIsMemberGp: boolean;
    consent: { givenOn: string; teamSharing: boolean; partnerSharing?: string[] };
    initialSituation: InitialSituation;
    /** From the patient-case guard (`isReinclusion`). */
    reinclusion: boolean;
    /** The patient's coarse attributes at `includedOn` (from the patient stream): what statistics may know. */
    profile: PatientProfile;
  }>
>;
export type RecordSession = Command<
  'RecordSession',
  On<{
    sessionId: string;
    kind: SessionKind;
    heldOn: string;
    professionalId: string;
    /** The professional's profession, from the care-team read model. */
    profession: Profession;
    actorIsMember: boolean;
    durationMinutes: number;
    outcomes?: Partial<SessionOutcomes>;
  }>
>;
export type RecordAssessment = Command<
  'RecordAssessment',
  On<{
    timepoint: string;
    assessedOn: string;
    daysOfUseLast30: number;
    qualityOfLifeScore: number;
    housing: HousingSituation;
    employment: EmploymentSituation;
    healthCoverage: HealthCoverage;
    recordedBy: string;
    actorIsMember: boolean;
    /** The programme's timepoints; `DEFAULT_TIMEPOINTS` when absent. */
    timepoints?: readonly Timepoint[];
  }>
>;
export type RecordExit = Command<'RecordExit', On<{ exitedOn: string; reason: ExitReason; recordedBy: string; actorIsMember: boolean }>>;
export type UpdateCarePlan = Command<'UpdateCarePlan', On<{ goals: string[]; nextSteps: string[]; updatedOn: string; updatedBy: string; actorIsMember: boolean }>>;
export type InclusionCommand = IncludePatient | RecordSession | RecordAssessment | RecordExit | UpdateCarePlan;

export type PatientIncluded = DomainEvent<
  'PatientIncluded',
  Of<{
    includedOn: string;
    reasons: InclusionReason[];
    treatingGpId: string;
    includedBy: string;
    consent: Consent;
    initialSituation: InitialSituation;
    reinclusion: boolean;
    profile: PatientProfile;
  }>
>;
export type FollowUpSessionRecorded = DomainEvent<
  'FollowUpSessionRecorded',
  Of<{ sessionId: string; kind: SessionKind; heldOn: string; professionalId: string; durationMinutes: number; outcomes: SessionOutcomes }>
>;
export type AssessmentRecorded = DomainEvent<
  'AssessmentRecorded',
  Of<{
    timepoint: string;
    assessedOn: string;
    daysOfUseLast30: number;
    qualityOfLifeScore: number;
    housing: HousingSituation;
    employment: EmploymentSituation;
    healthCoverage: HealthCoverage;
    recordedBy: string;
  }>
>;
export type ExitRecorded = DomainEvent<'ExitRecorded', Of<{ exitedOn: string; reason: ExitReason; recordedBy: string }>>;
/** Free text: stays in the inclusions service, never in an integration event. */
export type CarePlanRevised = DomainEvent<'CarePlanRevised', Of<{ goals: string[]; nextSteps: string[]; updatedOn: string; updatedBy: string }>>;
export type InclusionEvent = PatientIncluded | FollowUpSessionRecorded | AssessmentRecorded | ExitRecorded | CarePlanRevised;

export interface SessionSummary {
  sessionId: string;
  kind: SessionKind;
  heldOn: string;
  professionalId: string;
}

export interface AssessmentSummary {
  timepoint: string;
  assessedOn: string;
}

export interface CarePlan {
  goals: string[];
  nextSteps: string[];
  updatedOn: string;
  updatedBy: string;
}

export interface Exit {
  exitedOn: string;
  reason: ExitReason;
  recordedBy: string;
}

type InclusionRecord = Ids & {
  includedOn: string;
  reasons: InclusionReason[];
  treatingGpId: string;
  includedBy: string;
  consent: Consent;
  initialSituation: InitialSituation;
  reinclusion: boolean;
  profile: PatientProfile;
  sessions: SessionSummary[];
  assessments: AssessmentSummary[];
  carePlan?: CarePlan;
};

export type InclusionState = { status: 'NONE' } | ({ status: 'OPEN' } & InclusionRecord) | ({ status: 'EXITED'; exit: Exit } & InclusionRecord);
export type ExistingInclusion = Exclude<InclusionState, { status: 'NONE' }>;

const ids = ({ inclusionId, patientId, microstructureId, networkId }: Ids): Ids => ({ inclusionId, patientId, microstructureId, networkId });

/** Inclusion, sessions and assessments are contacts (docs/domain.md); a care-plan revision is not. */
export const lastContactOn = (state: InclusionState): string | undefined =>
  state.status === 'NONE' ? undefined : latest([state.includedOn, ...state.sessions.map((s) => s.heldOn), ...state.assessments.map((a) => a.assessedOn)]);

function existing(state: InclusionState): ExistingInclusion {
  if (state.status === 'NONE') throw new NotFoundError('INCLUSION_NOT_FOUND', 'Cette inclusion n’existe pas.');
  return state;
}

function requireMember(isMember: unknown): void {
  if (isMember !== true) throw new ForbiddenError('Seul un membre de l’équipe de la microstructure peut suivre ce patient.', 'NOT_A_MEMBER');
}

/**
 * A fact dated between the inclusion and the exit may still be recorded after the exit (entry lag);
 * one dated after the exit may not.
 */
function withinInclusion(inclusion: ExistingInclusion, date: string, field: string, beforeCode: string, what: string): void {
  if (date < inclusion.includedOn) throw new ValidationError(beforeCode, `${what} ne peut pas précéder l’inclusion (${inclusion.includedOn}).`, field);
  if (inclusion.status === 'EXITED' && date > inclusion.exit.exitedOn) {
    throw new DomainError('INCLUSION_CLOSED', `Le patient est sorti du dispositif le ${inclusion.exit.exitedOn} : rien ne peut être enregistré après cette date.`);
  }
}

function requireProfile(value: unknown): PatientProfile {
  const profile = (value ?? {}) as Partial<Record<keyof PatientProfile, unknown>>;
  const ageBand = profile.ageBand;
  if (typeof ageBand !== 'string' || !(AGE_BANDS as readonly string[]).includes(ageBand)) {
    throw new ValidationError('INVALID_CODE', `Tranche d’âge non reconnue. Valeurs possibles : ${AGE_BANDS.join(', ')}.`, 'profile.ageBand');
  }
  return { sex: requireSex(profile.sex, 'profile.sex'), ageBand: ageBand as AgeBand };
}

function include(command: IncludePatient, state: InclusionState): InclusionEvent[] {
  if (state.status !== 'NONE') throw new DomainError('INCLUSION_ALREADY_EXISTS', 'Une inclusion existe déjà avec cet identifiant.', 'CONFLICT');
  const { data } = command;
  const actor = (data.actor ?? {}) as Partial<IncludePatient['data']['actor']>;
  const includedBy = requireId(actor.professionalId, 'actor.professionalId', 'L’identifiant du professionnel');
  if (requireProfession(actor.profession, 'actor.profession') !== 'GENERAL_PRACTITIONER' || data.actorIsMemberGp !== true) {
    throw new ForbiddenError('Seul un médecin généraliste de l’équipe de la microstructure peut inclure un patient.', 'NOT_A_MEMBER_GP');
  }
  const today = requireDate(data.today, 'today');
  const includedOn = requirePastDate(data.includedOn, 'includedOn', today);
  const event: PatientIncluded = {
    type: 'PatientIncluded',
    data: {
      inclusionId: requireId(data.inclusionId, 'inclusionId', 'L’identifiant de l’inclusion'),
      patientId: requireId(data.patientId, 'patientId', 'L’identifiant du patient'),
      microstructureId: requireId(data.microstructureId, 'microstructureId', 'L’identifiant de la microstructure'),
      networkId: requireId(data.networkId, 'networkId', 'L’identifiant du réseau'),
      includedOn,
      reasons: requireInclusionReasons(data.reasons),
      treatingGpId: requireId(data.treatingGpId, 'treatingGpId', 'L’identifiant du médecin traitant'),
      includedBy,
      consent: requireConsent(data.consent, includedOn),
      initialSituation: requireInitialSituation(data.initialSituation),
      reinclusion: requireBoolean(data.reinclusion, 'reinclusion', 'L’indicateur de ré-inclusion'),
      profile: requireProfile(data.profile),
    },
  };
  return [event];
}

function recordSession(command: RecordSession, state: InclusionState): InclusionEvent[] {
  const inclusion = existing(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  const professionalId = requireId(data.professionalId, 'professionalId', 'L’identifiant du professionnel');
  const profession = requireProfession(data.profession);
  const kind = requireSessionKind(data.kind);
  if (SESSION_KIND_BY_PROFESSION[profession] !== kind) {
    throw new ForbiddenError('Chaque professionnel n’enregistre que les séances de sa propre profession.', 'SESSION_KIND_NOT_ALLOWED');
  }
  const sessionId = requireId(data.sessionId, 'sessionId', 'L’identifiant de la séance');
  const heldOn = requirePastDate(data.heldOn, 'heldOn', requireDate(data.today, 'today'));
  const durationMinutes = requireInteger(data.durationMinutes, 'durationMinutes', SESSION_DURATION_RULE);
  const outcomes = requireSessionOutcomes(data.outcomes);
  const known = inclusion.sessions.find((session) => session.sessionId === sessionId);
  if (known) {
    // A retried command changes nothing; another session under the same id is a conflict.
    if (known.kind === kind && known.heldOn === heldOn && known.professionalId === professionalId) return [];
    throw new DomainError('SESSION_ALREADY_RECORDED', 'Une autre séance est déjà enregistrée avec cet identifiant.', 'CONFLICT', { sessionId });
  }
  withinInclusion(inclusion, heldOn, 'heldOn', 'SESSION_BEFORE_INCLUSION', 'La séance');
  return [{ type: 'FollowUpSessionRecorded', data: { ...ids(inclusion), sessionId, kind, heldOn, professionalId, durationMinutes, outcomes } }];
}

function recordAssessment(command: RecordAssessment, state: InclusionState): InclusionEvent[] {
  const inclusion = existing(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  const recordedBy = requireId(data.recordedBy, 'recordedBy', 'L’identifiant du professionnel');
  const { code: timepoint } = requireTimepoint(data.timepoint, data.timepoints ?? DEFAULT_TIMEPOINTS);
  const assessedOn = requirePastDate(data.assessedOn, 'assessedOn', requireDate(data.today, 'today'));
  const values = {
    daysOfUseLast30: requireInteger(data.daysOfUseLast30, 'daysOfUseLast30', DAYS_OF_USE_RULE),
    qualityOfLifeScore: requireInteger(data.qualityOfLifeScore, 'qualityOfLifeScore', QUALITY_OF_LIFE_RULE),
    housing: requireHousing(data.housing),
    employment: requireEmployment(data.employment),
    healthCoverage: requireHealthCoverage(data.healthCoverage),
  };
  const done = inclusion.assessments.find((assessment) => assessment.timepoint === timepoint);
  if (done) {
    throw new DomainError('ASSESSMENT_ALREADY_RECORDED', `L’évaluation ${timepoint} a déjà été enregistrée (le ${done.assessedOn}).`, 'CONFLICT', { timepoint });
  }
  withinInclusion(inclusion, assessedOn, 'assessedOn', 'ASSESSMENT_BEFORE_INCLUSION', 'L’évaluation');
  return [{ type: 'AssessmentRecorded', data: { ...ids(inclusion), timepoint, assessedOn, ...values, recordedBy } }];
}

function recordExit(command: RecordExit, state: InclusionState): InclusionEvent[] {
  const inclusion = existing(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  if (inclusion.status === 'EXITED') {
    throw new DomainError('INCLUSION_CLOSED', `La sortie du dispositif a déjà été enregistrée (le ${inclusion.exit.exitedOn}).`);
  }
  const recordedBy = requireId(data.recordedBy, 'recordedBy', 'L’identifiant du professionnel');
  const reason = requireExitReason(data.reason);
  const exitedOn = requirePastDate(data.exitedOn, 'exitedOn', requireDate(data.today, 'today'));
  if (exitedOn < inclusion.includedOn) {
    throw new ValidationError('EXIT_BEFORE_INCLUSION', `La date de sortie ne peut pas précéder l’inclusion (${inclusion.includedOn}).`, 'exitedOn');
  }
  const lastContact = lastContactOn(inclusion) as string;
  if (exitedOn < lastContact) {
    throw new ValidationError('EXIT_BEFORE_LAST_CONTACT', `La date de sortie ne peut pas précéder le dernier contact avec le patient (${lastContact}).`, 'exitedOn');
  }
  return [{ type: 'ExitRecorded', data: { ...ids(inclusion), exitedOn, reason, recordedBy } }];
}

function updateCarePlan(command: UpdateCarePlan, state: InclusionState): InclusionEvent[] {
  const inclusion = existing(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  if (inclusion.status === 'EXITED') {
    throw new DomainError('INCLUSION_CLOSED', `Le patient est sorti du dispositif le ${inclusion.exit.exitedOn} : son parcours de soins ne peut plus être modifié.`);
  }
  const updatedBy = requireId(data.updatedBy, 'updatedBy', 'L’identifiant du professionnel');
  const goals = requireCarePlanItems(data.goals, 'goals');
  const nextSteps = requireCarePlanItems(data.nextSteps, 'nextSteps');
  const updatedOn = requirePastDate(data.updatedOn, 'updatedOn', requireDate(data.today, 'today'));
  if (updatedOn < inclusion.includedOn) {
    throw new ValidationError('CARE_PLAN_BEFORE_INCLUSION', `Le parcours de soins ne peut pas être daté d’avant l’inclusion (${inclusion.includedOn}).`, 'updatedOn');
  }
  const current = inclusion.carePlan;
  if (current && JSON.stringify([current.goals, current.nextSteps]) === JSON.stringify([goals, nextSteps])) return [];
  return [{ type: 'CarePlanRevised', data: { ...ids(inclusion), goals, nextSteps, updatedOn, updatedBy } }];
}

function decide(command: InclusionCommand, state: InclusionState): InclusionEvent[] {
  switch (command.type) {
    case 'IncludePatient':
      return include(command, state);
    case 'RecordSession':
      return recordSession(command, state);
    case 'RecordAssessment':
      return recordAssessment(command, state);
    case 'RecordExit':
      return recordExit(command, state);
    case 'UpdateCarePlan':
      return updateCarePlan(command, state);
    default:
      return assertNever(command, 'inclusion command');
  }
}

function evolve(state: InclusionState, event: InclusionEvent): InclusionState {
  if (event.type === 'PatientIncluded') return { status: 'OPEN', ...event.data, sessions: [], assessments: [] };
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'FollowUpSessionRecorded': {
      const { sessionId, kind, heldOn, professionalId } = event.data;
      return { ...state, sessions: [...state.sessions, { sessionId, kind, heldOn, professionalId }] };
    }
    case 'AssessmentRecorded':
      return { ...state, assessments: [...state.assessments, { timepoint: event.data.timepoint, assessedOn: event.data.assessedOn }] };
    case 'ExitRecorded': {
      const { exitedOn, reason, recordedBy } = event.data;
      return { ...state, status: 'EXITED', exit: { exitedOn, reason, recordedBy } };
    }
    case 'CarePlanRevised': {
      const { goals, nextSteps, updatedOn, updatedBy } = event.data;
      return { ...state, carePlan: { goals, nextSteps, updatedOn, updatedBy } };
    }
    default:
      return assertNever(event, 'inclusion event');
  }
}

export const inclusionDecider: Decider<InclusionCommand, InclusionEvent, InclusionState> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};

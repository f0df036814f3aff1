import { assertNever, Command, Decider, DomainError, DomainEvent, ForbiddenError, NotFoundError, ValidationError } from '@cnrms/decider';
import { DEFAULT_ASSESSMENT_WINDOW_DAYS, DEFAULT_TIMEPOINTS, QUALITY_OF_LIFE_RULE, requireTimepoint, Timepoint } from './assessment.values';
import { AGE_BANDS, AgeBand } from './age-band';
import { addDays, addMonths, latest } from './dates';
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
  requireText,
  Sex,
} from './values';

// An inclusion of a patient in a microstructure, stream `inclusion-<inclusionId>`: follow-up
// sessions, assessments, care plan and exit. Every event carries the patient, microstructure and
// network ids so that projections need no lookup. Membership of the care team is read by the
// application from its care-team read model and arrives on the command as a flag. "Today" arrives
// on the command too (Europe/Paris day). The care plan's free text never leaves this service.
// The time rules (docs/time-rules.md) need facts from elsewhere, also on the command: the microstructure's
// opening and closing (the service's copy of the directory), the patient's birth (the patient stream), the
// microstructure's partners, and whether the patient's identity was erased.

/** The microstructure as the service's copy of the directory knows it. */
export interface MicrostructureLife {
  status: 'IN_CREATION' | 'ACTIVE' | 'CLOSED';
  /** Null for a microstructure never opened (or opened before this service recorded opening dates). */
  openedOn: string | null;
  closedOn: string | null;
}

/** Longest time one professional may spend with one patient in a day, all sessions together. */
export const DAILY_SESSION_MINUTES_MAX = 480;
/** Longest time one professional may record in sessions in a day, all their patients together (10 h). */
export const DAILY_PROFESSIONAL_MINUTES_MAX = 600;
/** Longest reason given for an assessment recorded outside its timepoint's window. */
export const OUT_OF_WINDOW_REASON_MAX_LENGTH = 500;

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
    /** From the service's copy of the directory. */
    microstructure: MicrostructureLife;
    /** The microstructure's partners: a partner-sharing consent names only these. */
    partnerIds: readonly string[];
    /** The patient's birth (from the identity being registered, or the patient stream's year): never in an event. */
    birth: { birthDate?: string; birthYear: number };
  }>
>;
export type RecordSession = Command<
  'RecordSession',
  On<{
    sessionId: string;
    /** Optional: derived from the profession (each profession has one kind of session). */
    kind?: SessionKind | null;
    heldOn: string;
    professionalId: string;
    /** The professional's profession, from the care-team read model. */
    profession: Profession;
    actorIsMember: boolean;
    durationMinutes: number;
    outcomes?: Partial<SessionOutcomes>;
    /** From the patient stream: the patient's identity was erased (right to be forgotten). */
    patientErased: boolean;
    /** From the caseload read model: the minutes of sessions the professional already recorded that day with their other patients. */
    minutesWithOtherPatients?: number;
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
    /** Days either side of a timepoint's due date (`DEFAULT_ASSESSMENT_WINDOW_DAYS` when absent). */
    windowDays?: number;
    /** Why an assessment is dated outside its window: required then, stays in this service. */
    outOfWindowReason?: string | null;
    /** The same reason as the application sealed it under the patient's key: what the event keeps (free text is identity). */
    sealedOutOfWindowReason?: string | null;
  }>
>;
export type RecordExit = Command<'RecordExit', On<{ exitedOn: string; reason: ExitReason; recordedBy: string; actorIsMember: boolean }>>;
export type UpdateCarePlan = Command<
  'UpdateCarePlan',
  On<{
    goals: string[];
    nextSteps: string[];
    /** `{ goals, nextSteps }` (as `carePlanText` writes them) sealed by the application under the patient's key: what the event keeps. */
    sealed: string;
    /** The application opened the current plan: the same goals and next steps (nothing to record). */
    unchanged?: boolean;
    updatedOn: string;
    updatedBy: string;
    actorIsMember: boolean;
  }>
>;
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
    /** Present when the assessment is dated outside its timepoint's window: sealed under the patient's key (free text is identity). */
    sealedOutOfWindowReason?: string;
    /** The reason in clear, in events recorded before free text was sealed. */
    outOfWindowReason?: string;
  }>
>;
export type ExitRecorded = DomainEvent<'ExitRecorded', Of<{ exitedOn: string; reason: ExitReason; recordedBy: string }>>;
/**
 * Free text (identity): sealed under the patient's key, shredded with it, never in an integration event.
 * `goals` and `nextSteps` in clear only in events recorded before free text was sealed.
 */
export type CarePlanRevised = DomainEvent<'CarePlanRevised', Of<{ sealed?: string; goals?: string[]; nextSteps?: string[]; updatedOn: string; updatedBy: string }>>;
export type InclusionEvent = PatientIncluded | FollowUpSessionRecorded | AssessmentRecorded | ExitRecorded | CarePlanRevised;

export interface SessionSummary {
  sessionId: string;
  kind: SessionKind;
  heldOn: string;
  professionalId: string;
  durationMinutes: number;
}

export interface AssessmentSummary {
  timepoint: string;
  assessedOn: string;
}

/** The care plan as recorded: sealed (read through the identity vault), or in clear when recorded before sealing. */
export interface CarePlan {
  sealed?: string;
  goals?: string[];
  nextSteps?: string[];
  /** Set by the read model on the patient's erasure for a plan recorded in clear (its text removed). */
  erased?: boolean;
  updatedOn: string;
  updatedBy: string;
}

/** The text a care plan is sealed as: one canonical form, so that the same plan reads back the same. */
export const carePlanText = (plan: { goals: readonly string[]; nextSteps: readonly string[] }): string => JSON.stringify({ goals: plan.goals, nextSteps: plan.nextSteps });

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

/** An inclusion lies within the life of its microstructure: after its opening, not after its closing. */
function withinMicrostructureLife(value: unknown, includedOn: string): void {
  const life = (value ?? {}) as Partial<MicrostructureLife>;
  if (life.status !== 'ACTIVE' && life.status !== 'CLOSED') {
    throw new DomainError('MICROSTRUCTURE_NOT_OPEN', 'Cette microstructure n’est pas encore ouverte : ouvrez-la (date d’ouverture) avant d’y inclure un patient.');
  }
  if (typeof life.openedOn === 'string' && includedOn < life.openedOn) {
    throw new ValidationError('INCLUSION_BEFORE_OPENING', `La microstructure a ouvert le ${life.openedOn} : datez l’inclusion de ce jour ou d’après.`, 'includedOn');
  }
  if (typeof life.closedOn === 'string' && includedOn > life.closedOn) {
    throw new ValidationError('INCLUSION_AFTER_CLOSURE', `La microstructure a fermé le ${life.closedOn} : une inclusion ne peut pas être datée d’après sa fermeture.`, 'includedOn');
  }
  if (life.status === 'CLOSED' && typeof life.closedOn !== 'string') {
    throw new DomainError('MICROSTRUCTURE_CLOSED', 'Cette microstructure est fermée : aucun patient ne peut plus y être inclus.');
  }
}

/** Nobody is included before being born. */
function afterBirth(value: unknown, includedOn: string): void {
  const birth = (value ?? {}) as { birthDate?: unknown; birthYear?: unknown };
  const message = (born: string) => `Le patient est né ${born} : l’inclusion ne peut pas être datée d’avant sa naissance ; vérifiez la date d’inclusion ou la date de naissance.`;
  if (typeof birth.birthDate === 'string' && includedOn < birth.birthDate) throw new ValidationError('INCLUSION_BEFORE_BIRTH', message(`le ${birth.birthDate}`), 'includedOn');
  if (typeof birth.birthYear === 'number' && Number(includedOn.slice(0, 4)) < birth.birthYear) {
    throw new ValidationError('INCLUSION_BEFORE_BIRTH', message(`en ${birth.birthYear}`), 'includedOn');
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
  withinMicrostructureLife(data.microstructure, includedOn);
  afterBirth(data.birth, includedOn);
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
      consent: requireConsent(data.consent, includedOn, 'consent', data.partnerIds ?? []),
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
  const ownKind = SESSION_KIND_BY_PROFESSION[profession];
  const kind = data.kind === undefined || data.kind === null ? ownKind : requireSessionKind(data.kind);
  if (ownKind === undefined || ownKind !== kind) {
    throw new ForbiddenError('Chaque professionnel n’enregistre que les séances de sa propre profession.', 'SESSION_KIND_NOT_ALLOWED');
  }
  if (data.patientErased !== false) {
    throw new DomainError('PATIENT_ERASED', 'L’identité de ce patient a été effacée : aucune séance ne peut plus être enregistrée pour lui ; enregistrez sa sortie du dispositif.', 'CONFLICT');
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
  const sameDay = inclusion.sessions.filter((session) => session.professionalId === professionalId && session.heldOn === heldOn);
  const minutesThatDay = sameDay.reduce((total, session) => total + session.durationMinutes, 0);
  if (minutesThatDay + durationMinutes > DAILY_SESSION_MINUTES_MAX) {
    throw new ValidationError(
      'DAILY_SESSION_TIME_EXCEEDED',
      `${sameDay.length} séance(s) de ce professionnel avec ce patient sont déjà enregistrées le ${heldOn} (${minutesThatDay} min) : au plus ${DAILY_SESSION_MINUTES_MAX} min par jour ; vérifiez la durée ou la date, ou s’il ne s’agit pas d’un doublon.`,
      'durationMinutes',
    );
  }
  const withOthers = data.minutesWithOtherPatients ?? 0;
  if (withOthers + minutesThatDay + durationMinutes > DAILY_PROFESSIONAL_MINUTES_MAX) {
    throw new ValidationError(
      'PROFESSIONAL_DAY_EXCEEDED',
      `Ce professionnel a déjà ${withOthers + minutesThatDay} min de séances enregistrées le ${heldOn}, tous patients confondus : au plus ${DAILY_PROFESSIONAL_MINUTES_MAX} min par jour ; vérifiez la durée ou la date, ou s’il ne s’agit pas d’un doublon.`,
      'durationMinutes',
    );
  }
  return [{ type: 'FollowUpSessionRecorded', data: { ...ids(inclusion), sessionId, kind, heldOn, professionalId, durationMinutes, outcomes } }];
}

function recordAssessment(command: RecordAssessment, state: InclusionState): InclusionEvent[] {
  const inclusion = existing(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  const recordedBy = requireId(data.recordedBy, 'recordedBy', 'L’identifiant du professionnel');
  const { code: timepoint, monthsAfterInclusion } = requireTimepoint(data.timepoint, data.timepoints ?? DEFAULT_TIMEPOINTS);
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
  const outOfWindowReason = withinWindow(inclusion.includedOn, timepoint, monthsAfterInclusion, assessedOn, data.windowDays ?? DEFAULT_ASSESSMENT_WINDOW_DAYS, data.outOfWindowReason);
  // The reason is checked in clear; the event keeps it sealed under the patient's key.
  const sealedOutOfWindowReason = outOfWindowReason === undefined ? undefined : requireText(data.sealedOutOfWindowReason, 'sealedOutOfWindowReason', 'Le motif chiffré', 20_000);
  return [{ type: 'AssessmentRecorded', data: { ...ids(inclusion), timepoint, assessedOn, ...values, recordedBy, ...(sealedOutOfWindowReason !== undefined && { sealedOutOfWindowReason }) } }];
}

/**
 * An assessment is dated within its timepoint's window (due date ± `windowDays`), or comes with the reason
 * it is not (`ASSESSMENT_OUT_OF_WINDOW`). Returns the reason, kept only for an assessment outside its window.
 */
function withinWindow(includedOn: string, timepoint: string, months: number, assessedOn: string, windowDays: number, reason: unknown): string | undefined {
  const dueOn = addMonths(includedOn, months);
  const from = addDays(dueOn, -windowDays);
  const to = addDays(dueOn, windowDays);
  if (assessedOn >= from && assessedOn <= to) return undefined;
  if (reason === undefined || reason === null || (typeof reason === 'string' && reason.trim() === '')) {
    throw new ValidationError(
      'ASSESSMENT_OUT_OF_WINDOW',
      `L’évaluation ${timepoint} est attendue entre le ${from} et le ${to} (échéance le ${dueOn}) : corrigez la date ou indiquez pourquoi elle est faite en dehors de cette période.`,
      'assessedOn',
    );
  }
  return requireText(reason, 'outOfWindowReason', 'Le motif d’une évaluation hors période', OUT_OF_WINDOW_REASON_MAX_LENGTH);
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
  // A plan recorded in clear compares here; a sealed one was opened and compared by the application.
  const sameAsClear = current?.goals !== undefined && carePlanText({ goals: current.goals, nextSteps: current.nextSteps ?? [] }) === carePlanText({ goals, nextSteps });
  if (current && (data.unchanged === true || sameAsClear)) return [];
  const sealed = requireText(data.sealed, 'sealed', 'Le parcours de soins chiffré', 200_000);
  return [{ type: 'CarePlanRevised', data: { ...ids(inclusion), sealed, updatedOn, updatedBy } }];
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
      const { sessionId, kind, heldOn, professionalId, durationMinutes } = event.data;
      return { ...state, sessions: [...state.sessions, { sessionId, kind, heldOn, professionalId, durationMinutes }] };
    }
    case 'AssessmentRecorded':
      return { ...state, assessments: [...state.assessments, { timepoint: event.data.timepoint, assessedOn: event.data.assessedOn }] };
    case 'ExitRecorded': {
      const { exitedOn, reason, recordedBy } = event.data;
      return { ...state, status: 'EXITED', exit: { exitedOn, reason, recordedBy } };
    }
    case 'CarePlanRevised': {
      const { sealed, goals, nextSteps, updatedOn, updatedBy } = event.data;
      return { ...state, carePlan: sealed !== undefined ? { sealed, updatedOn, updatedBy } : { goals, nextSteps, updatedOn, updatedBy } };
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

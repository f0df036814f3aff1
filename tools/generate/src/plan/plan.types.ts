/**
 * A generated history: plain data, in date order, in the words of the platform's commands. Every id is
 * a UUID drawn from the seed: the bulk driver uses them as they are, the command-path driver maps them
 * to the ids the services return. Nothing here is a real person, place or number.
 */

export type Profession = 'GENERAL_PRACTITIONER' | 'PSYCHOLOGIST' | 'SOCIAL_WORKER' | 'PSYCHIATRIST';
export type MicrostructureKind = 'ADDICTION' | 'MENTAL_HEALTH';
export type PartnerType = 'CSAPA' | 'CAARUD' | 'HOSPITAL' | 'CMP' | 'PHARMACY' | 'ASSOCIATION' | 'SOCIAL_SERVICE' | 'OTHER';
export type Sex = 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN';
export type AgeBand = 'UNDER_18' | 'AGE_18_24' | 'AGE_25_34' | 'AGE_35_44' | 'AGE_45_54' | 'AGE_55_64' | 'AGE_65_PLUS';
export type InclusionReason = 'ADDICTION' | 'MENTAL_HEALTH' | 'PRECARITY' | 'OTHER';
export type Housing = 'STABLE' | 'PRECARIOUS' | 'HOMELESS' | 'INSTITUTION' | 'UNKNOWN';
export type Income = 'EMPLOYMENT' | 'BENEFITS' | 'NONE' | 'OTHER' | 'UNKNOWN';
export type HealthCoverage = 'FULL' | 'CSS' | 'AME' | 'NONE' | 'UNKNOWN';
export type Substance = 'ALCOHOL' | 'TOBACCO' | 'CANNABIS' | 'OPIOIDS' | 'COCAINE' | 'OTHER';
export type Employment = 'EMPLOYED' | 'UNEMPLOYED' | 'INACTIVE' | 'UNKNOWN';
export type ExitReason = 'GOALS_REACHED' | 'MOVED' | 'REFERRED_TO_SPECIALISED_CENTRE' | 'LOST_TO_FOLLOW_UP' | 'DECEASED' | 'PATIENT_CHOICE' | 'OTHER';
export type SessionKind = 'GP_CONSULTATION' | 'PSYCHOLOGIST_SESSION' | 'SOCIAL_WORK_INTERVIEW' | 'PSYCHIATRIST_SESSION';
export type ReviewDecision = 'ADJUST_CARE_PLAN' | 'REFERRAL' | 'HOSPITALISATION' | 'SOCIAL_ACTION' | 'NO_CHANGE';
export type PracticeSiteType = 'SOLO_PRACTICE' | 'GROUP_PRACTICE' | 'MSP' | 'HEALTH_CENTRE';

export const SESSION_KIND_OF: Readonly<Record<Profession, SessionKind>> = {
  GENERAL_PRACTITIONER: 'GP_CONSULTATION',
  PSYCHOLOGIST: 'PSYCHOLOGIST_SESSION',
  SOCIAL_WORKER: 'SOCIAL_WORK_INTERVIEW',
  PSYCHIATRIST: 'PSYCHIATRIST_SESSION',
};

export interface PlanParameters {
  seed: number;
  /** Regions of metropolitan France taken in order (at most 12); 7 as in 2023. */
  regions: number;
  /** Regional networks, spread over the regions (at least one per region). */
  networks: number;
  microstructures: number;
  /** Target active caseload per year at steady state, nationally (5,500 in 2023; 50,000 planned). */
  patientsPerYear: number;
  /** Months of history, ending on `endDate`. */
  months: number;
  /** Last day of the history (yesterday in France by default: the services refuse future dates). */
  endDate: string;
}

// ---- The directory ----

export interface PlannedNetwork {
  id: string;
  name: string;
  region: string;
  departments: string[];
}

export interface PlannedProfessional {
  id: string;
  firstName: string;
  lastName: string;
  profession: Profession;
  rpps?: string;
}

export interface PlannedPartner {
  id: string;
  name: string;
  type: PartnerType;
}

export interface PlannedMicrostructure {
  id: string;
  networkId: string;
  name: string;
  kind: MicrostructureKind;
  department: string;
  site: { name: string; type: PracticeSiteType; address: { street: string; postalCode: string; city: string } };
  /** Creation, members' start and opening: all on this day. */
  openedOn: string;
  members: PlannedProfessional[];
  partners: PlannedPartner[];
  /** Relative size of the practice: scales its inclusions. */
  size: number;
}

export interface PlannedDirectory {
  networks: PlannedNetwork[];
  microstructures: PlannedMicrostructure[];
}

// ---- The activity, one act per command ----

export interface PatientIdentity {
  lastName: string;
  firstName: string;
  birthDate: string;
  sex: Sex;
  contact: string;
  socialSecurityNumber?: string;
}

export interface InitialSituation {
  housing: Housing;
  income: Income;
  healthCoverage: HealthCoverage;
  mainSubstances: Substance[];
  daysOfUseLast30: number;
}

interface PatientAct {
  on: string;
  microstructureId: string;
  networkId: string;
  patientId: string;
  inclusionId: string;
  /** Who records it: a member of the team whose profession allows it. */
  by: string;
}

export interface InclusionAct extends PatientAct {
  kind: 'inclusion';
  /** A patient included again after an exit keeps their id and identity. */
  reinclusion: boolean;
  identity: PatientIdentity;
  ageBand: AgeBand;
  reasons: InclusionReason[];
  treatingGpId: string;
  consentGivenOn: string;
  partnerSharing: string[];
  initialSituation: InitialSituation;
}

export interface Screening {
  disease: 'HCV' | 'HIV' | 'HBV';
  status: 'PROPOSED' | 'DONE';
  result?: 'POSITIVE' | 'NEGATIVE' | 'RNA_POSITIVE';
}

export interface SessionOutcomes {
  screenings: Screening[];
  rights: { right: 'CSS' | 'AME' | 'HOUSING' | 'INCOME'; status: 'APPLIED' | 'GRANTED' }[];
  referrals: { partnerId: string; partnerType: PartnerType }[];
}

export interface SessionAct extends PatientAct {
  kind: 'session';
  sessionId: string;
  sessionKind: SessionKind;
  durationMinutes: number;
  outcomes: SessionOutcomes;
}

export interface AssessmentAct extends PatientAct {
  kind: 'assessment';
  timepoint: 'INCLUSION' | 'M6' | 'M12';
  daysOfUseLast30: number;
  qualityOfLifeScore: number;
  housing: Housing;
  employment: Employment;
  healthCoverage: HealthCoverage;
}

export interface ExitAct extends PatientAct {
  kind: 'exit';
  reason: ExitReason;
}

export interface MeetingAct {
  kind: 'meeting';
  on: string;
  meetingId: string;
  microstructureId: string;
  networkId: string;
  by: string;
  scheduledOn: string;
  /** Absent: the meeting was cancelled (on `on`, before its date). */
  held?: { durationMinutes: number; attendeeIds: string[]; reviews: { patientId: string; decisions: ReviewDecision[]; nextReviewOn: string }[] };
}

export interface NetworkMeetingAct {
  kind: 'network-meeting';
  on: string;
  networkMeetingId: string;
  networkId: string;
  format: 'IN_PERSON' | 'VIDEO';
  durationMinutes: number;
  attendees: { professionalId: string; microstructureId: string }[];
}

export type ActivityAct = InclusionAct | SessionAct | AssessmentAct | ExitAct | MeetingAct | NetworkMeetingAct;

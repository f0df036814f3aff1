import { ValidationError } from '@cnrms/decider';
import { PartnerType, Profession, requireCode, requireId, requirePartnerType } from './values';

/** Follow-up sessions: GP consultation, psychologist session, social-work interview, psychiatrist session. */
export const SESSION_KINDS = ['GP_CONSULTATION', 'PSYCHOLOGIST_SESSION', 'SOCIAL_WORK_INTERVIEW', 'PSYCHIATRIST_SESSION'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const requireSessionKind = (value: unknown, field = 'kind'): SessionKind => requireCode(SESSION_KINDS, value, field, 'le type de séance');

/** Each professional records the sessions of their own profession only; other professions record none. */
export const SESSION_KIND_BY_PROFESSION: Readonly<Partial<Record<Profession, SessionKind>>> = {
  GENERAL_PRACTITIONER: 'GP_CONSULTATION',
  PSYCHOLOGIST: 'PSYCHOLOGIST_SESSION',
  SOCIAL_WORKER: 'SOCIAL_WORK_INTERVIEW',
  PSYCHIATRIST: 'PSYCHIATRIST_SESSION',
};

export const SESSION_DURATION_RULE = { min: 1, max: 480, code: 'INVALID_DURATION', label: 'La durée de la séance (en minutes)' };

// ---- Outcomes ----

export const SCREENED_DISEASES = ['HCV', 'HIV', 'HBV'] as const;
export type ScreenedDisease = (typeof SCREENED_DISEASES)[number];
export const SCREENING_STATUSES = ['PROPOSED', 'DONE'] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];
/** RNA_POSITIVE: HCV viral RNA detected (chronic infection, to be treated). */
export const SCREENING_RESULTS = ['POSITIVE', 'NEGATIVE', 'RNA_POSITIVE'] as const;
export type ScreeningResult = (typeof SCREENING_RESULTS)[number];

/** Treatments started at a session: HCV (direct-acting antivirals), what hcv_treatment_uptake counts. */
export const TREATED_DISEASES = ['HCV'] as const;
export type TreatedDisease = (typeof TREATED_DISEASES)[number];
export const TREATMENT_STATUSES = ['STARTED'] as const;
export type TreatmentStatus = (typeof TREATMENT_STATUSES)[number];

export interface TreatmentOutcome {
  disease: TreatedDisease;
  status: TreatmentStatus;
}

export const RIGHTS = ['CSS', 'AME', 'HOUSING', 'INCOME'] as const;
export type Right = (typeof RIGHTS)[number];
export const RIGHT_STATUSES = ['APPLIED', 'GRANTED'] as const;
export type RightStatus = (typeof RIGHT_STATUSES)[number];

export interface Screening {
  disease: ScreenedDisease;
  status: ScreeningStatus;
  result?: ScreeningResult;
}

export interface RightsOutcome {
  right: Right;
  status: RightStatus;
}

export interface Referral {
  partnerId: string;
  partnerType: PartnerType;
}

/** Always the three lists, empty when nothing came of the session, so that projections need no guard. */
export interface SessionOutcomes {
  screenings: Screening[];
  rights: RightsOutcome[];
  referrals: Referral[];
  /** Present only when a treatment was started (sessions recorded before it existed have none). */
  treatments?: TreatmentOutcome[];
}

type Fields<T> = Partial<Record<keyof T, unknown>>;

function list<T>(value: unknown, field: string, label: string, each: (item: unknown, field: string) => T, key: (item: T) => string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError('INVALID_LIST', `${label} doivent être une liste.`, field);
  const items = value.map((item, index) => each(item, `${field}[${index}]`));
  const keys = items.map(key);
  const duplicate = keys.find((k, index) => keys.indexOf(k) !== index);
  if (duplicate !== undefined) throw new ValidationError('DUPLICATE_VALUE', `${label} : ${duplicate} est indiqué plusieurs fois pour la même séance.`, field);
  return items;
}

function requireScreening(value: unknown, field: string): Screening {
  const screening = (value ?? {}) as Fields<Screening>;
  const disease = requireCode(SCREENED_DISEASES, screening.disease, `${field}.disease`, 'la maladie dépistée');
  const status = requireCode(SCREENING_STATUSES, screening.status, `${field}.status`, 'le statut du dépistage');
  if (screening.result === undefined || screening.result === null) return { disease, status };
  const result = requireCode(SCREENING_RESULTS, screening.result, `${field}.result`, 'le résultat du dépistage');
  if (status !== 'DONE') throw new ValidationError('INVALID_SCREENING', 'Un résultat ne peut être indiqué que pour un dépistage réalisé.', `${field}.result`);
  if (result === 'RNA_POSITIVE' && disease !== 'HCV') {
    throw new ValidationError('INVALID_SCREENING', 'Le résultat « ARN positif » ne concerne que le dépistage de l’hépatite C (VHC).', `${field}.result`);
  }
  return { disease, status, result };
}

function requireRightsOutcome(value: unknown, field: string): RightsOutcome {
  const outcome = (value ?? {}) as Fields<RightsOutcome>;
  return {
    right: requireCode(RIGHTS, outcome.right, `${field}.right`, 'le droit'),
    status: requireCode(RIGHT_STATUSES, outcome.status, `${field}.status`, 'l’état de la demande de droit'),
  };
}

function requireReferral(value: unknown, field: string): Referral {
  const referral = (value ?? {}) as Fields<Referral>;
  return {
    partnerId: requireId(referral.partnerId, `${field}.partnerId`, 'L’identifiant du partenaire'),
    partnerType: requirePartnerType(referral.partnerType, `${field}.partnerType`),
  };
}

function requireTreatment(value: unknown, field: string): TreatmentOutcome {
  const treatment = (value ?? {}) as Fields<TreatmentOutcome>;
  return {
    disease: requireCode(TREATED_DISEASES, treatment.disease, `${field}.disease`, 'la maladie traitée'),
    status: requireCode(TREATMENT_STATUSES, treatment.status, `${field}.status`, 'l’état du traitement'),
  };
}

/** Screenings (one per disease), rights (one per right), referrals (one per partner) and treatments started (one per disease) of one session. */
export function requireSessionOutcomes(value: unknown, field = 'outcomes'): SessionOutcomes {
  const outcomes = (value ?? {}) as Fields<SessionOutcomes>;
  const treatments = list(outcomes.treatments, `${field}.treatments`, 'Les traitements débutés', requireTreatment, (t) => t.disease);
  return {
    screenings: list(outcomes.screenings, `${field}.screenings`, 'Les dépistages', requireScreening, (s) => s.disease),
    rights: list(outcomes.rights, `${field}.rights`, 'Les ouvertures de droits', requireRightsOutcome, (r) => r.right),
    referrals: list(outcomes.referrals, `${field}.referrals`, 'Les orientations', requireReferral, (r) => r.partnerId),
    ...(treatments.length > 0 ? { treatments } : {}),
  };
}

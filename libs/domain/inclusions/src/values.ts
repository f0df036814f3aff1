import { type IntegerRule, requireCode } from '@cnrms/decider';

// The shared validators, re-exported so that the domain's callers keep one import.
export { requireId, requireIdList, requireText, isBlank, type IntegerRule, requireInteger, requireBoolean, isIsoDate, requireDate, requirePastDate, isIsoTimestamp, requireTimestamp, requireCode, requireCodeSet } from '@cnrms/decider';

/**
 * Value validation shared by the deciders and the GraphQL layer. Each `require…` function takes
 * what came from outside (hence `unknown`), returns the normalised value, or throws a
 * `ValidationError` whose message is for a person. Every unknown code of an enumeration is refused
 * with the one code `INVALID_CODE` (the field says which).
 */

// ---- Numbers ----

export const DAYS_OF_USE_RULE: IntegerRule = { min: 0, max: 30, code: 'INVALID_DAYS_OF_USE', label: 'Le nombre de jours de consommation sur les 30 derniers jours' };

// ---- Enumerations ----

/** Sex as recorded; shares are computed over patients whose sex is known. */
export const SEXES = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'] as const;
export type Sex = (typeof SEXES)[number];
export const requireSex = (value: unknown, field = 'sex'): Sex => requireCode(SEXES, value, field, 'le sexe');

/** The directory's professions (the same spelling, kept here because a service never imports another). */
export const PROFESSIONS = ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'] as const;
export type Profession = (typeof PROFESSIONS)[number];
export const requireProfession = (value: unknown, field = 'profession'): Profession => requireCode(PROFESSIONS, value, field, 'la profession');

export const PARTNER_TYPES = ['CSAPA', 'CAARUD', 'HOSPITAL', 'CMP', 'PHARMACY', 'ASSOCIATION', 'SOCIAL_SERVICE', 'OTHER'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];
export const requirePartnerType = (value: unknown, field = 'partnerType'): PartnerType => requireCode(PARTNER_TYPES, value, field, 'le type de partenaire');

export const INCLUSION_REASONS = ['ADDICTION', 'MENTAL_HEALTH', 'PRECARITY', 'OTHER'] as const;
export type InclusionReason = (typeof INCLUSION_REASONS)[number];

export const HOUSING_SITUATIONS = ['STABLE', 'PRECARIOUS', 'HOMELESS', 'INSTITUTION', 'UNKNOWN'] as const;
export type HousingSituation = (typeof HOUSING_SITUATIONS)[number];
export const requireHousing = (value: unknown, field = 'housing'): HousingSituation => requireCode(HOUSING_SITUATIONS, value, field, 'le logement');

export const INCOME_SOURCES = ['EMPLOYMENT', 'BENEFITS', 'NONE', 'OTHER', 'UNKNOWN'] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];
export const requireIncome = (value: unknown, field = 'income'): IncomeSource => requireCode(INCOME_SOURCES, value, field, 'les ressources');

/** Full coverage (base + complementary), CSS (complémentaire santé solidaire), AME (aide médicale de l’État), none. */
export const HEALTH_COVERAGES = ['FULL', 'CSS', 'AME', 'NONE', 'UNKNOWN'] as const;
export type HealthCoverage = (typeof HEALTH_COVERAGES)[number];
export const requireHealthCoverage = (value: unknown, field = 'healthCoverage'): HealthCoverage =>
  requireCode(HEALTH_COVERAGES, value, field, 'la couverture maladie');

export const SUBSTANCES = ['ALCOHOL', 'TOBACCO', 'CANNABIS', 'OPIOIDS', 'COCAINE', 'OTHER'] as const;
export type Substance = (typeof SUBSTANCES)[number];

export const EMPLOYMENT_SITUATIONS = ['EMPLOYED', 'UNEMPLOYED', 'INACTIVE', 'UNKNOWN'] as const;
export type EmploymentSituation = (typeof EMPLOYMENT_SITUATIONS)[number];
export const requireEmployment = (value: unknown, field = 'employment'): EmploymentSituation =>
  requireCode(EMPLOYMENT_SITUATIONS, value, field, 'la situation professionnelle');

export const EXIT_REASONS = ['GOALS_REACHED', 'MOVED', 'REFERRED_TO_SPECIALISED_CENTRE', 'LOST_TO_FOLLOW_UP', 'DECEASED', 'PATIENT_CHOICE', 'OTHER'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];
export const requireExitReason = (value: unknown, field = 'reason'): ExitReason => requireCode(EXIT_REASONS, value, field, 'le motif de sortie');

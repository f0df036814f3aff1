import { requirePlausibleDate, ValidationError } from '@cnrms/decider';
import {
  DAYS_OF_USE_RULE,
  HealthCoverage,
  HousingSituation,
  INCLUSION_REASONS,
  InclusionReason,
  IncomeSource,
  requireCodeSet,
  requireHealthCoverage,
  requireHousing,
  requireIdList,
  requireIncome,
  requireInteger,
  requireText,
  Substance,
  SUBSTANCES,
} from './values';

/** At least one reason, none twice, in the order of `INCLUSION_REASONS`. */
export function requireInclusionReasons(value: unknown, field = 'reasons'): InclusionReason[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('REASONS_REQUIRED', 'Au moins un motif d’inclusion doit être indiqué.', field);
  return requireCodeSet(INCLUSION_REASONS, value, field, 'le motif d’inclusion');
}

// ---- Consent ----

/**
 * The patient's consent, recorded at inclusion. Sharing within the care team is the condition of a
 * microstructure's follow-up; sharing with partners (CSAPA, hospital…) is given partner by partner.
 */
export interface Consent {
  givenOn: string;
  teamSharing: true;
  partnerSharing: string[];
}

/**
 * The consent at inclusion. `partnerIds` are the microstructure's partners (from the directory's events):
 * a partner-sharing consent names only partners of the microstructure (`PARTNER_NOT_OF_MICROSTRUCTURE`).
 */
export function requireConsent(value: unknown, includedOn: string, field = 'consent', partnerIds?: readonly string[]): Consent {
  const consent = (value ?? {}) as Partial<Record<keyof Consent, unknown>>;
  if (value === undefined || value === null || consent.teamSharing !== true) {
    throw new ValidationError('CONSENT_REQUIRED', 'Le patient doit avoir consenti au partage d’informations au sein de l’équipe de la microstructure.', `${field}.teamSharing`);
  }
  const givenOn = requirePlausibleDate(consent.givenOn, `${field}.givenOn`);
  if (givenOn > includedOn) {
    throw new ValidationError('CONSENT_AFTER_INCLUSION', `Le consentement doit être recueilli au plus tard le jour de l’inclusion (${includedOn}).`, `${field}.givenOn`);
  }
  const partnerSharing = requireIdList(consent.partnerSharing, `${field}.partnerSharing`, 'Le partenaire');
  if (partnerIds !== undefined) {
    const index = partnerSharing.findIndex((partnerId) => !partnerIds.includes(partnerId));
    if (index >= 0) {
      throw new ValidationError(
        'PARTNER_NOT_OF_MICROSTRUCTURE',
        `Le partenaire « ${partnerSharing[index]} » n’est pas un partenaire de la microstructure : choisissez-le parmi ses partenaires ou ajoutez-le d’abord à la microstructure.`,
        `${field}.partnerSharing[${index}]`,
      );
    }
  }
  return { givenOn, teamSharing: true, partnerSharing };
}

// ---- Situation at inclusion ----

export interface InitialSituation {
  housing: HousingSituation;
  income: IncomeSource;
  healthCoverage: HealthCoverage;
  /** Possibly empty (a mental-health inclusion without substance use). */
  mainSubstances: Substance[];
  /** Days of use of the main substances in the last 30 days. */
  daysOfUseLast30: number;
}

export function requireInitialSituation(value: unknown, field = 'initialSituation'): InitialSituation {
  const situation = (value ?? {}) as Partial<Record<keyof InitialSituation, unknown>>;
  return {
    housing: requireHousing(situation.housing, `${field}.housing`),
    income: requireIncome(situation.income, `${field}.income`),
    healthCoverage: requireHealthCoverage(situation.healthCoverage, `${field}.healthCoverage`),
    mainSubstances: requireCodeSet(SUBSTANCES, situation.mainSubstances ?? [], `${field}.mainSubstances`, 'la substance'),
    daysOfUseLast30: requireInteger(situation.daysOfUseLast30, `${field}.daysOfUseLast30`, DAYS_OF_USE_RULE),
  };
}

// ---- Care plan ----

export const CARE_PLAN_MAX_ITEMS = 20;
export const CARE_PLAN_ITEM_MAX_LENGTH = 500;

/**
 * Goals and next steps are free text about the patient, hence identifying: they stay in the
 * inclusions service's own event store and read models, and never go into an integration event.
 */
export function requireCarePlanItems(value: unknown, field: 'goals' | 'nextSteps'): string[] {
  const what = field === 'goals' ? 'objectif' : 'prochaine étape';
  const items = value === undefined || value === null ? [] : value;
  if (!Array.isArray(items)) throw new ValidationError('INVALID_LIST', `La liste (${what}) doit être une liste.`, field);
  if (field === 'goals' && items.length === 0) throw new ValidationError('CARE_PLAN_GOALS_REQUIRED', 'Le parcours de soins doit comporter au moins un objectif.', field);
  if (items.length > CARE_PLAN_MAX_ITEMS) {
    throw new ValidationError('TOO_MANY_ITEMS', `Le parcours de soins ne peut pas comporter plus de ${CARE_PLAN_MAX_ITEMS} éléments (${what}).`, field);
  }
  return items.map((item, index) => requireText(item, `${field}[${index}]`, `Le texte (${what} n° ${index + 1})`, CARE_PLAN_ITEM_MAX_LENGTH));
}

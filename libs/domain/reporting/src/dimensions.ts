import { ReportingError } from './errors';

/** What an indicator's cells can be cut by (besides the period). */
export const DIMENSIONS = ['NETWORK', 'REGION', 'DEPARTMENT', 'MICROSTRUCTURE', 'MICROSTRUCTURE_KIND', 'SEX', 'AGE_BAND', 'EXIT_REASON', 'PARTNER_TYPE'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = {
  NETWORK: 'Réseau régional',
  REGION: 'Région',
  DEPARTMENT: 'Département',
  MICROSTRUCTURE: 'Microstructure',
  MICROSTRUCTURE_KIND: 'Type de microstructure',
  SEX: 'Sexe',
  AGE_BAND: 'Tranche d’âge (à l’inclusion)',
  EXIT_REASON: 'Motif de sortie',
  PARTNER_TYPE: 'Type de partenaire',
};

/** Age bands computed at the inclusion date (DOMAIN.md), spelt as in the inclusions contract. */
export const AGE_BANDS = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS'] as const;
export const SEXES = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'] as const;

/** The age band of a person born on `birthDate` at `on` (both `YYYY-MM-DD`); the inclusions service publishes only the band. */
export function ageBandAt(birthDate: string, on: string): (typeof AGE_BANDS)[number] {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  if (age < 18) return 'UNDER_18';
  if (age < 25) return 'AGE_18_24';
  if (age < 35) return 'AGE_25_34';
  if (age < 45) return 'AGE_35_44';
  if (age < 55) return 'AGE_45_54';
  if (age < 65) return 'AGE_55_64';
  return 'AGE_65_PLUS';
}

/** French labels of coded dimension values; names of networks and microstructures come from the directory's events. */
export const VALUE_LABELS: Readonly<Record<string, string>> = {
  FEMALE: 'Femme',
  MALE: 'Homme',
  OTHER: 'Autre',
  UNKNOWN: 'Non renseigné',
  UNDER_18: 'Moins de 18 ans',
  AGE_18_24: '18–24 ans',
  AGE_25_34: '25–34 ans',
  AGE_35_44: '35–44 ans',
  AGE_45_54: '45–54 ans',
  AGE_55_64: '55–64 ans',
  AGE_65_PLUS: '65 ans et plus',
  ADDICTION: 'Addictions',
  MENTAL_HEALTH: 'Santé mentale',
  GOALS_REACHED: 'Objectifs atteints',
  MOVED: 'Déménagement',
  REFERRED_TO_SPECIALISED_CENTRE: 'Orientation vers un centre spécialisé',
  LOST_TO_FOLLOW_UP: 'Perdu de vue',
  DECEASED: 'Décès',
  PATIENT_CHOICE: 'Choix du patient',
  CSAPA: 'CSAPA',
  CAARUD: 'CAARUD',
  HOSPITAL: 'Hôpital',
  CMP: 'CMP',
  PHARMACY: 'Pharmacie',
  ASSOCIATION: 'Association',
  SOCIAL_SERVICE: 'Service social',
};

/** Parses the dimensions a caller asked for; unknown or repeated ones are refused with a French message. */
export function parseDimensions(requested: readonly string[]): Dimension[] {
  const dimensions: Dimension[] = [];
  for (const name of requested) {
    if (!(DIMENSIONS as readonly string[]).includes(name)) {
      throw new ReportingError('UNKNOWN_DIMENSION', `Dimension inconnue « ${name} » ; dimensions possibles : ${DIMENSIONS.join(', ')}.`, { dimension: name });
    }
    if (dimensions.includes(name as Dimension)) throw new ReportingError('UNSUPPORTED_GROUPING', `La dimension « ${name} » est demandée deux fois.`, { dimension: name });
    dimensions.push(name as Dimension);
  }
  return dimensions;
}

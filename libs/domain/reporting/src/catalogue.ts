import { Dimension } from './dimensions';
import { ReportingError } from './errors';
import { Granularity, GRANULARITIES } from './periods';

export const UNITS = ['COUNT', 'PERCENT', 'RATIO', 'DAYS', 'SCORE_POINTS', 'EUROS', 'HOURS', 'MEETINGS_PER_MICROSTRUCTURE_MONTH'] as const;
export type Unit = (typeof UNITS)[number];

export const UNIT_LABELS: Readonly<Record<Unit, string>> = {
  COUNT: 'nombre',
  PERCENT: '%',
  RATIO: 'par patient',
  DAYS: 'jours',
  SCORE_POINTS: 'points de score',
  EUROS: '€',
  HOURS: 'heures par professionnel',
  MEETINGS_PER_MICROSTRUCTURE_MONTH: 'réunions par microstructure et par mois',
};

/**
 * One indicator, defined once: what the catalogue lists, what the query computes, what the export
 * heads its columns with. `patientBased` indicators count patients, so small cells are suppressed for
 * funders and the national level; the others count structures, professionals or meetings.
 */
export interface IndicatorDefinition {
  code: string;
  label: string;
  description: string;
  numerator: string;
  denominator: string | null;
  unit: Unit;
  dimensions: readonly Dimension[];
  granularities: readonly Granularity[];
  /** Reported by public sources at national level (DOMAIN.md). */
  published: boolean;
  patientBased: boolean;
  available: boolean;
  /** Why it cannot be computed from what the services publish today (French). */
  unavailableReason: string | null;
  /** The services whose integration events it is computed from. */
  sources: readonly string[];
}

const STRUCTURE: readonly Dimension[] = ['NETWORK', 'REGION', 'DEPARTMENT', 'MICROSTRUCTURE', 'MICROSTRUCTURE_KIND'];
const PATIENT: readonly Dimension[] = [...STRUCTURE, 'SEX', 'AGE_BAND'];
const ALL_GRANULARITIES = GRANULARITIES;

type Definition = Omit<IndicatorDefinition, 'granularities' | 'available' | 'unavailableReason' | 'published' | 'patientBased'> &
  Partial<Pick<IndicatorDefinition, 'granularities' | 'available' | 'unavailableReason' | 'published' | 'patientBased'>>;

const define = (d: Definition): IndicatorDefinition => ({ granularities: ALL_GRANULARITIES, available: true, unavailableReason: null, published: false, patientBased: true, ...d });

/** The catalogue: every indicator of DOMAIN.md, in its order (plus `reinclusions`, reported on their own). */
export const INDICATORS: readonly IndicatorDefinition[] = [
  define({
    code: 'active_regions',
    label: 'Régions actives',
    description: 'Régions comptant au moins une microstructure ouverte au dernier jour de la période.',
    numerator: 'régions distinctes des microstructures ouvertes (ouverture au plus tard le dernier jour, non fermées à cette date)',
    denominator: null,
    unit: 'COUNT',
    dimensions: ['MICROSTRUCTURE_KIND'],
    published: true,
    patientBased: false,
    sources: ['directory'],
  }),
  define({
    code: 'active_microstructures',
    label: 'Microstructures actives',
    description: 'Microstructures ayant eu au moins un contact patient (inclusion, séance, évaluation) dans la période.',
    numerator: 'microstructures distinctes avec au moins un contact patient',
    denominator: null,
    unit: 'COUNT',
    dimensions: ['NETWORK', 'REGION', 'DEPARTMENT', 'MICROSTRUCTURE_KIND'],
    published: true,
    patientBased: false,
    sources: ['inclusions', 'directory'],
  }),
  define({
    code: 'involved_gps',
    label: 'Médecins généralistes impliqués',
    description: 'Médecins traitants distincts d’au moins un patient actif à une date de la période (inclusion ouverte, pas sorti avant cette date).',
    numerator: 'médecins traitants distincts des patients actifs dans la période',
    denominator: null,
    unit: 'COUNT',
    dimensions: STRUCTURE,
    published: true,
    patientBased: false,
    sources: ['inclusions'],
  }),
  define({
    code: 'active_caseload',
    label: 'File active',
    description: 'Patients distincts ayant eu au moins un contact (inclusion, séance de tout type, évaluation) daté dans la période. Une réunion de synthèse n’est pas un contact.',
    numerator: 'patients distincts avec au moins un contact',
    denominator: null,
    unit: 'COUNT',
    dimensions: PATIENT,
    published: true,
    sources: ['inclusions'],
  }),
  define({
    code: 'women_share',
    label: 'Part des femmes',
    description: 'Femmes parmi la file active dont le sexe est renseigné.',
    numerator: 'femmes de la file active',
    denominator: 'patients de la file active dont le sexe est renseigné',
    unit: 'PERCENT',
    dimensions: STRUCTURE.concat(['AGE_BAND']),
    published: true,
    sources: ['inclusions'],
  }),
  define({
    code: 'new_inclusions',
    label: 'Nouvelles inclusions',
    description: 'Inclusions datées dans la période : premières inclusions et ré-inclusions (ces dernières aussi comptées à part, indicateur reinclusions).',
    numerator: 'inclusions datées dans la période',
    denominator: null,
    unit: 'COUNT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'reinclusions',
    label: 'Ré-inclusions',
    description: 'Ré-inclusions (patient déjà inclus puis sorti) datées dans la période ; comprises dans new_inclusions.',
    numerator: 'ré-inclusions datées dans la période',
    denominator: null,
    unit: 'COUNT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'psychologist_reach',
    label: 'Patients vus par le psychologue',
    description: 'Part de la file active ayant eu au moins une séance avec le psychologue dans la période.',
    numerator: 'patients avec au moins une séance psychologue',
    denominator: 'file active',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'psychologist_sessions_per_patient',
    label: 'Séances psychologue par patient',
    description: 'Séances psychologue datées dans la période, rapportées aux patients vus par le psychologue.',
    numerator: 'séances psychologue',
    denominator: 'patients vus par le psychologue',
    unit: 'RATIO',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'social_worker_reach',
    label: 'Patients vus par le travailleur social',
    description: 'Part de la file active ayant eu au moins un entretien social dans la période.',
    numerator: 'patients avec au moins un entretien social',
    denominator: 'file active',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'social_work_interviews_per_patient',
    label: 'Entretiens sociaux par patient',
    description: 'Entretiens sociaux datés dans la période, rapportés aux patients vus par le travailleur social.',
    numerator: 'entretiens sociaux',
    denominator: 'patients vus par le travailleur social',
    unit: 'RATIO',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'meetings_held',
    label: 'Réunions de synthèse tenues par microstructure ouverte et par mois',
    description:
      'Moyenne : réunions de synthèse tenues (non annulées) datées dans la période, divisées par les mois-microstructures ouverts. Ce n’est pas un nombre de réunions : le nombre de réunions tenues est le numérateur de chaque case, donné à côté de la valeur.',
    numerator: 'réunions de synthèse tenues',
    denominator: 'mois-microstructures ouverts (chaque mois où la microstructure est ouverte au moins un jour)',
    unit: 'MEETINGS_PER_MICROSTRUCTURE_MONTH',
    dimensions: STRUCTURE,
    patientBased: false,
    sources: ['meetings', 'directory'],
  }),
  define({
    code: 'patients_reviewed_share',
    label: 'Patients examinés en réunion de synthèse',
    description: 'Au dernier jour de la période : part des patients actifs examinés dans une réunion tenue au cours des 6 derniers mois (fenêtre configurable).',
    numerator: 'patients actifs examinés en réunion dans la fenêtre',
    denominator: 'patients actifs au dernier jour de la période',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions', 'meetings'],
  }),
  define({
    code: 'time_to_first_team_contact',
    label: 'Délai jusqu’au premier contact avec l’équipe',
    description: 'Pour les inclusions datées dans la période : médiane des jours entre l’inclusion et la première séance psychologue ou le premier entretien social. Le numérateur compte les inclusions qui en ont un, le dénominateur toutes les inclusions (la différence : celles encore sans contact).',
    numerator: 'inclusions ayant eu un premier contact psychologue ou social',
    denominator: 'inclusions datées dans la période',
    unit: 'DAYS',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'hcv_screening_acceptance',
    label: 'Acceptation du dépistage VHC',
    description: 'Sur les 12 mois finissant au dernier jour de la période (fenêtre configurable) : patients dépistés pour le VHC parmi ceux à qui le dépistage a été proposé (un dépistage réalisé vaut proposition).',
    numerator: 'patients dépistés VHC',
    denominator: 'patients à qui le dépistage VHC a été proposé',
    unit: 'PERCENT',
    dimensions: PATIENT,
    published: true,
    sources: ['inclusions'],
  }),
  define({
    code: 'hcv_treatment_uptake',
    label: 'Mise sous traitement VHC',
    description:
      'Patients ayant un résultat ARN VHC positif sur les 12 mois finissant avec la période, dont un traitement VHC a été débuté sur ces mêmes 12 mois (résultat « traitement débuté » d’une séance de suivi).',
    numerator: 'patients ARN VHC positifs mis sous traitement',
    denominator: 'patients ARN VHC positifs',
    unit: 'PERCENT',
    dimensions: PATIENT,
    published: true,
    sources: ['inclusions'],
  }),
  define({
    code: 'screened_within_12m',
    label: 'Dépistage dans les 12 mois',
    description: 'Inclusions datées dans la période dont le patient a été dépisté (VIH, VHB ou VHC, dépistage réalisé) dans les 12 mois suivant l’inclusion (fenêtre configurable). Les inclusions récentes n’ont pas encore eu 12 mois.',
    numerator: 'inclusions avec un dépistage réalisé dans la fenêtre',
    denominator: 'inclusions datées dans la période',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'rights_opened_within_12m',
    label: 'Ouverture de droits dans les 12 mois',
    description: 'Inclusions datées dans la période dont le patient a obtenu un droit (CSS, AME ou logement) dans les 12 mois suivant l’inclusion (fenêtre configurable).',
    numerator: 'inclusions avec un droit obtenu dans la fenêtre',
    denominator: 'inclusions datées dans la période',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'substance_use_change',
    label: 'Évolution de la consommation à 6 mois',
    description: 'Inclusions datées dans la période ayant une évaluation M6 : variation moyenne des jours de consommation du produit principal sur les 30 derniers jours, entre l’inclusion et 6 mois (négative = baisse).',
    numerator: 'somme des variations (jours à M6 − jours à l’inclusion)',
    denominator: 'inclusions évaluées à M6',
    unit: 'DAYS',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'substance_use_change_12m',
    label: 'Évolution de la consommation à 12 mois',
    description: 'Comme substance_use_change, entre l’inclusion et l’évaluation M12.',
    numerator: 'somme des variations (jours à M12 − jours à l’inclusion)',
    denominator: 'inclusions évaluées à M12',
    unit: 'DAYS',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'quality_of_life_change',
    label: 'Évolution de la qualité de vie à 12 mois',
    description: 'Inclusions datées dans la période évaluées à l’inclusion et à M12 : variation moyenne du score de qualité de vie (0–100) publié par les évaluations.',
    numerator: 'somme des variations de score (M12 − inclusion)',
    denominator: 'inclusions évaluées à l’inclusion et à M12',
    unit: 'SCORE_POINTS',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'retention_6m',
    label: 'Maintien dans le suivi à 6 mois',
    description: 'Inclusions datées dans la période ayant au moins 6 mois à la date de la requête : part ayant un contact daté 182 jours (configurable) ou plus après l’inclusion.',
    numerator: 'inclusions avec un contact à 182 jours ou plus',
    denominator: 'inclusions d’au moins 6 mois',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'retention_12m',
    label: 'Maintien dans le suivi à 12 mois',
    description: 'Inclusions datées dans la période ayant au moins 12 mois à la date de la requête : part ayant un contact daté 365 jours (configurable) ou plus après l’inclusion.',
    numerator: 'inclusions avec un contact à 365 jours ou plus',
    denominator: 'inclusions d’au moins 12 mois',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'lost_to_follow_up',
    label: 'Patients perdus de vue',
    description:
      'Au dernier jour de la période : part des patients actifs (inclusion ouverte) sans aucun contact dans les N derniers mois civils, le mois de fin compris (N configurable, 6 par défaut). Proposition de la plateforme.',
    numerator: 'patients actifs sans contact dans les N derniers mois',
    denominator: 'patients actifs au dernier jour de la période',
    unit: 'PERCENT',
    dimensions: PATIENT,
    sources: ['inclusions'],
  }),
  define({
    code: 'exit_reasons',
    label: 'Motifs de sortie',
    description: 'Sorties du dispositif datées dans la période, réparties par motif (grouper par EXIT_REASON) : part de chaque motif parmi les sorties.',
    numerator: 'sorties pour ce motif',
    denominator: 'sorties de la période (mêmes autres dimensions)',
    unit: 'PERCENT',
    dimensions: [...PATIENT, 'EXIT_REASON'],
    sources: ['inclusions'],
  }),
  define({
    code: 'referrals',
    label: 'Orientations vers les partenaires',
    description: 'Orientations vers un partenaire enregistrées dans la période, rapportées à la file active (grouper par PARTNER_TYPE pour le type de partenaire ; le dénominateur reste la file active).',
    numerator: 'orientations vers un partenaire',
    denominator: 'file active',
    unit: 'RATIO',
    dimensions: [...PATIENT, 'PARTNER_TYPE'],
    sources: ['inclusions'],
  }),
  define({
    code: 'training_hours_per_professional',
    label: 'Heures de formation par professionnel',
    description:
      'Heures de formation émargées datées dans la période (comptées dans le réseau de l’inscription), rapportées aux professionnels membres d’une microstructure du réseau à une date de la période.',
    numerator: 'heures de formation émargées',
    denominator: 'professionnels membres d’une microstructure dans la période',
    unit: 'HOURS',
    // By microstructure: the attendee's microstructure in the network that day (attendances recorded before it was published have none).
    dimensions: ['NETWORK', 'REGION', 'MICROSTRUCTURE'],
    patientBased: false,
    sources: ['training', 'directory'],
  }),
  define({
    code: 'new_microstructures',
    label: 'Nouvelles microstructures',
    description: 'Microstructures ouvertes (date d’ouverture) dans la période.',
    numerator: 'microstructures ouvertes dans la période',
    denominator: null,
    unit: 'COUNT',
    dimensions: ['NETWORK', 'REGION', 'DEPARTMENT', 'MICROSTRUCTURE_KIND'],
    patientBased: false,
    sources: ['directory'],
  }),
  define({
    code: 'package_payments',
    label: 'Forfaits par patient dus',
    description:
      'Forfaits annuels par patient dus pour l’année selon la règle de paiement configurée : un forfait par patient ayant au moins N contacts dans l’année (N et montant configurables). La valeur est le montant dû, le numérateur le nombre de forfaits.',
    numerator: 'patients ayant au moins N contacts dans l’année',
    denominator: null,
    unit: 'EUROS',
    dimensions: PATIENT,
    granularities: ['YEAR'],
    sources: ['inclusions'],
  }),
];

const BY_CODE = new Map(INDICATORS.map((indicator) => [indicator.code, indicator]));

export function indicatorOf(code: string): IndicatorDefinition {
  const indicator = BY_CODE.get(code);
  if (!indicator) throw new ReportingError('UNKNOWN_INDICATOR', `Indicateur inconnu « ${code} » ; le catalogue (requête indicatorCatalogue) liste les codes.`, { indicator: code });
  return indicator;
}

/** Refuses a grouping or a granularity the indicator does not support. */
export function checkRequest(indicator: IndicatorDefinition, groupBy: readonly Dimension[], granularity: Granularity): void {
  const unsupported = groupBy.filter((dimension) => !indicator.dimensions.includes(dimension));
  if (unsupported.length > 0) {
    throw new ReportingError(
      'UNSUPPORTED_GROUPING',
      `L’indicateur « ${indicator.code} » ne se découpe pas par ${unsupported.join(', ')} ; dimensions possibles : ${indicator.dimensions.join(', ') || 'aucune (période seulement)'}.`,
      { indicator: indicator.code, dimensions: unsupported },
    );
  }
  if (!indicator.granularities.includes(granularity)) {
    throw new ReportingError('UNSUPPORTED_GRANULARITY', `L’indicateur « ${indicator.code} » se calcule par ${indicator.granularities.join(', ')} seulement.`, { indicator: indicator.code });
  }
}

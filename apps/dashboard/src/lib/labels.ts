/** French labels of the services' enums. */
export const PROFESSION: Record<string, string> = {
  GENERAL_PRACTITIONER: 'Médecin généraliste',
  PSYCHOLOGIST: 'Psychologue',
  SOCIAL_WORKER: 'Travailleur social',
  PSYCHIATRIST: 'Psychiatre',
  OTHER: 'Autre',
};
export const MICROSTRUCTURE_STATUS: Record<string, string> = { ACTIVE: 'Active', IN_CREATION: 'En création', CLOSED: 'Fermée' };
export const MICROSTRUCTURE_KIND: Record<string, string> = { ADDICTION: 'Addictions', MENTAL_HEALTH: 'Santé mentale' };
export const PRACTICE_SITE: Record<string, string> = { SOLO_PRACTICE: 'Cabinet seul', GROUP_PRACTICE: 'Cabinet de groupe', MSP: 'MSP', HEALTH_CENTRE: 'Centre de santé' };
export const SESSION_KIND: Record<string, string> = {
  GP_CONSULTATION: 'Consultation de médecine générale',
  PSYCHOLOGIST_SESSION: 'Séance de psychologue',
  SOCIAL_WORK_INTERVIEW: 'Entretien social',
  PSYCHIATRIST_SESSION: 'Séance de psychiatre',
};
/** The session a professional records, by their profession. */
export const SESSION_OF_PROFESSION: Record<string, string> = {
  GENERAL_PRACTITIONER: 'GP_CONSULTATION',
  PSYCHOLOGIST: 'PSYCHOLOGIST_SESSION',
  SOCIAL_WORKER: 'SOCIAL_WORK_INTERVIEW',
  PSYCHIATRIST: 'PSYCHIATRIST_SESSION',
};
export const ASSESSMENT_STATUS: Record<string, string> = { DONE: 'Réalisée', DUE: 'À faire', OVERDUE: 'En retard', UPCOMING: 'À venir', NOT_APPLICABLE: 'Sans objet' };
export const INCLUSION_REASON: Record<string, string> = { ADDICTION: 'Addiction', MENTAL_HEALTH: 'Santé mentale', PRECARITY: 'Précarité', OTHER: 'Autre' };
export const REVIEW_REASON: Record<string, string> = {
  NEVER_REVIEWED: 'jamais examiné',
  NOT_REVIEWED_RECENTLY: 'pas examiné récemment',
  NEXT_REVIEW_DUE: 'date de révision atteinte',
  NEW_INCLUSION: 'inclus depuis la dernière réunion',
  ASSESSMENT_OVERDUE: 'évaluation en retard',
};
export const REVIEW_DECISION: Record<string, string> = {
  ADJUST_CARE_PLAN: 'Ajuster le parcours',
  REFERRAL: 'Orienter',
  HOSPITALISATION: 'Hospitaliser',
  SOCIAL_ACTION: 'Action sociale',
  NO_CHANGE: 'Pas de changement',
};
export const MEETING_STATUS: Record<string, string> = { SCHEDULED: 'Prévue', HELD: 'Tenue', CANCELLED: 'Annulée' };
export const MEETING_FORMAT: Record<string, string> = { IN_PERSON: 'Sur place', VIDEO: 'Visioconférence' };
export const HOUSING: Record<string, string> = { STABLE: 'Stable', PRECARIOUS: 'Précaire', HOMELESS: 'Sans domicile', INSTITUTION: 'Institution', UNKNOWN: 'Inconnu' };
export const EMPLOYMENT: Record<string, string> = { EMPLOYED: 'En emploi', UNEMPLOYED: 'Sans emploi', INACTIVE: 'Inactif', UNKNOWN: 'Inconnu' };
export const HEALTH_COVERAGE: Record<string, string> = { FULL: 'Complète', CSS: 'CSS', AME: 'AME', NONE: 'Aucune', UNKNOWN: 'Inconnue' };

export const label = (table: Record<string, string>, value: string | null | undefined) => (value ? (table[value] ?? value) : '—');

export const formatNumber = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? '—' : new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits }).format(value);
export const TRAINING_THEME: Record<string, string> = {
  HEPATITIS_C: 'Hépatite C',
  ALCOHOL: 'Alcool',
  OPIOID_SUBSTITUTION: 'Traitements de substitution aux opiacés',
  MOTIVATIONAL_INTERVIEWING: 'Entretien motivationnel',
  SOCIAL_RIGHTS: 'Accès aux droits',
  MENTAL_HEALTH: 'Santé mentale',
  OTHER: 'Autre',
};
export const TRAINING_FORMAT: Record<string, string> = { IN_PERSON: 'Présentiel', REMOTE: 'À distance' };
export const TRAINING_KIND: Record<string, string> = { TRAINING: 'Formation', NATIONAL_EVENT: 'Journée nationale' };
export const NOTIFICATION_KIND: Record<string, string> = {
  WAIT_LIST_PROMOTION: 'Place libérée',
  TRAINING_CHANGED: 'Formation modifiée',
  TRAINING_CANCELLED: 'Formation annulée',
  MEETING_SCHEDULED: 'Réunion prévue',
  MEETING_CANCELLED: 'Réunion annulée',
  ASSESSMENT_DUE: 'Évaluation à réaliser',
};
export const TRAINING_CANCELLATION_REASON: Record<string, string> = {
  TOO_FEW_REGISTRATIONS: 'Trop peu d’inscrits',
  TRAINER_UNAVAILABLE: 'Intervenant indisponible',
  VENUE_UNAVAILABLE: 'Lieu indisponible',
  POSTPONED: 'Reportée à une date ultérieure',
  OTHER: 'Autre motif',
};
export const REGISTRATION_STATUS: Record<string, string> = { REGISTERED: 'Inscrit', WAITLISTED: 'Liste d’attente', CANCELLED: 'Annulée' };

import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  AGE_BANDS,
  EMPLOYMENT_SITUATIONS,
  EXIT_REASONS,
  HEALTH_COVERAGES,
  HOUSING_SITUATIONS,
  INCLUSION_REASONS,
  INCOME_SOURCES,
  PARTNER_TYPES,
  RIGHT_STATUSES,
  RIGHTS,
  SCREENED_DISEASES,
  SCREENING_RESULTS,
  TREATED_DISEASES,
  TREATMENT_STATUSES,
  SCREENING_STATUSES,
  SESSION_KINDS,
  SEXES,
  SUBSTANCES,
} from '@cnrms/domain-inclusions';
import { Connection, enumOf } from '@cnrms/service-kit';

export const Sex = enumOf(SEXES, 'Sex');
export const AgeBand = enumOf(AGE_BANDS, 'AgeBand', 'Tranche d’âge à la date d’inclusion');
export const InclusionReason = enumOf(INCLUSION_REASONS, 'InclusionReason', 'Addiction, santé mentale, précarité, autre');
export const HousingSituation = enumOf(HOUSING_SITUATIONS, 'HousingSituation');
export const IncomeSource = enumOf(INCOME_SOURCES, 'IncomeSource');
export const HealthCoverage = enumOf(HEALTH_COVERAGES, 'HealthCoverage', 'Couverture maladie : complète, CSS, AME, aucune, inconnue');
export const Substance = enumOf(SUBSTANCES, 'Substance');
export const EmploymentSituation = enumOf(EMPLOYMENT_SITUATIONS, 'EmploymentSituation');
export const ExitReason = enumOf(EXIT_REASONS, 'ExitReason');
export const SessionKind = enumOf(SESSION_KINDS, 'SessionKind', 'Consultation de médecine générale, séance de psychologue, entretien social, séance de psychiatre');
export const ScreenedDisease = enumOf(SCREENED_DISEASES, 'ScreenedDisease', 'VHC, VIH, VHB');
export const ScreeningStatus = enumOf(SCREENING_STATUSES, 'ScreeningStatus');
export const ScreeningResult = enumOf(SCREENING_RESULTS, 'ScreeningResult');
export const TreatedDisease = enumOf(TREATED_DISEASES, 'TreatedDisease', 'VHC');
export const TreatmentStatus = enumOf(TREATMENT_STATUSES, 'TreatmentStatus', 'STARTED : traitement débuté à la séance');
export const Right = enumOf(RIGHTS, 'SocialRight', 'CSS, AME, logement, ressources');
export const RightStatus = enumOf(RIGHT_STATUSES, 'SocialRightStatus');
// Same name and values as the directory's enumeration: the supergraph merges them.
export const PartnerType = enumOf(PARTNER_TYPES, 'PartnerType');

export enum InclusionStatus {
  OPEN = 'OPEN',
  EXITED = 'EXITED',
}
registerEnumType(InclusionStatus, { name: 'InclusionStatus', description: 'En cours, sorti' });

export enum AssessmentStatus {
  DONE = 'DONE',
  DUE = 'DUE',
  OVERDUE = 'OVERDUE',
  UPCOMING = 'UPCOMING',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}
registerEnumType(AssessmentStatus, { name: 'AssessmentStatus', description: 'Réalisée, à faire, en retard, à venir, sans objet (patient sorti)' });

export enum CaseloadStatus {
  ACTIVE = 'ACTIVE',
  EXITED = 'EXITED',
  ALL = 'ALL',
}
registerEnumType(CaseloadStatus, { name: 'CaseloadStatus' });

// ---- Objects ----

@ObjectType({ description: 'L’identité d’un patient, déchiffrée pour l’équipe de sa microstructure' })
export class PatientIdentity {
  @Field() lastName!: string;
  @Field() firstName!: string;
  @Field({ description: 'AAAA-MM-JJ' }) birthDate!: string;
  @Field(() => String, { nullable: true }) contact!: string | null;
  @Field(() => String, { nullable: true }) socialSecurityNumber!: string | null;
}

@ObjectType({ description: 'Un patient, sous un identifiant pseudonyme' })
export class Patient {
  @Field(() => ID) id!: string;
  @Field(() => ID) microstructureId!: string;
  @Field(() => Sex) sex!: string;
  @Field(() => Int) birthYear!: number;
  @Field(() => PatientIdentity, { nullable: true, description: 'Absente une fois l’identité effacée (droit à l’oubli)' }) identity!: PatientIdentity | null;
  @Field() erased!: boolean;
  @Field(() => String, { nullable: true }) erasedAt!: string | null;
  @Field(() => [Inclusion]) inclusions!: Inclusion[];
}

@ObjectType()
export class Consent {
  @Field() givenOn!: string;
  @Field() teamSharing!: boolean;
  @Field(() => [ID], { description: 'Partenaires avec qui le patient accepte le partage' }) partnerSharing!: string[];
}

@ObjectType({ description: 'La situation à l’inclusion' })
export class InitialSituation {
  @Field(() => HousingSituation) housing!: string;
  @Field(() => IncomeSource) income!: string;
  @Field(() => HealthCoverage) healthCoverage!: string;
  @Field(() => [Substance]) mainSubstances!: string[];
  @Field(() => Int, { description: 'Jours de consommation sur les 30 derniers jours' }) daysOfUseLast30!: number;
}

@ObjectType()
export class Screening {
  @Field(() => ScreenedDisease) disease!: string;
  @Field(() => ScreeningStatus) status!: string;
  @Field(() => ScreeningResult, { nullable: true }) result!: string | null;
}

@ObjectType()
export class RightsOutcome {
  @Field(() => Right) right!: string;
  @Field(() => RightStatus) status!: string;
}

@ObjectType()
export class Referral {
  @Field(() => ID) partnerId!: string;
  @Field(() => PartnerType) partnerType!: string;
}

@ObjectType()
export class TreatmentOutcome {
  @Field(() => TreatedDisease) disease!: string;
  @Field(() => TreatmentStatus) status!: string;
}

@ObjectType()
export class SessionOutcomes {
  @Field(() => [Screening]) screenings!: Screening[];
  @Field(() => [RightsOutcome]) rights!: RightsOutcome[];
  @Field(() => [Referral]) referrals!: Referral[];
  @Field(() => [TreatmentOutcome], { description: 'Traitements débutés à la séance (VHC)' }) treatments!: TreatmentOutcome[];
}

@ObjectType({ description: 'Une séance de suivi' })
export class FollowUpSession {
  @Field(() => ID) id!: string;
  @Field(() => ID) inclusionId!: string;
  @Field(() => SessionKind) kind!: string;
  @Field() heldOn!: string;
  @Field(() => ID) professionalId!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => SessionOutcomes) outcomes!: SessionOutcomes;
}

@ObjectType({ description: 'Une évaluation (à l’inclusion, à 6 mois, à 12 mois…)' })
export class Assessment {
  @Field() timepoint!: string;
  @Field() assessedOn!: string;
  @Field(() => Int) daysOfUseLast30!: number;
  @Field(() => Int, { description: 'Score de qualité de vie, de 0 à 100' }) qualityOfLifeScore!: number;
  @Field(() => HousingSituation) housing!: string;
  @Field(() => EmploymentSituation) employment!: string;
  @Field(() => HealthCoverage) healthCoverage!: string;
  @Field(() => ID) recordedBy!: string;
}

@ObjectType({ description: 'Une évaluation prévue, et où elle en est' })
export class ScheduledAssessment {
  @Field() timepoint!: string;
  @Field() dueOn!: string;
  @Field() windowStartOn!: string;
  @Field() windowEndOn!: string;
  @Field(() => AssessmentStatus) status!: AssessmentStatus;
  @Field(() => String, { nullable: true }) assessedOn!: string | null;
}

@ObjectType({ description: 'Objectifs et prochaines étapes, mis à jour par l’équipe' })
export class CarePlan {
  @Field(() => [String], { description: 'Vide une fois l’identité du patient effacée' }) goals!: string[];
  @Field(() => [String], { description: 'Vide une fois l’identité du patient effacée' }) nextSteps!: string[];
  @Field({ description: 'Le texte, chiffré sous la clé du patient, a été effacé avec son identité (droit à l’oubli)' }) erased!: boolean;
  @Field() updatedOn!: string;
  @Field(() => ID) updatedBy!: string;
}

@ObjectType()
export class Exit {
  @Field() exitedOn!: string;
  @Field(() => ExitReason) reason!: string;
  @Field(() => ID) recordedBy!: string;
}

@ObjectType({ description: 'Un événement du parcours du patient' })
export class TimelineEntry {
  @Field() occurredOn!: string;
  @Field({ description: 'INCLUSION, SESSION, ASSESSMENT, CARE_PLAN, EXIT, ERASURE' }) kind!: string;
  @Field({ description: 'Résumé en français' }) summary!: string;
  @Field(() => ID, { nullable: true }) professionalId!: string | null;
}

@ObjectType({ description: 'Suggestion de sortie pour perte de vue (aucun contact depuis la durée configurée)' })
export class LostToFollowUpSuggestion {
  @Field() suggested!: boolean;
  @Field(() => String, { nullable: true }) lastContactOn!: string | null;
}

@ObjectType({ description: 'L’inclusion d’un patient dans une microstructure et son suivi' })
export class Inclusion {
  @Field(() => ID) id!: string;
  @Field(() => ID) patientId!: string;
  @Field(() => ID) microstructureId!: string;
  @Field(() => ID) networkId!: string;
  @Field(() => InclusionStatus) status!: InclusionStatus;
  @Field() includedOn!: string;
  @Field(() => [InclusionReason]) reasons!: string[];
  @Field(() => ID) treatingGpId!: string;
  @Field(() => ID) includedBy!: string;
  @Field({ description: 'Ré-inclusion après une sortie' }) reinclusion!: boolean;
  @Field(() => Int, { description: '1 pour la première inclusion dans cette microstructure, 2 pour la première ré-inclusion…' }) inclusionNumber!: number;
  @Field(() => AgeBand) ageBand!: string;
  @Field(() => Consent) consent!: Consent;
  @Field(() => InitialSituation) initialSituation!: InitialSituation;
  @Field(() => String, { nullable: true }) lastContactOn!: string | null;
  @Field(() => Exit, { nullable: true }) exit!: Exit | null;
  @Field(() => CarePlan, { nullable: true }) carePlan!: CarePlan | null;
  @Field(() => [FollowUpSession]) sessions!: FollowUpSession[];
  @Field(() => [Assessment]) assessments!: Assessment[];
  @Field(() => [ScheduledAssessment], { description: 'Calendrier des évaluations selon les temps configurés' }) assessmentSchedule!: ScheduledAssessment[];
  @Field(() => LostToFollowUpSuggestion) lostToFollowUp!: LostToFollowUpSuggestion;
  @Field(() => [TimelineEntry], { description: 'Le parcours, du plus ancien au plus récent' }) timeline!: TimelineEntry[];
}

@ObjectType({ description: 'Une ligne de la file active : un patient et son inclusion' })
export class CaseloadEntry {
  @Field(() => Patient) patient!: Patient;
  @Field(() => Inclusion) inclusion!: Inclusion;
}

export const CaseloadConnection = Connection(CaseloadEntry, 'Caseload');

export enum IdentityReadPurpose {
  CASELOAD = 'CASELOAD',
  PATIENT_RECORD = 'PATIENT_RECORD',
}
registerEnumType(IdentityReadPurpose, { name: 'IdentityReadPurpose', description: 'La vue qui a affiché l’identité : file active, dossier du patient' });

@ObjectType({ description: 'Une lecture de l’identité d’un patient (journal d’audit : qui, quand, quel patient, pourquoi)' })
export class IdentityRead {
  @Field(() => ID) id!: string;
  @Field({ description: 'Date et heure de la lecture (ISO 8601)' }) readAt!: string;
  @Field(() => ID) patientId!: string;
  @Field(() => ID, { description: 'Le professionnel qui a lu' }) readerProfessionalId!: string;
  @Field(() => ID) readerUserId!: string;
  @Field(() => IdentityReadPurpose) purpose!: IdentityReadPurpose;
  @Field({ description: 'Référence de la requête' }) correlationId!: string;
}

export const IdentityReadConnection = Connection(IdentityRead, 'IdentityRead');

@ObjectType({ description: 'La file active d’une microstructure en chiffres (sans aucune donnée de patient)' })
export class CaseloadSummary {
  @Field(() => Int, { nullable: true, description: 'Patients inclus, suivi en cours' }) active!: number | null;
  @Field(() => Int, { nullable: true }) exited!: number | null;
  @Field(() => Int, { nullable: true, description: 'Évaluations à faire' }) dueAssessments!: number | null;
  @Field(() => Int, { nullable: true, description: 'Évaluations en retard' }) overdueAssessments!: number | null;
  @Field(() => Int, { nullable: true, description: 'Patients sans contact depuis la durée de perte de vue' }) lostToFollowUpSuggested!: number | null;
  @Field({ description: 'Hors de l’équipe : les nombres inférieurs au seuil de confidentialité ne sont pas donnés (null)' }) protected!: boolean;
}

@ObjectType({ description: 'Une microstructure (entité de l’annuaire), vue par le suivi des patients' })
@Directive('@key(fields: "id")')
export class Microstructure {
  @Field(() => ID) id!: string;
}

// ---- Inputs ----

@InputType()
export class PatientIdentityInput {
  @Field() lastName!: string;
  @Field() firstName!: string;
  @Field({ description: 'AAAA-MM-JJ' }) birthDate!: string;
  @Field(() => Sex) sex!: string;
  @Field({ nullable: true }) contact?: string;
  @Field({ nullable: true, description: 'NIR à 15 caractères, clé comprise' }) socialSecurityNumber?: string;
}

@InputType()
export class ConsentInput {
  @Field() givenOn!: string;
  @Field({ description: 'Consentement au partage au sein de l’équipe : obligatoire' }) teamSharing!: boolean;
  @Field(() => [ID], { nullable: true }) partnerSharing?: string[];
}

@InputType()
export class InitialSituationInput {
  @Field(() => HousingSituation) housing!: string;
  @Field(() => IncomeSource) income!: string;
  @Field(() => HealthCoverage) healthCoverage!: string;
  @Field(() => [Substance], { nullable: true }) mainSubstances?: string[];
  @Field(() => Int) daysOfUseLast30!: number;
}

@InputType({ description: 'Un nouveau patient (`patient`) ou un patient déjà connu de la microstructure (`patientId`, ré-inclusion)' })
export class IncludePatientInput {
  @Field(() => ID) microstructureId!: string;
  @Field(() => ID, { nullable: true }) patientId?: string;
  @Field(() => PatientIdentityInput, { nullable: true }) patient?: PatientIdentityInput;
  @Field() includedOn!: string;
  @Field(() => [InclusionReason]) reasons!: string[];
  @Field(() => ID) treatingGpId!: string;
  @Field(() => ConsentInput, { nullable: true }) consent?: ConsentInput;
  @Field(() => InitialSituationInput) initialSituation!: InitialSituationInput;
}

@InputType()
export class ScreeningInput {
  @Field(() => ScreenedDisease) disease!: string;
  @Field(() => ScreeningStatus) status!: string;
  @Field(() => ScreeningResult, { nullable: true }) result?: string;
}

@InputType()
export class RightsOutcomeInput {
  @Field(() => Right) right!: string;
  @Field(() => RightStatus) status!: string;
}

@InputType()
export class ReferralInput {
  @Field(() => ID, { description: 'Un partenaire de la microstructure, dans l’annuaire' }) partnerId!: string;
}

@InputType()
export class TreatmentOutcomeInput {
  @Field(() => TreatedDisease) disease!: string;
  @Field(() => TreatmentStatus) status!: string;
}

@InputType()
export class SessionOutcomesInput {
  @Field(() => [ScreeningInput], { nullable: true }) screenings?: ScreeningInput[];
  @Field(() => [RightsOutcomeInput], { nullable: true }) rights?: RightsOutcomeInput[];
  @Field(() => [ReferralInput], { nullable: true }) referrals?: ReferralInput[];
  @Field(() => [TreatmentOutcomeInput], { nullable: true, description: 'Traitement débuté à la séance : VHC' }) treatments?: TreatmentOutcomeInput[];
}

@InputType()
export class RecordFollowUpSessionInput {
  @Field(() => ID) inclusionId!: string;
  @Field(() => SessionKind, { nullable: true, description: 'Facultatif : déduit de la profession de qui enregistre la séance' }) kind?: string | null;
  @Field() heldOn!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => SessionOutcomesInput, { nullable: true }) outcomes?: SessionOutcomesInput;
}

@InputType()
export class RecordAssessmentInput {
  @Field(() => ID) inclusionId!: string;
  @Field({ description: 'Un des temps configurés (INCLUSION, M6, M12 par défaut)' }) timepoint!: string;
  @Field() assessedOn!: string;
  @Field(() => Int) daysOfUseLast30!: number;
  @Field(() => Int) qualityOfLifeScore!: number;
  @Field(() => HousingSituation) housing!: string;
  @Field(() => EmploymentSituation) employment!: string;
  @Field(() => HealthCoverage) healthCoverage!: string;
  @Field({ nullable: true, description: 'Obligatoire pour une évaluation datée hors de la période de son temps d’évaluation : pourquoi' }) outOfWindowReason?: string;
}

@InputType()
export class RecordExitInput {
  @Field(() => ID) inclusionId!: string;
  @Field() exitedOn!: string;
  @Field(() => ExitReason) reason!: string;
}

@InputType()
export class UpdateCarePlanInput {
  @Field(() => ID) inclusionId!: string;
  @Field(() => [String]) goals!: string[];
  @Field(() => [String], { nullable: true }) nextSteps?: string[];
}

@InputType()
export class CaseloadFilter {
  @Field(() => CaseloadStatus, { nullable: true, description: 'ACTIVE par défaut' }) status?: CaseloadStatus;
  @Field({ nullable: true, description: 'Seulement les patients avec une évaluation à faire ou en retard' }) assessmentDue?: boolean;
  @Field({ nullable: true, description: 'Seulement les patients suggérés pour une sortie par perte de vue' }) lostToFollowUp?: boolean;
}

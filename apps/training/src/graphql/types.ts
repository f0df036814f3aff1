import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@cnrms/service-kit';
import { PROFESSIONS, TRAINING_CANCELLATION_REASONS, TRAINING_FORMATS, TRAINING_KINDS, TRAINING_THEMES } from '@cnrms/domain-training';

export const TrainingTheme = enumOf(TRAINING_THEMES, 'TrainingTheme', 'Hépatite C, alcool, traitements de substitution aux opiacés, entretien motivationnel, accès aux droits, santé mentale, autre');
export const TrainingFormat = enumOf(TRAINING_FORMATS, 'TrainingFormat', 'En présentiel, à distance');
export const TrainingKind = enumOf(TRAINING_KINDS, 'TrainingKind', 'Formation, ou journée nationale (ouverte aux membres de tous les réseaux)');
export const TrainingAudience = enumOf(PROFESSIONS, 'TrainingAudience', 'Profession à laquelle une formation s’adresse (les professions de l’annuaire)');

export const TrainingCancellationReason = enumOf(
  TRAINING_CANCELLATION_REASONS,
  'TrainingCancellationReason',
  'Motif d’annulation : trop peu d’inscrits, intervenant indisponible, lieu indisponible, reportée, autre',
);

export enum TrainingStatus {
  PUBLISHED = 'PUBLISHED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TrainingStatus, { name: 'TrainingStatus', description: 'Publiée (ouverte ou passée), annulée' });

export enum RegistrationStatus {
  REGISTERED = 'REGISTERED',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(RegistrationStatus, { name: 'RegistrationStatus', description: 'Inscrit (une place), sur liste d’attente, annulée' });

// ---- Objects ----

@ObjectType({ description: 'Une session d’une formation : date, horaires, lieu, capacité, heures de formation' })
export class TrainingSession {
  @Field(() => ID) id!: string;
  @Field(() => ID) trainingId!: string;
  @Field({ description: 'AAAA-MM-JJ' }) date!: string;
  @Field({ description: 'HH:MM, heure de Paris' }) startTime!: string;
  @Field({ description: 'HH:MM, heure de Paris' }) endTime!: string;
  @Field(() => String, { nullable: true, description: 'Lieu (en présentiel)' }) place!: string | null;
  @Field(() => Int) capacity!: number;
  @Field(() => Float, { description: 'Heures de formation comptées à qui y assiste' }) hours!: number;
  @Field(() => Int) registeredCount!: number;
  @Field(() => Int) waitListedCount!: number;
  @Field(() => Int) seatsLeft!: number;
  @Field(() => Int, { description: 'Présences enregistrées (émargement)' }) attendedCount!: number;
}

@ObjectType({ description: 'Inscriptions, liste d’attente et présences des professionnels comptés dans un réseau' })
export class NetworkTrainingCount {
  @Field(() => ID) networkId!: string;
  @Field(() => Int) registered!: number;
  @Field(() => Int) waitListed!: number;
  @Field(() => Int) attended!: number;
}

@ObjectType({ description: 'Une formation d’un réseau ou de la coordination nationale, ou une journée nationale' })
export class Training {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true, description: 'Réseau organisateur ; null pour la coordination nationale' }) networkId!: string | null;
  @Field(() => TrainingKind) kind!: string;
  @Field() title!: string;
  @Field(() => TrainingTheme) theme!: string;
  @Field(() => [TrainingAudience], { description: 'Professions auxquelles la formation s’adresse' }) audience!: string[];
  @Field(() => TrainingFormat) format!: string;
  @Field({ description: 'Dernier jour d’inscription (inclus), AAAA-MM-JJ' }) registrationClosesOn!: string;
  @Field() publishedOn!: string;
  @Field(() => TrainingStatus) status!: TrainingStatus;
  @Field(() => String, { nullable: true, description: 'Dernière modification, AAAA-MM-JJ' }) updatedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'Annulée le, AAAA-MM-JJ' }) cancelledOn!: string | null;
  @Field(() => TrainingCancellationReason, { nullable: true }) cancellationReason!: string | null;
}

@ObjectType({ description: 'L’inscription d’un professionnel à une session' })
export class Registration {
  @Field(() => ID) id!: string;
  @Field(() => ID) trainingId!: string;
  @Field(() => ID) sessionId!: string;
  @Field(() => ID) professionalId!: string;
  @Field(() => ID, { description: 'Réseau où l’inscription est comptée' }) networkId!: string;
  @Field(() => TrainingAudience) profession!: string;
  @Field(() => RegistrationStatus) status!: RegistrationStatus;
  @Field(() => Int, { nullable: true, description: 'Rang sur la liste d’attente (1 : le prochain à obtenir une place)' }) waitListRank!: number | null;
  @Field({ description: 'Instant de la demande' }) requestedAt!: string;
  @Field(() => String, { nullable: true }) promotedAt!: string | null;
  @Field(() => String, { nullable: true }) cancelledAt!: string | null;
  @Field({ description: 'Présence enregistrée à la session' }) attended!: boolean;
  @Field(() => Float, { nullable: true, description: 'Heures de formation comptées' }) attendedHours!: number | null;
}

@ObjectType({ description: 'Heures de formation suivies sur une période' })
export class TrainingHours {
  @Field(() => Float) totalHours!: number;
  @Field(() => Int, { description: 'Sessions suivies' }) attendedSessionCount!: number;
  @Field(() => Int, { description: 'Professionnels distincts' }) professionalCount!: number;
}

@ObjectType({ description: 'Attestation de présence en PDF' })
export class Certificate {
  @Field() fileName!: string;
  @Field() contentType!: string;
  @Field({ description: 'Le PDF encodé en base64' }) contentBase64!: string;
}

@ObjectType({ description: 'Un réseau régional (entité de l’annuaire), vu par les formations' })
@Directive('@key(fields: "id")')
export class Network {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'Un professionnel (entité de l’annuaire), vu par les formations' })
@Directive('@key(fields: "id")')
export class Professional {
  @Field(() => ID) id!: string;
}

// ---- Inputs ----

@InputType()
export class TrainingSessionInput {
  @Field({ description: 'AAAA-MM-JJ' }) date!: string;
  @Field({ description: 'HH:MM, heure de Paris' }) startTime!: string;
  @Field({ description: 'HH:MM, après le début' }) endTime!: string;
  @Field(() => String, { nullable: true, description: 'Obligatoire en présentiel' }) place?: string | null;
  @Field(() => Int) capacity!: number;
  @Field(() => Float, { nullable: true, description: 'Heures de formation comptées (par quarts d’heure) ; par défaut la durée de la session' }) hours?: number | null;
}

@InputType()
export class PublishTrainingInput {
  @Field(() => ID, { nullable: true, description: 'Réseau organisateur ; absent pour une formation ou une journée nationale' }) networkId?: string | null;
  @Field(() => TrainingKind, { nullable: true, description: 'TRAINING par défaut' }) kind?: string | null;
  @Field() title!: string;
  @Field(() => TrainingTheme) theme!: string;
  @Field(() => [TrainingAudience]) audience!: string[];
  @Field(() => TrainingFormat) format!: string;
  @Field({ description: 'Dernier jour d’inscription (inclus), au plus tard le jour de la première session' }) registrationClosesOn!: string;
  @Field(() => [TrainingSessionInput]) sessions!: TrainingSessionInput[];
}

@InputType()
export class UpdateTrainingSessionInput extends TrainingSessionInput {
  @Field(() => ID, { nullable: true, description: 'Une session existante ; absent : une session ajoutée' }) id?: string | null;
}

@InputType({ description: 'La formation telle qu’elle doit être : une session absente de la liste est retirée (si personne ne s’y est inscrit)' })
export class UpdateTrainingInput {
  @Field(() => ID) trainingId!: string;
  @Field() title!: string;
  @Field(() => TrainingTheme) theme!: string;
  @Field(() => [TrainingAudience]) audience!: string[];
  @Field(() => TrainingFormat) format!: string;
  @Field({ description: 'Dernier jour d’inscription (inclus), au plus tard le jour de la première session' }) registrationClosesOn!: string;
  @Field(() => [UpdateTrainingSessionInput]) sessions!: UpdateTrainingSessionInput[];
}

@InputType()
export class CancelTrainingInput {
  @Field(() => ID) trainingId!: string;
  @Field(() => TrainingCancellationReason) reason!: string;
}

@InputType()
export class RecordAttendanceInput {
  @Field(() => ID) sessionId!: string;
  @Field(() => [ID], { description: 'Professionnels présents (émargement), inscrits à la session' }) professionalIds!: string[];
}

@InputType()
export class TrainingFilterInput {
  @Field(() => ID, { nullable: true }) networkId?: string | null;
  @Field({ nullable: true, description: 'true : seulement les formations nationales ; false : seulement celles des réseaux' }) national?: boolean;
  @Field(() => TrainingTheme, { nullable: true }) theme?: string | null;
  @Field({ nullable: true, description: 'Une session au plus tôt ce jour (AAAA-MM-JJ)' }) from?: string;
  @Field({ nullable: true, description: 'Une session au plus tard ce jour (AAAA-MM-JJ)' }) to?: string;
}

// ---- National days across deployments (docs/deployments.md) ----

export enum NationalDayRequestStatus {
  REQUESTED = 'REQUESTED',
  REGISTERED = 'REGISTERED',
  WAITLISTED = 'WAITLISTED',
  REFUSED = 'REFUSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(NationalDayRequestStatus, {
  name: 'NationalDayRequestStatus',
  description: 'Demande envoyée (en attente de la réponse nationale), inscrit, sur liste d’attente, refusée (avec le motif), annulée',
});

@ObjectType({ description: 'Une session de journée nationale, telle que la plateforme régionale la reçoit du niveau national' })
export class NationalDaySession {
  @Field(() => ID) sessionId!: string;
  @Field(() => ID) trainingId!: string;
  @Field() title!: string;
  @Field(() => [TrainingAudience]) audience!: string[];
  @Field(() => TrainingFormat) format!: string;
  @Field({ description: 'AAAA-MM-JJ' }) registrationClosesOn!: string;
  @Field({ description: 'AAAA-MM-JJ' }) date!: string;
  @Field(() => Float) hours!: number;
  @Field(() => Int) capacity!: number;
}

@ObjectType({ description: 'La demande de place d’un professionnel d’un réseau autonome à une journée nationale, et la réponse nationale' })
export class NationalDayRequest {
  @Field(() => ID) id!: string;
  @Field(() => ID) trainingId!: string;
  @Field(() => ID) sessionId!: string;
  @Field(() => ID) professionalId!: string;
  @Field() requestedAt!: string;
  @Field(() => NationalDayRequestStatus) status!: NationalDayRequestStatus;
  @Field(() => Int, { nullable: true, description: 'Sur liste d’attente : le rang (1 est le prochain)' }) rank!: number | null;
  @Field(() => String, { nullable: true, description: 'Refusée : le code du motif' }) reasonCode!: string | null;
  @Field(() => String, { nullable: true, description: 'Refusée : le motif' }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'Quand la réponse nationale a été donnée' }) answeredAt!: string | null;
}

import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@cnrms/service-kit';
import { MEETING_FORMATS, NETWORK_MEETING_TOPICS, REVIEW_DECISIONS, REVIEW_REASONS } from '@cnrms/domain-meetings';

export const MeetingFormat = enumOf(MEETING_FORMATS, 'MeetingFormat', 'Sur place, en visioconférence');
export const ReviewDecision = enumOf(REVIEW_DECISIONS, 'ReviewDecision', 'Ajuster le parcours de soins, orienter, hospitaliser, action sociale, pas de changement');
export const NetworkMeetingTopic = enumOf(
  NETWORK_MEETING_TOPICS,
  'NetworkMeetingTopic',
  'Situations complexes, addictions, traitements de substitution, santé mentale, précarité et droits, hépatites et dépistage, partenariats, organisation des équipes, besoins de formation, autre',
);
export const ReviewReason = enumOf(
  REVIEW_REASONS,
  'ReviewReason',
  'Jamais examiné, pas examiné depuis le délai configuré, date de révision atteinte, inclus depuis la dernière réunion, évaluation en retard',
);

export enum MeetingStatus {
  SCHEDULED = 'SCHEDULED',
  HELD = 'HELD',
  CANCELLED = 'CANCELLED',
}
registerEnumType(MeetingStatus, { name: 'MeetingStatus', description: 'Prévue, tenue, annulée' });

// ---- Objects ----

@ObjectType({ description: 'Une situation examinée en réunion de synthèse (équipe de la microstructure seulement)' })
export class CaseReview {
  @Field(() => ID) meetingId!: string;
  @Field(() => ID, { description: 'Identifiant pseudonyme du patient (service des inclusions)' }) patientId!: string;
  @Field() heldOn!: string;
  @Field(() => [ReviewDecision]) decisions!: string[];
  @Field() nextReviewOn!: string;
  @Field(() => String, { nullable: true, description: 'Synthèse de la situation, déchiffrée pour l’équipe ; null sans synthèse ou après effacement' }) summary!: string | null;
  @Field({ description: 'Vrai quand la synthèse a été rendue illisible par l’effacement des données du patient' }) summaryErased!: boolean;
}

@ObjectType({ description: 'Une réunion de synthèse d’une microstructure' })
export class Meeting {
  @Field(() => ID) id!: string;
  @Field(() => ID) microstructureId!: string;
  @Field(() => ID) networkId!: string;
  @Field(() => MeetingStatus) status!: MeetingStatus;
  @Field() scheduledOn!: string;
  @Field(() => MeetingFormat) format!: string;
  @Field(() => String, { nullable: true }) place!: string | null;
  @Field(() => [ID]) expectedAttendeeIds!: string[];
  @Field(() => String, { nullable: true }) heldOn!: string | null;
  @Field(() => Int, { nullable: true }) durationMinutes!: number | null;
  @Field(() => [ID], { description: 'Participants effectifs (membres de l’équipe)' }) attendeeIds!: string[];
  @Field(() => Int, { description: 'Nombre de situations examinées' }) reviewedCount!: number;
  @Field(() => String, { nullable: true }) cancelledOn!: string | null;
  @Field(() => String, { nullable: true, description: 'Motif d’annulation (équipe seulement)' }) cancellationReason!: string | null;
}

@ObjectType({ description: 'Un patient à examiner lors de la prochaine réunion, et pourquoi' })
export class ReviewSuggestion {
  @Field(() => ID) patientId!: string;
  @Field(() => [ReviewReason]) reasons!: string[];
  @Field() includedOn!: string;
  @Field(() => String, { nullable: true }) lastReviewedOn!: string | null;
  @Field(() => [String], { description: 'Temps d’évaluation en retard (INCLUSION, M6, M12…)' }) overdueTimepoints!: string[];
}

@ObjectType()
export class NetworkMeetingAttendee {
  @Field(() => ID) professionalId!: string;
  @Field(() => ID) microstructureId!: string;
}

@ObjectType({ description: 'Une réunion d’échange du réseau entre microstructures (sans identité de patient)' })
export class NetworkMeeting {
  @Field(() => ID) id!: string;
  @Field(() => ID) networkId!: string;
  @Field() heldOn!: string;
  @Field(() => [NetworkMeetingTopic]) topics!: string[];
  @Field(() => String, { nullable: true, description: 'Note libre, sans identité de patient' }) note!: string | null;
  @Field(() => MeetingFormat) format!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => [NetworkMeetingAttendee]) attendees!: NetworkMeetingAttendee[];
  @Field(() => [ID]) microstructureIds!: string[];
}

@ObjectType({ description: 'Une microstructure (entité de l’annuaire), vue par les réunions de synthèse' })
@Directive('@key(fields: "id")')
export class Microstructure {
  @Field(() => ID) id!: string;
}

// ---- Inputs ----

@InputType()
export class ScheduleMeetingInput {
  @Field(() => ID) microstructureId!: string;
  @Field({ description: 'AAAA-MM-JJ' }) scheduledOn!: string;
  @Field(() => MeetingFormat) format!: string;
  @Field(() => String, { nullable: true, description: 'Obligatoire sur place' }) place?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Membres de l’équipe attendus' }) expectedAttendeeIds?: string[];
}

@InputType()
export class CaseReviewInput {
  @Field(() => ID, { description: 'Un patient inclus dans la microstructure à la date de la réunion' }) patientId!: string;
  @Field(() => [ReviewDecision]) decisions!: string[];
  @Field({ description: 'AAAA-MM-JJ, après la réunion' }) nextReviewOn!: string;
  @Field(() => String, { nullable: true, description: 'Synthèse de la situation : chiffrée, réservée à l’équipe' }) summary?: string | null;
}

@InputType()
export class HoldMeetingInput {
  @Field(() => ID) meetingId!: string;
  @Field({ description: 'AAAA-MM-JJ, pas dans le futur' }) heldOn!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => [ID], { description: 'Participants : membres de l’équipe à la date de la réunion' }) attendeeIds!: string[];
  @Field(() => [CaseReviewInput], { nullable: true }) reviews?: CaseReviewInput[];
}

@InputType()
export class NetworkMeetingAttendeeInput {
  @Field(() => ID) professionalId!: string;
  @Field(() => ID) microstructureId!: string;
}

@InputType()
export class RecordNetworkMeetingInput {
  @Field(() => ID) networkId!: string;
  @Field() heldOn!: string;
  @Field(() => [NetworkMeetingTopic], { description: 'Thèmes des échanges (au moins un)' }) topics!: string[];
  @Field({ nullable: true, description: 'Note libre, sans identité de patient : une note qui semble nommer une personne est refusée (NOTE_MAY_NAME_A_PERSON) sauf confirmation' }) note?: string;
  @Field({ nullable: true, description: 'Confirme que la note ne nomme personne' }) noteChecked?: boolean;
  @Field(() => MeetingFormat) format!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => [NetworkMeetingAttendeeInput]) attendees!: NetworkMeetingAttendeeInput[];
}

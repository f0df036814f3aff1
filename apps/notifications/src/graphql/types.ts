import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { enumOf } from '@cnrms/service-kit';
import { NOTICE_KINDS } from '../application/notices';

export const NotificationKind = enumOf(NOTICE_KINDS, 'NotificationKind', 'Ce dont une notification parle', {
  WAIT_LIST_PROMOTION: 'Une place s’est libérée : inscription confirmée depuis la liste d’attente',
  TRAINING_CHANGED: 'Une formation à laquelle on est inscrit a été modifiée',
  TRAINING_CANCELLED: 'Une formation à laquelle on est inscrit est annulée',
  MEETING_SCHEDULED: 'Une réunion de concertation de la microstructure est prévue',
  MEETING_CANCELLED: 'Une réunion de concertation prévue est annulée',
  ASSESSMENT_DUE: 'Une évaluation d’un patient suivi arrive à échéance',
});

@ObjectType({ description: 'Une notification adressée au professionnel connecté (jamais de donnée d’identité d’un patient)' })
export class Notification {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKind) kind!: string;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => String, { nullable: true, description: 'Page du tableau de bord concernée (chemin)' }) link!: string | null;
  @Field({ description: 'Instant de la notification (ISO 8601)' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'Lue le (ISO 8601) ; null si non lue' }) readAt!: string | null;
}

@ObjectType({ description: 'La boîte de réception du professionnel connecté' })
export class NotificationInbox {
  @Field(() => Int, { description: 'Notifications non lues' }) unreadCount!: number;
  @Field(() => [Notification], { description: 'Les plus récentes d’abord' }) notifications!: Notification[];
}

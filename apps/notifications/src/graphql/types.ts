import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { NOTICE_KINDS } from '../application/notices';

export enum NotificationKind {
  WAIT_LIST_PROMOTION = 'WAIT_LIST_PROMOTION',
  TRAINING_CHANGED = 'TRAINING_CHANGED',
  TRAINING_CANCELLED = 'TRAINING_CANCELLED',
  MEETING_SCHEDULED = 'MEETING_SCHEDULED',
  MEETING_CANCELLED = 'MEETING_CANCELLED',
  ASSESSMENT_DUE = 'ASSESSMENT_DUE',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'Ce dont une notification parle',
  valuesMap: {
    WAIT_LIST_PROMOTION: { description: 'Une place s’est libérée : inscription confirmée depuis la liste d’attente' },
    TRAINING_CHANGED: { description: 'Une formation à laquelle on est inscrit a été modifiée' },
    TRAINING_CANCELLED: { description: 'Une formation à laquelle on est inscrit est annulée' },
    MEETING_SCHEDULED: { description: 'Une réunion de concertation de la microstructure est prévue' },
    MEETING_CANCELLED: { description: 'Une réunion de concertation prévue est annulée' },
    ASSESSMENT_DUE: { description: 'Une évaluation d’un patient suivi arrive à échéance' },
  },
});
// The enum and the service's kinds are one list.
if (Object.keys(NotificationKind).join() !== NOTICE_KINDS.join()) throw new Error('NotificationKind and NOTICE_KINDS differ');

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

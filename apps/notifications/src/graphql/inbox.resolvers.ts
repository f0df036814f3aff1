import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { callerOf, SubgraphContext } from '@cnrms/service-kit';
import { Inbox, InboxPage } from '../application/inbox';
import { Notification, NotificationInbox } from './types';

function toInbox(page: InboxPage): NotificationInbox {
  return {
    unreadCount: page.unreadCount,
    notifications: page.notices.map(
      (row): Notification => ({ id: row.id, kind: row.kind, title: row.title, body: row.body, link: row.link, createdAt: row.created_at.toISOString(), readAt: row.read_at?.toISOString() ?? null }),
    ),
  };
}

@Resolver(() => NotificationInbox)
export class InboxResolver {
  constructor(private readonly inbox: Inbox) {}

  @Query(() => NotificationInbox, { description: 'Mes notifications (professionnel connecté), les plus récentes d’abord' })
  async myNotifications(
    @Context() context: SubgraphContext,
    @Args('unreadOnly', { nullable: true, description: 'Seulement les non lues' }) unreadOnly?: boolean,
    @Args('first', { type: () => Int, nullable: true, description: 'Nombre de notifications (1 à 100, 30 par défaut)' }) first?: number,
  ): Promise<NotificationInbox> {
    return toInbox(await this.inbox.read(callerOf(context), { unreadOnly, first }));
  }

  @Mutation(() => NotificationInbox, { description: 'Marque mes notifications comme lues (toutes si ids est absent) ; renvoie ma boîte de réception' })
  async markNotificationsRead(@Context() context: SubgraphContext, @Args('ids', { type: () => [ID], nullable: true }) ids?: string[] | null): Promise<NotificationInbox> {
    const caller = callerOf(context);
    await this.inbox.markRead(caller, ids ?? null);
    return toInbox(await this.inbox.read(caller, {}));
  }
}

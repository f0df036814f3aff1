import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServiceKitModule, SubgraphModule } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { AssessmentReminders } from './application/assessment-reminders';
import { Inbox } from './application/inbox';
import { MailSender } from './application/mail-sender';
import { notificationsConsumer, professionalsConsumer } from './application/notifications.consumer';
import { CLOCK, Clock, NOTIFICATION_SETTINGS } from './application/tokens';
import { NotificationSettings } from './config';
import { InboxResolver } from './graphql/inbox.resolvers';
import { notificationsMigrations } from './infrastructure/migrations';

/** Events older than this are history replayed (a first start): kept, not told. */
const MAX_EVENT_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * The notifications service: no write model of its own; it tells professionals, in the dashboard's inbox
 * and by e-mail, what the other services' events mean for them — a seat freed on a wait list, a training
 * changed or cancelled, a meeting planned or cancelled, an assessment coming due. Never a patient's identity.
 */
@Module({})
export class NotificationsModule {
  static forRoot(config: ServiceConfig, settings: NotificationSettings, logger: Logger, clock: Clock = () => new Date()): DynamicModule {
    const mail = { enabled: settings.smtpUrl !== null, dashboardUrl: settings.dashboardUrl };
    return {
      module: NotificationsModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'notifications',
          config,
          logger,
          entities: [],
          migrations: notificationsMigrations,
          projections: [],
          consumers: [professionalsConsumer, notificationsConsumer({ mail, now: clock, maxEventAgeMs: MAX_EVENT_AGE_MS })],
        }),
        SubgraphModule.forRoot({ service: 'notifications', logger, authSecret: config.authSecret }),
      ],
      providers: [{ provide: NOTIFICATION_SETTINGS, useValue: settings }, { provide: CLOCK, useValue: clock }, Inbox, AssessmentReminders, MailSender, InboxResolver],
    };
  }
}

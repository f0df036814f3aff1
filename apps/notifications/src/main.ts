import 'reflect-metadata';
import { runService } from '@cnrms/service-kit';
import { notificationSettings } from './config';
import { NotificationsModule } from './notifications.module';

runService('notifications', 4106, (config, logger) => NotificationsModule.forRoot(config, notificationSettings(process.env), logger));

import 'reflect-metadata';
import { runService } from '@cnrms/service-kit';
import { meetingsSettings } from './config';
import { MeetingsModule } from './meetings.module';

runService('meetings', 4103, (config, logger) => {
  const settings = meetingsSettings(process.env, config.NODE_ENV);
  if (settings.usesDevelopmentMasterKey) logger.warn('MEETINGS_MASTER_KEY is not set: case-review summaries are encrypted with the development master key (never in production)');
  return MeetingsModule.forRoot(config, settings, logger);
});

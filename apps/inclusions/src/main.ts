import 'reflect-metadata';
import { runService } from '@cnrms/service-kit';
import { inclusionsSettings } from './config';
import { InclusionsModule } from './inclusions.module';

runService('inclusions', 4102, (config, logger) => {
  const settings = inclusionsSettings(process.env, config.NODE_ENV);
  if (settings.usesDevelopmentMasterKey) logger.warn('INCLUSIONS_MASTER_KEY is not set: patient identities are encrypted with the development master key (never in production)');
  return InclusionsModule.forRoot(config, settings, logger);
});

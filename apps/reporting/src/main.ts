import 'reflect-metadata';
import { runService } from '@cnrms/service-kit';
import { reportingSettings } from './config';
import { ReportingModule } from './reporting.module';

runService('reporting', 4105, (config, logger) => ReportingModule.forRoot(config, reportingSettings(process.env), logger));

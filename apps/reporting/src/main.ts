import 'reflect-metadata';
import { runService, SkeletonServiceModule } from '@cnrms/service-kit';

// Skeleton until its issue lands: see apps/reporting/README.md.
runService('reporting', 4105, (config, logger) => SkeletonServiceModule.forRoot('reporting', config, logger));

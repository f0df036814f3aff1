import 'reflect-metadata';
import { runService, SkeletonServiceModule } from '@cnrms/service-kit';

// Skeleton until its issue lands: see apps/meetings/README.md.
runService('meetings', 4103, (config, logger) => SkeletonServiceModule.forRoot('meetings', config, logger));

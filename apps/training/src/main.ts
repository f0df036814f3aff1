import 'reflect-metadata';
import { runService, SkeletonServiceModule } from '@cnrms/service-kit';

// Skeleton until its issue lands: see apps/training/README.md.
runService('training', 4104, (config, logger) => SkeletonServiceModule.forRoot('training', config, logger));

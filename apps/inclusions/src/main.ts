import 'reflect-metadata';
import { runService, SkeletonServiceModule } from '@cnrms/service-kit';

// Skeleton until its issue lands: see apps/inclusions/README.md.
runService('inclusions', 4102, (config, logger) => SkeletonServiceModule.forRoot('inclusions', config, logger));

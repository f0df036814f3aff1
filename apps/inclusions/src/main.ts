import 'reflect-metadata';
import { runService, SkeletonServiceModule } from '@cnrms/service-kit';
import { careTeamsConsumer } from './application/care-teams.consumer';
import { CareTeams1763900000000 } from './infrastructure/migrations/1763900000000-care-teams';

// Skeleton until its issue lands (see apps/inclusions/README.md); it already keeps the care teams from the directory's events.
runService('inclusions', 4102, (config, logger) =>
  SkeletonServiceModule.forRoot('inclusions', config, logger, { migrations: [CareTeams1763900000000], consumers: [careTeamsConsumer] }),
);

import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServiceKitModule, SubgraphModule } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Certificates } from './application/certificates';
import { PLANNING_SETTINGS, planningSettings } from './application/planning';
import { trainingRelay } from './application/integration-events';
import { NationalDayDesk, NationalDayRequests, withNationalDays } from './application/national-days';
import { TrainingsProjection } from './application/projections/trainings.projection';
import { referenceDataConsumer } from './application/reference-data.consumer';
import { TrainingCommandRunner } from './application/training-command-runner';
import { TrainingCommands } from './application/training.commands';
import { TrainingQueries } from './application/training.queries';
import { NationalDayRequestResolver } from './graphql/national-days.resolvers';
import { trainingResolvers } from './graphql/training.resolvers';
import { Network, Professional } from './graphql/types';
import { trainingMigrations } from './infrastructure/migrations';

/** The training service: trainings and national days of the networks and of the national coordination, registrations with wait lists, attendance, certificates. */
@Module({})
export class TrainingModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    const planning = planningSettings();
    return {
      module: TrainingModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'training',
          config,
          logger,
          entities: [],
          migrations: trainingMigrations,
          projections: [TrainingsProjection],
          relay: trainingRelay,
          // National days across deployments: national ← the regions' requests, regional ← the days and the answers.
          consumers: [withNationalDays(referenceDataConsumer, process.env)],
        }),
        SubgraphModule.forRoot({ service: 'training', logger, authSecret: config.authSecret, orphanedTypes: [Network, Professional] }),
      ],
      providers: [{ provide: PLANNING_SETTINGS, useValue: planning }, TrainingQueries, TrainingCommandRunner, TrainingCommands, Certificates, NationalDayDesk, NationalDayRequests, NationalDayRequestResolver, ...trainingResolvers],
    };
  }
}

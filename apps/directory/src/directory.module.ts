import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServiceKitModule, SubgraphModule } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { DirectoryCommands } from './application/directory.commands';
import { DirectoryQueries } from './application/directory.queries';
import { directoryRelay } from './application/integration-events';
import { NationalNetworkSeeder } from './application/national-network.seeder';
import { nationalRecordConsumers, nationalRecordsWiring } from './application/national-records.import';
import { directoryProjections } from './application/projections';
import { directoryResolvers } from './graphql/directory.resolvers';
import { directoryEntities } from './infrastructure/read-models.entities';
import { DirectoryReadModels1763800000000 } from './infrastructure/migrations/1763800000000-directory-read-models';
import { NetworkRegionCode1763800000100 } from './infrastructure/migrations/1763800000100-network-region-code';

/** The directory service: national and regional networks, microstructures, professionals, memberships, partners. */
@Module({})
export class DirectoryModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    const consumers = nationalRecordConsumers();
    return {
      module: DirectoryModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'directory',
          config,
          logger,
          entities: directoryEntities,
          migrations: [DirectoryReadModels1763800000000, NetworkRegionCode1763800000100],
          projections: directoryProjections,
          relay: directoryRelay,
          consumers,
        }),
        SubgraphModule.forRoot({ service: 'directory', logger, authSecret: config.authSecret }),
      ],
      providers: [DirectoryQueries, DirectoryCommands, NationalNetworkSeeder, nationalRecordsWiring(consumers), ...directoryResolvers],
    };
  }
}

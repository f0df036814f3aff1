import { DynamicModule, Module } from '@nestjs/common';
import { PG_POOL, ServiceConfig, ServiceKitModule, SubgraphModule } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { meetingsRelay } from './application/integration-events';
import { MeetingsAccess } from './application/access';
import { MeetingsCommands } from './application/meetings.commands';
import { MeetingsQueries } from './application/meetings.queries';
import { MeetingsProjection } from './application/projections/meetings.projection';
import { referenceDataConsumer } from './application/reference-data.consumer';
import { SUMMARY_VAULT } from './application/summary-vault';
import { MEETINGS_SETTINGS } from './application/tokens';
import { MeetingsSettings } from './config';
import { meetingsResolvers } from './graphql/meetings.resolvers';
import { Microstructure } from './graphql/types';
import { meetingsMigrations } from './infrastructure/migrations';
import { PostgresSummaryVault } from './infrastructure/postgres-summary-vault';

/** The meetings service: case-review meetings of the microstructures (summaries encrypted per patient) and the networks' exchange meetings. */
@Module({})
export class MeetingsModule {
  static forRoot(config: ServiceConfig, settings: MeetingsSettings, logger: Logger): DynamicModule {
    return {
      module: MeetingsModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'meetings',
          config,
          logger,
          entities: [],
          migrations: meetingsMigrations,
          projections: [MeetingsProjection],
          relay: meetingsRelay,
          consumers: [referenceDataConsumer],
        }),
        SubgraphModule.forRoot({ service: 'meetings', logger, authSecret: config.authSecret, orphanedTypes: [Microstructure] }),
      ],
      providers: [
        { provide: MEETINGS_SETTINGS, useValue: settings },
        { provide: SUMMARY_VAULT, inject: [PG_POOL], useFactory: (pool: Pool) => new PostgresSummaryVault(pool, settings.masterKey, settings.masterKeyId, settings.previousMasterKeys) },
        MeetingsQueries,
        MeetingsAccess,
        MeetingsCommands,
        ...meetingsResolvers,
      ],
    };
  }
}

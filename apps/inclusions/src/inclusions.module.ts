import { DynamicModule, Module } from '@nestjs/common';
import { PG_POOL, ServiceConfig, ServiceKitModule, SubgraphModule } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { careTeamsConsumer } from './application/care-teams.consumer';
import { IDENTITY_VAULT } from './application/identity-vault';
import { InclusionsCommands } from './application/inclusions.commands';
import { InclusionsQueries } from './application/inclusions.queries';
import { inclusionsRelay } from './application/integration-events';
import { CaseloadProjection } from './application/projections/caseload.projection';
import { INCLUSIONS_SETTINGS } from './application/tokens';
import { inclusionsMigrations } from './infrastructure/migrations';
import { InclusionsSettings } from './config';
import { inclusionsResolvers } from './graphql/inclusions.resolvers';
import { Microstructure } from './graphql/types';
import { PostgresIdentityVault } from './infrastructure/postgres-identity-vault';

/** The inclusions service: patients (identity encrypted per patient), inclusions with consent, follow-up, assessments, exits. */
@Module({})
export class InclusionsModule {
  static forRoot(config: ServiceConfig, settings: InclusionsSettings, logger: Logger): DynamicModule {
    return {
      module: InclusionsModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'inclusions',
          config,
          logger,
          entities: [],
          migrations: inclusionsMigrations,
          projections: [CaseloadProjection.configured(settings)],
          relay: inclusionsRelay,
          consumers: [careTeamsConsumer],
        }),
        SubgraphModule.forRoot({ service: 'inclusions', logger, authSecret: config.authSecret, orphanedTypes: [Microstructure] }),
      ],
      providers: [
        { provide: INCLUSIONS_SETTINGS, useValue: settings },
        { provide: IDENTITY_VAULT, inject: [PG_POOL], useFactory: (pool: Pool) => new PostgresIdentityVault(pool, settings.masterKey, settings.masterKeyId, settings.previousMasterKeys) },
        InclusionsQueries,
        InclusionsCommands,
        ...inclusionsResolvers,
      ],
    };
  }
}

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
import { InclusionsSettings } from './config';
import { inclusionsResolvers } from './graphql/inclusions.resolvers';
import { Microstructure } from './graphql/types';
import { CareTeams1763900000000 } from './infrastructure/migrations/1763900000000-care-teams';
import { PatientKeys1763900000100 } from './infrastructure/migrations/1763900000100-patient-keys';
import { Caseload1763900000200 } from './infrastructure/migrations/1763900000200-caseload';
import { IdentityReads1763900000300 } from './infrastructure/migrations/1763900000300-identity-reads';
import { MicrostructureLife1763900000400 } from './infrastructure/migrations/1763900000400-microstructure-life';
import { ProfessionalDays1763900000500 } from './infrastructure/migrations/1763900000500-professional-days';
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
          migrations: [CareTeams1763900000000, PatientKeys1763900000100, Caseload1763900000200, IdentityReads1763900000300, MicrostructureLife1763900000400, ProfessionalDays1763900000500],
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

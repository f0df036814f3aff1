import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfig, ServiceKitModule, SubgraphModule } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { ReportingViewers } from './application/viewers';
import { IndicatorService } from './application/indicator.service';
import { RebuildService } from './application/rebuild.service';
import { ReportingMetrics } from './application/reporting.metrics';
import { reportingConsumerWith } from './application/reporting.consumer';
import { FactSetBootstrap } from './application/fact-set.bootstrap';
import { FactSetUpkeep } from './application/fact-set.upkeep';
import { FactSetAppliers } from './application/fact-set.appliers';
import { Clock, CLOCK, REPORTING_SETTINGS } from './application/tokens';
import { ReportingSettings } from './config';
import { reportingResolvers } from './graphql/reporting.resolvers';
import { Microstructure, Network } from './graphql/types';
import { REPORTING_MIGRATIONS } from './infrastructure/migrations';

/**
 * The reporting service: no write model; every service's integration events become facts (one
 * fact-set version at a time, rebuilt beside the one queries read), and the indicator catalogue is
 * answered from them with rights and suppression.
 */
@Module({})
export class ReportingModule {
  static forRoot(config: ServiceConfig, settings: ReportingSettings, logger: Logger, clock: Clock = () => new Date()): DynamicModule {
    return {
      module: ReportingModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'reporting',
          config,
          logger,
          entities: [],
          migrations: REPORTING_MIGRATIONS,
          projections: [],
          consumers: [reportingConsumerWith(settings)],
          watchFederationLinks: true,
        }),
        SubgraphModule.forRoot({ service: 'reporting', logger, authSecret: config.authSecret, orphanedTypes: [Network, Microstructure] }),
      ],
      providers: [{ provide: REPORTING_SETTINGS, useValue: settings }, { provide: CLOCK, useValue: clock }, FactSetBootstrap, FactSetUpkeep, FactSetAppliers, IndicatorService, ReportingViewers, RebuildService, ReportingMetrics, ...reportingResolvers],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { Directive, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Logger } from 'pino';
import { ServiceConfig } from './config';
import { ServiceKitModule } from './service.module';
import { SubgraphModule } from './subgraph.module';

@ObjectType({ description: 'État d’un service dont le domaine n’est pas encore livré' })
@Directive('@shareable')
export class ServiceStatus {
  @Field() service!: string;
  @Field({ description: 'false tant que le domaine du service n’est pas livré' }) domainAvailable!: boolean;
}

/**
 * A service whose domain has not been built yet: it runs with everything every service has (config,
 * database schema, event store, health, metrics, subgraph) and answers only `<service>Status`, so that
 * the platform's processes, ports and supergraph already have their final shape.
 */
@Module({})
export class SkeletonServiceModule {
  static forRoot(service: string, config: ServiceConfig, logger: Logger): DynamicModule {
    @Resolver()
    class StatusResolver {
      @Query(() => ServiceStatus, { name: `${service}Status` })
      status(): ServiceStatus {
        return { service, domainAvailable: false };
      }
    }
    return {
      module: SkeletonServiceModule,
      imports: [
        ServiceKitModule.forRoot({ service, config, logger, entities: [], migrations: [], projections: [] }),
        SubgraphModule.forRoot({ service, logger, authSecret: config.authSecret }),
      ],
      providers: [StatusResolver],
    };
  }
}

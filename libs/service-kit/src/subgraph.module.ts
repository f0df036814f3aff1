import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { Logger } from 'pino';
import { formatGraphQLError } from './graphql-errors';
import { controlCharacterGuard } from './text-input';
import { SubgraphContext, subgraphContext } from './identity';
import { projectionAdminResolver } from './projection-admin';
import { IdempotentCommands } from './idempotency';

export interface SubgraphOptions {
  service: string;
  logger: Logger;
  authSecret: string;
  /** Types that only extend another subgraph's entity (key-only stubs). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
}

/**
 * The service's federated subgraph (Federation 2, code first). Its SDL is a build artefact, not written at
 * start: `nx run <service>:sdl` writes `apps/<service>/schema.graphql` (subgraph-sdl.ts), committed, from
 * which `nx run gateway:supergraph` composes the supergraph the gateway serves.
 */
@Module({})
export class SubgraphModule {
  static forRoot(options: SubgraphOptions): DynamicModule {
    return {
      module: SubgraphModule,
      imports: [
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          autoSchemaFile: { federation: 2 },
          sortSchema: true,
          buildSchemaOptions: { orphanedTypes: options.orphanedTypes ?? [] },
          playground: false,
          // Traces are for Apollo's hosted studio, which the platform does not use.
          plugins: [ApolloServerPluginInlineTraceDisabled(), controlCharacterGuard()],
          introspection: true,
          context: ({ req }: { req: { headers: Record<string, string | string[] | undefined>; body?: { query?: unknown } | null } }): SubgraphContext => subgraphContext(req, options.authSecret),
          formatError: formatGraphQLError(options.logger),
        }),
      ],
      providers: [projectionAdminResolver(options.service), IdempotentCommands],
    };
  }
}

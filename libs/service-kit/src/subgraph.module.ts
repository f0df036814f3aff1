import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import path from 'node:path';
import { Logger } from 'pino';
import { formatGraphQLError } from './graphql-errors';
import { SubgraphContext, subgraphContext } from './identity';
import { projectionAdminResolver } from './projection-admin';

export interface SubgraphOptions {
  service: string;
  logger: Logger;
  authSecret: string;
  /** Types that only extend another subgraph's entity (key-only stubs). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
}

/**
 * The service's federated subgraph (Federation 2, code first). Its SDL is written to
 * `apps/<service>/schema.graphql` at start, from which the gateway's supergraph is composed.
 */
@Module({})
export class SubgraphModule {
  static forRoot(options: SubgraphOptions): DynamicModule {
    return {
      module: SubgraphModule,
      imports: [
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          autoSchemaFile: { federation: 2, path: path.resolve(__dirname, '../../../apps', options.service, 'schema.graphql') },
          sortSchema: true,
          buildSchemaOptions: { orphanedTypes: options.orphanedTypes ?? [] },
          playground: false,
          // Traces are for Apollo's hosted studio, which the platform does not use.
          plugins: [ApolloServerPluginInlineTraceDisabled()],
          introspection: true,
          context: ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }): SubgraphContext => subgraphContext(req, options.authSecret),
          formatError: formatGraphQLError(options.logger),
        }),
      ],
      providers: [projectionAdminResolver(options.service)],
    };
  }
}

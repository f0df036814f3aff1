import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { printSubgraphSchema } from '@apollo/subgraph';
import { DynamicModule, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from 'pino';
import { formatGraphQLError } from './graphql-errors';
import { controlCharacterGuard } from './text-input';
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

const SDL_HEADER = '# Written by the service at start (libs/service-kit/src/subgraph.module.ts): do not edit. The gateway composes the supergraph from it.\n\n';

/** The committed SDL of a service's subgraph. */
export const subgraphSchemaPath = (service: string): string => path.resolve(__dirname, '../../../apps', service, 'schema.graphql');

/**
 * Writes the subgraph's SDL with its federation directives (`@key`, `@shareable`, `@link`), which the
 * gateway needs to compose: NestJS's own schema file leaves them out. Written only when it changed.
 */
function subgraphSchemaWriter(service: string) {
  @Injectable()
  class SubgraphSchemaWriter implements OnApplicationBootstrap {
    constructor(private readonly host: GraphQLSchemaHost) {}

    onApplicationBootstrap() {
      const file = subgraphSchemaPath(service);
      const sdl = `${SDL_HEADER}${printSubgraphSchema(lexicographicSortSchema(this.host.schema)).trim()}\n`;
      let current: string | undefined;
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== sdl) writeFileSync(file, sdl);
    }
  }
  return SubgraphSchemaWriter;
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
      providers: [projectionAdminResolver(options.service), subgraphSchemaWriter(options.service)],
    };
  }
}

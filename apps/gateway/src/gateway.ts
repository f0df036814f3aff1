import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { AuthError, bearerToken, verifyToken } from '@cnrms/auth';
import express, { NextFunction, Request, Response } from 'express';
import depthLimit from 'graphql-depth-limit';
import { GraphQLFormattedError } from 'graphql';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino, { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { composeSupergraph } from './compose-supergraph';
import { GatewayConfig } from './config';
import { GatewayContext, IdentityForwardingDataSource } from './identity-data-source';
import { repositoryRoot, SubgraphDefinition } from './subgraphs';

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/** A GraphQL error answered before Apollo (authentication, size), in the same shape as Apollo's. */
function refuse(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}) {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/**
 * The platform's single GraphQL endpoint: Apollo Gateway over a supergraph composed from the
 * subgraphs' committed SDL (a subgraph that starts late only fails the fields it owns, meanwhile),
 * token verification, identity propagation, depth and size limits, health and metrics.
 */
export async function createGateway(config: GatewayConfig, subgraphs: readonly SubgraphDefinition[], logger: Logger = pino({ level: config.logLevel })): Promise<RunningGateway> {
  const supergraphSdl = composeSupergraph(subgraphs);
  const urls = new Map(subgraphs.map((s) => [s.name, s.url]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new IdentityForwardingDataSource(urls.get(name) ?? url ?? '', config.authSecret),
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'cnrms_gateway_request_duration_seconds',
    help: 'GraphQL requests through the gateway, by operation name and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });

  const app = express();
  const server = http.createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: [depthLimit(config.maxDepth)],
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart({ request }) {
          const stop = requestDuration.startTimer({ operation: request.operationName ?? 'anonymous' });
          return {
            async willSendResponse({ errors }) {
              stop({ outcome: errors?.length ? 'error' : 'ok' });
            },
          };
        },
      },
    ],
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => {
      if (/exceeds maximum operation depth/.test(formatted.message)) {
        return { message: `Requête trop profonde : ${config.maxDepth} niveaux au plus.`, locations: formatted.locations, extensions: { code: 'QUERY_TOO_DEEP' } };
      }
      return formatted;
    },
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const reachable = await Promise.all(
      subgraphs.map(async (s) => {
        try {
          const response = await fetch(new URL('/health/live', s.url), { signal: AbortSignal.timeout(800) });
          return [s.name, response.ok ? 'up' : `HTTP ${response.status}`] as const;
        } catch {
          return [s.name, 'unreachable'] as const;
        }
      }),
    );
    res.json({ status: 'ok', supergraph: 'loaded', subgraphs: Object.fromEntries(reachable) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.use('/graphql', (req: Request, res: Response, next: NextFunction) => {
    const correlationId = (req.headers['x-correlation-id'] as string | undefined) || randomUUID();
    req.headers['x-correlation-id'] = correlationId;
    res.setHeader('x-correlation-id', correlationId);
    const started = Date.now();
    res.on('finish', () => logger.info({ correlationId, status: res.statusCode, ms: Date.now() - started }, 'graphql request'));
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > config.maxQueryBytes) {
      return refuse(res, 413, 'QUERY_TOO_LARGE', `Requête trop volumineuse : ${config.maxQueryBytes} octets au plus.`);
    }
    next();
  });
  app.use('/graphql', express.json({ limit: config.maxQueryBytes }), (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const status = (err as { status?: number }).status;
    if (status === 413) return refuse(res, 413, 'QUERY_TOO_LARGE', `Requête trop volumineuse : ${config.maxQueryBytes} octets au plus.`);
    return refuse(res, 400, 'BAD_REQUEST', 'Corps de requête illisible : un JSON { "query": … } est attendu.');
  });
  app.use('/graphql', (req: Request, res: Response, next: NextFunction) => {
    const query = typeof req.body?.query === 'string' ? req.body.query : '';
    if (Buffer.byteLength(query) > config.maxQueryBytes) {
      return refuse(res, 413, 'QUERY_TOO_LARGE', `Requête trop volumineuse : ${config.maxQueryBytes} octets au plus.`);
    }
    try {
      res.locals.identity = verifyToken(bearerToken(req.headers.authorization), { secret: config.authSecret });
    } catch (error) {
      if (error instanceof AuthError) return refuse(res, 401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
      return next(error);
    }
    next();
  });
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({ identity: res.locals.identity, correlationId: req.headers['x-correlation-id'] as string }),
    }),
  );

  const dashboard = path.join(repositoryRoot, 'apps', 'dashboard', 'dist');
  if (existsSync(dashboard)) app.use(express.static(dashboard));

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  logger.info({ port, subgraphs: subgraphs.map((s) => s.name) }, 'gateway listening');
  return {
    url: `http://${config.host}:${port}`,
    async stop() {
      await apollo.stop();
      server.closeAllConnections?.();
    },
  };
}

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { AuthError, bearerToken, COMMAND_ID, OidcTokenVerifier, verifyToken } from '@cnrms/auth';
import { contextFrom, SpanKind, SpanStatusCode, trace, traceLogFields, tracer } from '@cnrms/tracing';
import compression from 'compression';
import express, { NextFunction, Request, Response } from 'express';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import pino, { Logger } from 'pino';
import { composeSupergraph } from './compose-supergraph';
import { GatewayConfig } from './config';
import { demoSignInRouter } from './demo-sign-in';
import { GatewayContext, IdentityForwardingDataSource } from './identity-data-source';
import { maxSelectionsRule, QUERY_TOO_COSTLY, QUERY_TOO_DEEP, QUERY_TOO_LARGE, queryCostRule, RATE_LIMITED, RateLimiter } from './limits';
import { GatewayMetrics } from './metrics';
import { readSupergraph, repositoryRoot, SubgraphDefinition } from './subgraphs';

export interface RunningGateway {
  /** e.g. http://127.0.0.1:4000 (GraphQL at `${url}/graphql`). */
  url: string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** The subgraphs to compose (tests); by default the committed `apps/gateway/supergraph.graphql`, sent to `config.subgraphUrls`. */
  subgraphs?: readonly SubgraphDefinition[];
  logger?: Logger;
  /** Served at `/` when it exists; by default `apps/dashboard/dist`. */
  dashboardDir?: string;
}

/** Request-scoped values the express handlers share. */
interface Locals {
  correlationId: string;
  context: GatewayContext;
  refusal?: string;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'variables', '*.variables'], censor: '[masqué]' },
  });
}

/**
 * The platform's single GraphQL endpoint: Apollo Gateway over the committed supergraph (composed at build
 * time from the subgraphs' SDL) (static: a subgraph that is down or starts late only fails the fields it
 * owns, meanwhile), JWT verification, signed identity propagation, depth/size limits, health, metrics.
 */
export async function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // The committed supergraph (a build artefact: `nx run gateway:supergraph`), or one composed from the given subgraphs (tests).
  const supergraphSdl = options.subgraphs ? composeSupergraph(options.subgraphs) : readSupergraph();
  const urls = new Map(options.subgraphs ? options.subgraphs.map((s) => [s.name, s.url]) : Object.entries(config.subgraphUrls));
  const apolloLogger = logger.child({ component: 'apollo' });
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: apolloLogger,
    buildService: ({ name, url }) => new IdentityForwardingDataSource(name, urls.get(name) ?? url ?? '', config.authSecret, logger),
  });

  const metrics = new GatewayMetrics();
  const app = express();
  const server = http.createServer(app);
  let supergraphLoaded = false;

  const tracing: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, request, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          metrics.countErrors(codes);
          // Apollo shallow-copies the context: fill the trace object the request's log line holds.
          if (contextValue.trace) Object.assign(contextValue.trace, { operation: operationName ?? request.operationName ?? undefined, errorCodes: codes });
        },
      };
    },
  };

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger: apolloLogger,
    validationRules: [depthLimit(config.maxDepth), maxSelectionsRule(config.maxSelections), queryCostRule(config.maxQueryCost)],
    includeStacktraceInErrorResponses: false,
    // Production: no introspection, and validation errors do not suggest field names (« Did you mean … »).
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: !config.introspection,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server }), ApolloServerPluginLandingPageDisabled(), tracing],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const original = (error as GraphQLError | undefined)?.originalError;
      if (original instanceof GraphQLError && original.extensions?.code === QUERY_TOO_LARGE) {
        return { message: original.message, locations: formatted.locations, extensions: { code: QUERY_TOO_LARGE } };
      }
      if (original instanceof GraphQLError && original.extensions?.code === QUERY_TOO_COSTLY) {
        return { message: original.message, locations: formatted.locations, extensions: { ...original.extensions } };
      }
      const response = formatted.extensions?.response as { url?: string; status?: number } | undefined;
      if (response) {
        // A subgraph's HTTP error: its internal address and body stay in the log.
        logger.warn({ subgraphUrl: response.url, status: response.status }, 'a subgraph answered with an HTTP error');
        const { response: _response, ...extensions } = formatted.extensions ?? {};
        return { ...formatted, extensions };
      }
      if (/exceeds maximum operation depth/.test(formatted.message)) {
        return { message: `Requête trop profonde : ${config.maxDepth} niveaux au plus.`, locations: formatted.locations, extensions: { code: QUERY_TOO_DEEP } };
      }
      return formatted;
    },
  });
  await apollo.start();
  supergraphLoaded = true;

  /** A GraphQL error answered before Apollo (authentication, size), in the same shape as Apollo's. */
  const refuse = (res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}) => {
    (res.locals as Locals).refusal = code;
    metrics.countErrors([code]);
    res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
  };
  const tooLarge = (res: Response) => refuse(res, 413, QUERY_TOO_LARGE, `Requête trop volumineuse : ${config.maxQueryBytes} octets au plus.`);

  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    // Information only: a subgraph that is down does not make the gateway unready (its fields fail meanwhile).
    const reachable = await Promise.all(
      [...urls].map(async ([name, url]) => {
        try {
          const response = await fetch(new URL('/health/live', url), { signal: AbortSignal.timeout(800) });
          return [name, response.ok ? 'up' : `HTTP ${response.status}`] as const;
        } catch {
          return [name, 'unreachable'] as const;
        }
      }),
    );
    res.status(supergraphLoaded ? 200 : 503).json({ status: supergraphLoaded ? 'ok' : 'starting', supergraph: supergraphLoaded ? 'loaded' : 'not loaded', subgraphs: Object.fromEntries(reachable) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use('/graphql', (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-correlation-id'];
    const correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    const locals = res.locals as Locals;
    locals.correlationId = correlationId;
    // The request's span (continuing a caller's `traceparent` if any): the subgraph calls carry it on.
    const span = tracer().startSpan('POST /graphql', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': '/graphql', 'cnrms.service': 'gateway' } }, contextFrom(req.headers));
    const traceContext = trace.setSpan(contextFrom(req.headers), span);
    locals.context = { correlationId, trace: {}, traceContext };
    res.setHeader('x-correlation-id', correlationId);
    // A client's command id: the subgraph that runs the mutation answers a resend from its first outcome.
    const commandId = req.headers['idempotency-key'];
    if (commandId !== undefined) {
      if (typeof commandId !== 'string' || !COMMAND_ID.test(commandId)) {
        span.end();
        res.status(400).json({ errors: [{ message: 'En-tête Idempotency-Key invalide : de 8 à 100 caractères parmi lettres, chiffres, « - », « _ », « . » et « : » (un UUID convient).', extensions: { code: 'INVALID_COMMAND_ID' } }] });
        return;
      }
      locals.context.commandId = commandId;
    }
    const started = process.hrtime.bigint();
    res.on('close', () => span.end());
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const trace = locals.context.trace;
      const operation = metrics.operationLabel(trace?.operation ?? req.body?.operationName);
      const outcome = locals.refusal ? 'refused' : trace?.errorCodes?.length || res.statusCode >= 400 ? 'error' : 'ok';
      if (req.method !== 'OPTIONS') metrics.observeRequest(operation, outcome, seconds);
      const errorCodes = locals.refusal ? [locals.refusal] : trace?.errorCodes;
      span.setAttributes({ 'graphql.operation.name': operation, 'http.response.status_code': res.statusCode });
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes?.join(',') ?? outcome });
      span.end();
      logger.info(
        { correlationId, ...traceLogFields(traceContext), operation, status: res.statusCode, ms: Math.round(seconds * 1000), userId: locals.context.identity?.userId, ...(errorCodes?.length ? { errorCodes } : {}) },
        'graphql request',
      );
    });
    if (Number(req.headers['content-length'] ?? 0) > config.maxQueryBytes) return tooLarge(res);
    next();
  });
  app.use('/graphql', express.json({ limit: config.maxQueryBytes }), (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    if ((err as { status?: number }).status === 413) return tooLarge(res);
    return refuse(res, 400, 'BAD_REQUEST', 'Corps de requête illisible : un JSON { "query": … } est attendu.');
  });
  const rateLimiter = new RateLimiter(config.rateLimitPerMinute);
  // The identity provider's access tokens (distributed mode) beside the platform's own HS256 tokens.
  const provider = config.oidc ? new OidcTokenVerifier({ issuer: config.oidc.issuer, audience: config.oidc.audience }) : undefined;
  app.use('/graphql', async (req: Request, res: Response, next: NextFunction) => {
    const query = typeof req.body?.query === 'string' ? req.body.query : typeof req.query.query === 'string' ? req.query.query : '';
    if (Buffer.byteLength(query) > config.maxQueryBytes) return tooLarge(res);
    try {
      const token = bearerToken(req.headers.authorization);
      (res.locals as Locals).context.identity =
        provider && token && OidcTokenVerifier.isProviderToken(token) ? await provider.verify(token) : verifyToken(token, { secret: config.authSecret });
    } catch (error) {
      if (error instanceof AuthError) return refuse(res, 401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
      return next(error);
    }
    const { allowed, retryAfter } = rateLimiter.take((res.locals as Locals).context.identity?.userId ?? `address:${req.ip}`);
    if (!allowed) {
      res.setHeader('retry-after', String(retryAfter));
      return refuse(res, 429, RATE_LIMITED, `Trop de requêtes : ${config.rateLimitPerMinute} par minute au plus ; réessayez dans ${retryAfter} s.`, { retryAfter });
    }
    next();
  });
  app.use('/graphql', expressMiddleware(apollo, { context: async ({ res }) => (res.locals as Locals).context }));

  // What the dashboard's sign-in page needs to know: the demo identities (development only) or the identity provider.
  app.get('/auth/config', (_req, res) => {
    res.json({ demoSignIn: Boolean(config.demoSignIn), oidc: config.oidc ? { issuer: config.oidc.issuer, clientId: config.oidc.clientId, scope: config.oidc.scope } : null });
  });
  if (config.demoSignIn) {
    app.use('/auth/demo', demoSignInRouter(apollo, config.authSecret, logger));
    logger.warn('demo sign-in enabled (GATEWAY_DEMO_SIGN_IN=true): anyone reaching the gateway can take a demo identity; development only');
  } else {
    app.use('/auth/demo', (_req: Request, res: Response) => {
      res.status(404).json({ error: 'Connexion de démonstration désactivée (GATEWAY_DEMO_SIGN_IN).' });
    });
  }

  const dashboard = options.dashboardDir ?? path.join(repositoryRoot, 'apps', 'dashboard', 'dist');
  if (existsSync(dashboard)) {
    // Vite's hashed assets never change; index.html is read again at every visit. Compressed (gzip) when the browser accepts it.
    app.use(
      compression(),
      express.static(dashboard, {
        setHeaders: (res, file) => res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      }),
    );
    const index = path.join(dashboard, 'index.html');
    // The dashboard routes in the browser: any other GET that wants HTML gets its index.
    if (existsSync(index)) {
      app.use((req: Request, res: Response, next: NextFunction) => (req.method === 'GET' && req.accepts('html') ? res.sendFile(index, { headers: { 'cache-control': 'no-cache' } }) : next()));
    }
    logger.info({ dashboard }, 'serving the dashboard at /');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.host, subgraphs: Object.fromEntries(urls) }, 'gateway listening');
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    async stop() {
      await apollo.stop();
      server.closeAllConnections?.();
    },
  };
}

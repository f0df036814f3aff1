import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { identityFromHeaders, Identity, issueToken } from '@cnrms/auth';
import { TestIdentityProvider } from '@cnrms/auth/testing';
import { parse } from 'graphql';
import jwt from 'jsonwebtoken';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { GatewayConfig } from './config';
import { createGateway, RunningGateway } from './gateway';

const secret = 'gateway-test-secret-0123456789-0123456789';
const sdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { whoami: Caller, nested: Node }
  type Caller { userId: String!, roles: [String!]!, correlationId: String }
  type Node { child: Node, value: Int }
`;
const downSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { unreachable: String }
`;

/** A subgraph that answers with the identity the gateway signed for it, and keeps the headers it received. */
async function startEchoSubgraph(port = 0) {
  const received: (IncomingHttpHeaders & { query?: string })[] = [];
  const server = new ApolloServer<{ identity: Identity | null; correlationId?: string; headers: IncomingHttpHeaders }>({
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      {
        // The identity is bound to the operation's text: read it once the request is parsed.
        async requestDidStart({ request, contextValue }) {
          received[received.length - 1].query = request.query;
          contextValue.identity = identityFromHeaders(contextValue.headers, secret, { query: request.query ?? '' });
        },
      },
    ],
    schema: buildSubgraphSchema({
      typeDefs: parse(sdl),
      resolvers: <GraphQLResolverMap<unknown>>{
        Query: {
          whoami: (_: unknown, __: unknown, context: unknown) => {
            const { identity, correlationId } = context as { identity: Identity | null; correlationId?: string };
            return identity && { userId: identity.userId, roles: identity.roles, correlationId };
          },
          nested: () => ({ value: 1, child: { value: 2, child: { value: 3, child: { value: 4 } } } }),
        },
      },
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }) => {
      received.push({ ...req.headers });
      return { identity: null, headers: req.headers, correlationId: req.headers['x-correlation-id'] as string | undefined };
    },
  });
  return { url, received, stop: () => server.stop() };
}

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };

describe('gateway', () => {
  let subgraph: Awaited<ReturnType<typeof startEchoSubgraph>>;
  let gateway: RunningGateway;
  let dashboardDir: string;
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    authSecret: secret,
    maxDepth: 4,
    maxQueryBytes: 2000,
    maxSelections: 20,
    maxQueryCost: 5_000,
    rateLimitPerMinute: 0,
    introspection: true,
    logLevel: 'silent',
    subgraphUrls: {},
  };
  const coordinator: Identity = { userId: 'u-42', displayName: 'Coordination', roles: ['regional_coordinator'], networkIds: ['n-1'], microstructureIds: [] };
  const token = () => issueToken(coordinator, { secret });
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    subgraph = await startEchoSubgraph();
    dashboardDir = mkdtempSync(path.join(os.tmpdir(), 'cnrms-dashboard-'));
    writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>Tableau de bord</title>');
    gateway = await createGateway(config, {
      subgraphs: [
        { name: 'echo', url: subgraph.url, sdl },
        // Never started: the gateway must start anyway and fail only this subgraph's fields.
        { name: 'down', url: 'http://127.0.0.1:9/graphql', sdl: downSdl },
      ],
      logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) }),
      dashboardDir,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await subgraph?.stop();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  async function post(query: string, bearer?: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      body: JSON.stringify({ query, ...extra }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
  }

  it('passes the verified caller as signed headers, with the correlation id, to the subgraph', async () => {
    subgraph.received.length = 0;
    const { body, headers } = await post('{ whoami { userId roles correlationId } }', token(), { 'x-correlation-id': 'corr-123' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ whoami: { userId: 'u-42', roles: ['regional_coordinator'], correlationId: 'corr-123' } });
    expect(headers.get('x-correlation-id')).toBe('corr-123');
    const [received] = subgraph.received;
    const query = received.query ?? '';
    expect(identityFromHeaders(received, secret, { query })).toEqual(coordinator);
    expect(() => identityFromHeaders(received, `${secret}-other`, { query })).toThrow();
    // Bound to this operation and to a short expiry: a captured pair opens nothing else, nor later.
    expect(() => identityFromHeaders(received, secret, { query: '{ nested { value } }' })).toThrow();
    expect(() => identityFromHeaders(received, secret, { query, now: Date.now() + 60_000 })).toThrow();
    // The caller's token stays at the gateway.
    expect(received.authorization).toBeUndefined();
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'graphql request', correlationId: 'corr-123', userId: 'u-42', status: 200, operation: 'anonymous' }));
  });

  it('creates a correlation id when the caller sends none, and forwards it', async () => {
    const { body, headers } = await post('{ whoami { correlationId } }', token());
    const generated = headers.get('x-correlation-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.data).toEqual({ whoami: { correlationId: generated } });
  });

  it('refuses a call without a token, with an expired one, one signed elsewhere or unsigned', async () => {
    const missing = await post('{ whoami { userId } }');
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    expect(missing.body.errors?.[0].message).toMatch(/Authentification requise/);
    const expired = await post('{ whoami { userId } }', issueToken(coordinator, { secret, expiresIn: '-1m' }));
    expect(expired.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    const forged = await post('{ whoami { userId } }', issueToken(coordinator, { secret: `${secret}-other` }));
    expect(forged.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    const unsigned = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, '', { algorithm: 'none', subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api' });
    expect((await post('{ whoami { userId } }', unsigned)).body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
  });

  it('requires a token for introspection too', async () => {
    const anonymous = await post('{ __schema { queryType { name } } }');
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const authenticated = await post('{ __schema { queryType { name } } }', token());
    expect(authenticated.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses queries deeper or larger than the limits', async () => {
    const deep = await post('{ nested { child { child { child { child { value } } } } } }', token());
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_DEEP']);
    const large = await post(`{ whoami { userId ${' '.repeat(2100)} } }`, token());
    expect(large.status).toBe(413);
    expect(large.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_LARGE');
    const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: whoami { userId }`).join(' ');
    const many = await post(`{ ${aliases} }`, token());
    expect(many.status).toBe(400);
    expect(many.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_LARGE']);
    const fragments = await post('query Q { ...F ...F } fragment F on Query { a: whoami { userId roles } b: whoami { userId roles } c: whoami { userId roles } d: whoami { userId roles } }', token());
    expect(fragments.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_LARGE']);
    const justUnder = await post(`{ ${Array.from({ length: 10 }, (_, i) => `a${i}: whoami { userId }`).join(' ')} }`, token());
    expect(justUnder.body.errors).toBeUndefined();
  });

  it('refuses an operation over its cost budget on its text alone, while answering others meanwhile', async () => {
    const costly = `{ ${Array.from({ length: 6 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ')} }`;
    const [refused, trivial] = await Promise.all([post(costly, token()), post('{ whoami { userId } }', token())]);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COSTLY']);
    expect(refused.body.errors?.[0].extensions).toMatchObject({ budget: 5_000, cost: expect.any(Number) });
    expect(refused.body.errors?.[0].message).toMatch(/Requête trop coûteuse/);
    expect(subgraph.received.some((headers) => headers.query?.includes('__schema'))).toBe(false);
    expect(trivial.body.data).toEqual({ whoami: { userId: 'u-42' } });
  });

  it('in production: no introspection, no field suggestions, and a caller over its rate gets RATE_LIMITED', async () => {
    const production = await createGateway(
      { ...config, introspection: false, rateLimitPerMinute: 3 },
      { subgraphs: [{ name: 'echo', url: subgraph.url, sdl }], logger: pino({ level: 'silent' }), dashboardDir },
    );
    try {
      const ask = async (query: string, bearer = token()) => {
        const response = await fetch(`${production.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query }) });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Body };
      };
      const introspection = await ask('{ __schema { queryType { name } } }');
      expect(introspection.body.data ?? null).toBeNull();
      expect(introspection.body.errors?.[0].message).toMatch(/introspection/i);
      const typo = await ask('{ whoam { userId } }');
      expect(typo.body.errors?.length).toBe(1);
      expect(typo.body.errors?.[0].message).not.toMatch(/Did you mean/);
      expect((await ask('{ whoami { userId } }')).status).toBe(200);
      const limited = await ask('{ whoami { userId } }');
      expect(limited.status).toBe(429);
      expect(limited.body.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      // Another caller is not held back by the first one's rate.
      const other = issueToken({ ...coordinator, userId: 'u-43' }, { secret });
      expect((await ask('{ whoami { userId } }', other)).body.data).toEqual({ whoami: { userId: 'u-43' } });
    } finally {
      await production.stop();
    }
  });

  it('stays up when a subgraph is down, failing only its fields', async () => {
    const down = await post('{ unreachable }', token());
    expect(down.status).toBe(200);
    expect(down.body.errors?.length).toBeGreaterThan(0);
    expect(down.body.data).toEqual({ unreachable: null });
    expect(down.body.errors).toEqual([
      { message: 'Service « down » momentanément indisponible : réessayez dans quelques instants.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'down' } },
    ]);
    expect(JSON.stringify(down.body)).not.toContain('127.0.0.1');
    const both = await post('{ unreachable whoami { userId } }', token());
    expect(both.body.data).toEqual({ unreachable: null, whoami: { userId: 'u-42' } });
    const live = await fetch(`${gateway.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    // The echo subgraph answers HTTP but has no /health/live of its own; the platform's services do.
    expect(await ready.json()).toEqual({ status: 'ok', supergraph: 'loaded', subgraphs: { echo: 'HTTP 400', down: 'unreachable' } });
  });

  it('exposes Prometheus metrics: requests by operation and outcome, errors by code', async () => {
    await post('query WhoAmI { whoami { userId } }', token());
    // A refused request is not parsed: its operation is the operationName it sends, if any.
    await post('query WhoAmI { whoami { userId } }', undefined, {}, { operationName: 'WhoAmI' });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/cnrms_gateway_request_duration_seconds_count\{operation="WhoAmI",outcome="ok"\} 1/);
    expect(metrics).toMatch(/cnrms_gateway_request_duration_seconds_count\{operation="WhoAmI",outcome="refused"\} 1/);
    expect(metrics).toMatch(/cnrms_gateway_errors_total\{code="UNAUTHENTICATED"\} \d+/);
    expect(metrics).toMatch(/cnrms_gateway_errors_total\{code="QUERY_TOO_DEEP"\} \d+/);
    expect(metrics).toMatch(/process_cpu_seconds_total/);
  });

  it('serves the dashboard at /, health and metrics needing no token', async () => {
    const page = await fetch(`${gateway.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Tableau de bord/);
    const route = await fetch(`${gateway.url}/reseaux/n-1`, { headers: { accept: 'text/html' } });
    expect(await route.text()).toMatch(/Tableau de bord/);
    expect(route.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the dashboard’s files compressed, with a long cache for the hashed assets', async () => {
    mkdirSync(path.join(dashboardDir, 'assets'), { recursive: true });
    writeFileSync(path.join(dashboardDir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
    const asset = await fetch(`${gateway.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('xxxx');
  });

  it('tells the dashboard how to sign in, and keeps the demo sign-in closed unless its flag is on', async () => {
    const settings = await fetch(`${gateway.url}/auth/config`);
    expect(await settings.json()).toEqual({ demoSignIn: false, oidc: null });
    const demo = await fetch(`${gateway.url}/auth/demo/identities`, { headers: { accept: 'text/html' } });
    expect(demo.status).toBe(404);
    expect(await demo.json()).toEqual({ error: expect.stringMatching(/désactivée/) });
  });
});

describe('gateway started before its subgraph', () => {
  it('answers SUBGRAPH_UNAVAILABLE until the subgraph is up, then its data, without a restart', async () => {
    // A port that was free a moment ago: nothing listens on it yet.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));

    const gateway = await createGateway(
      { port: 0, host: '127.0.0.1', authSecret: secret, maxDepth: 10, maxQueryBytes: 20_000, maxSelections: 1000, maxQueryCost: 200_000, rateLimitPerMinute: 0, introspection: true, logLevel: 'silent', subgraphUrls: {} },
      { subgraphs: [{ name: 'late', url: `http://127.0.0.1:${port}/graphql`, sdl }], logger: pino({ level: 'silent' }), dashboardDir: '/nonexistent' },
    );
    let subgraph: Awaited<ReturnType<typeof startEchoSubgraph>> | undefined;
    try {
      const token = issueToken({ userId: 'u-1', roles: ['admin'], networkIds: [], microstructureIds: [] }, { secret });
      const ask = async () =>
        (await (
          await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ whoami { userId } }' }) })
        ).json()) as Body;
      expect((await ask()).errors?.[0].extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      subgraph = await startEchoSubgraph(port);
      expect(await ask()).toEqual({ data: { whoami: { userId: 'u-1' } } });
    } finally {
      await gateway.stop();
      await subgraph?.stop();
    }
  });
});

describe('gateway with an identity provider (distributed mode)', () => {
  it('accepts the provider’s access tokens beside its own, and refuses those for another client', async () => {
    const provider = await new TestIdentityProvider().start();
    provider.addKey('idp-key');
    const subgraph = await startEchoSubgraph();
    const gateway = await createGateway(
      {
        port: 0,
        host: '127.0.0.1',
        authSecret: secret,
        maxDepth: 10,
        maxQueryBytes: 20_000,
        maxSelections: 1000,
        maxQueryCost: 200_000,
        rateLimitPerMinute: 0,
        introspection: true,
        logLevel: 'silent',
        subgraphUrls: {},
        oidc: { issuer: provider.issuer, clientId: 'cnrms-dashboard', scope: 'openid', audience: 'cnrms-dashboard' },
      },
      { subgraphs: [{ name: 'echo', url: subgraph.url, sdl }], logger: pino({ level: 'silent' }), dashboardDir: '/nonexistent' },
    );
    const ask = async (bearer: string) =>
      (await (
        await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query: '{ whoami { userId roles } }' }) })
      ).json()) as Body;
    try {
      expect(await ask(provider.sign({ roles: ['funder'], networkIds: ['n-1'] }))).toEqual({ data: { whoami: { userId: 'idp-user-42', roles: ['funder'] } } });
      expect(await ask(issueToken({ userId: 'u-own', roles: ['admin'], networkIds: [], microstructureIds: [] }, { secret }))).toEqual({ data: { whoami: { userId: 'u-own', roles: ['admin'] } } });
      const refused = await ask(provider.sign({ roles: ['funder'] }, { audience: 'another-client' }));
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    } finally {
      await gateway.stop();
      await subgraph.stop();
      await provider.stop();
    }
  });
});

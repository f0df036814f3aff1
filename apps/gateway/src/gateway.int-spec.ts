import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { identityFromHeaders, Identity, issueToken } from '@cnrms/auth';
import { parse } from 'graphql';
import pino from 'pino';
import { GatewayConfig } from './config';
import { createGateway, RunningGateway } from './gateway';

const secret = 'gateway-test-secret-0123456789-0123456789';
const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { whoami: Caller, nested: Node }
  type Caller { userId: String!, roles: [String!]!, correlationId: String }
  type Node { child: Node, value: Int }
`;
const downTypeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { unreachable: String }
`;

/** A subgraph that answers with the identity the gateway signed for it. */
async function startEchoSubgraph() {
  const server = new ApolloServer<{ identity: Identity | null; correlationId?: string }>({
    schema: buildSubgraphSchema({
      typeDefs: parse(typeDefs),
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
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ identity: identityFromHeaders(req.headers, secret), correlationId: req.headers['x-correlation-id'] as string | undefined }),
  });
  return { url, stop: () => server.stop() };
}

describe('gateway', () => {
  let subgraph: { url: string; stop(): Promise<void> };
  let gateway: RunningGateway;
  const config: GatewayConfig = { port: 0, host: '127.0.0.1', authSecret: secret, maxDepth: 4, maxQueryBytes: 2000, logLevel: 'silent' };
  const coordinator: Identity = { userId: 'u-42', roles: ['regional_coordinator'], networkIds: ['n-1'], microstructureIds: [] };

  beforeAll(async () => {
    subgraph = await startEchoSubgraph();
    gateway = await createGateway(
      config,
      [
        { name: 'echo', url: subgraph.url, typeDefs },
        // Never started: the gateway must start anyway and fail only this subgraph's fields.
        { name: 'down', url: 'http://127.0.0.1:9/graphql', typeDefs: downTypeDefs },
      ],
      pino({ level: 'silent' }),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await subgraph?.stop();
  });

  async function post(query: string, token?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  }

  it('passes the verified caller and the correlation id to the subgraph', async () => {
    const { body } = await post('{ whoami { userId roles correlationId } }', issueToken(coordinator, { secret }), { 'x-correlation-id': 'corr-123' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ whoami: { userId: 'u-42', roles: ['regional_coordinator'], correlationId: 'corr-123' } });
  });

  it('refuses a call without a token, with an expired one or one signed elsewhere', async () => {
    const missing = await post('{ whoami { userId } }');
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    const expired = await post('{ whoami { userId } }', issueToken(coordinator, { secret, expiresIn: '-1s' }));
    expect(expired.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    const forged = await post('{ whoami { userId } }', issueToken(coordinator, { secret: `${secret}-other` }));
    expect(forged.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
  });

  it('refuses queries deeper or larger than the limits', async () => {
    const token = issueToken(coordinator, { secret });
    const deep = await post('{ nested { child { child { child { child { value } } } } } }', token);
    expect(deep.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_DEEP']);
    const large = await post(`{ whoami { userId ${' '.repeat(2100)} } }`, token);
    expect(large.status).toBe(413);
    expect(large.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_LARGE');
  });

  it('stays up when a subgraph is down, failing only its fields', async () => {
    const token = issueToken(coordinator, { secret });
    const down = await post('{ unreachable }', token);
    expect(down.body.errors?.length).toBeGreaterThan(0);
    const up = await post('{ whoami { userId } }', token);
    expect(up.body.data).toEqual({ whoami: { userId: 'u-42' } });
    const health = await fetch(`${gateway.url}/health/ready`);
    const ready = (await health.json()) as { status: string; subgraphs: Record<string, string> };
    expect(ready.status).toBe('ok');
    // The echo subgraph answers HTTP but has no /health/live of its own; the platform's services do.
    expect(ready.subgraphs).toEqual({ echo: 'HTTP 400', down: 'unreachable' });
  });

  it('exposes Prometheus metrics', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/cnrms_gateway_request_duration_seconds_count\{operation="anonymous",outcome="ok"\} \d+/);
  });
});

import { DEV_JWT_SECRET } from '@cnrms/auth';
import { gatewayConfig, GatewayConfigurationError } from './config';

describe('gatewayConfig', () => {
  it('has defaults for local development', () => {
    expect(gatewayConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      authSecret: DEV_JWT_SECRET,
      maxDepth: 10,
      maxQueryBytes: 20_000,
      maxSelections: 1_000,
      maxQueryCost: 200_000,
      rateLimitPerMinute: 0,
      introspection: true,
      logLevel: 'info',
      subgraphUrls: {
        directory: 'http://127.0.0.1:4101/graphql',
        inclusions: 'http://127.0.0.1:4102/graphql',
        meetings: 'http://127.0.0.1:4103/graphql',
        training: 'http://127.0.0.1:4104/graphql',
        reporting: 'http://127.0.0.1:4105/graphql',
        notifications: 'http://127.0.0.1:4106/graphql',
      },
      demoSignIn: false,
    });
  });

  it('turns the demo sign-in on only outside production, and reads the identity provider', () => {
    expect(gatewayConfig({ GATEWAY_DEMO_SIGN_IN: 'true' }).demoSignIn).toBe(true);
    expect(() => gatewayConfig({ GATEWAY_DEMO_SIGN_IN: 'true', NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-of-at-least-32-chars' })).toThrow(/GATEWAY_DEMO_SIGN_IN/);
    expect(() => gatewayConfig({ GATEWAY_DEMO_SIGN_IN: 'yes' })).toThrow(/GATEWAY_DEMO_SIGN_IN/);
    expect(gatewayConfig({ OIDC_ISSUER: 'https://idp.example/realms/cnrms', OIDC_CLIENT_ID: 'dashboard' }).oidc).toEqual({ issuer: 'https://idp.example/realms/cnrms', clientId: 'dashboard', scope: 'openid profile', audience: 'dashboard' });
    expect(() => gatewayConfig({ OIDC_ISSUER: 'https://idp.example' })).toThrow(/OIDC_CLIENT_ID/);
  });

  it('reads PORT before GATEWAY_PORT, the limits and the subgraph URLs', () => {
    const config = gatewayConfig({ PORT: '5000', GATEWAY_PORT: '6000', GATEWAY_MAX_DEPTH: '7', GATEWAY_MAX_QUERY_BYTES: '5000', MEETINGS_URL: 'http://meetings:4103/graphql' });
    expect(config).toMatchObject({ port: 5000, maxDepth: 7, maxQueryBytes: 5000, subgraphUrls: { meetings: 'http://meetings:4103/graphql' } });
    expect(gatewayConfig({ GATEWAY_PORT: '6000' }).port).toBe(6000);
  });

  it('names every faulty variable in one error', () => {
    const attempt = () => gatewayConfig({ PORT: 'abc', GATEWAY_MAX_DEPTH: '0', DIRECTORY_URL: 'directory:4101', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(GatewayConfigurationError);
    try {
      attempt();
    } catch (error) {
      expect((error as GatewayConfigurationError).problems).toEqual([
        expect.stringMatching(/^DIRECTORY_URL/),
        expect.stringMatching(/^LOG_LEVEL/),
        expect.stringMatching(/^PORT/),
        expect.stringMatching(/^GATEWAY_MAX_DEPTH/),
      ]);
    }
  });

  it('refuses the development secret, a missing or a short secret in production', () => {
    expect(() => gatewayConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET : obligatoire en production/);
    expect(() => gatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: DEV_JWT_SECRET })).toThrow(/développement/);
    expect(() => gatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'short' })).toThrow(/32/);
    expect(gatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-0123456789-0123456789' }).authSecret).toBe('a-production-secret-0123456789-0123456789');
    // Production closes introspection and limits each caller's rate, unless told otherwise.
    expect(gatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-0123456789-0123456789' })).toMatchObject({ introspection: false, rateLimitPerMinute: 600 });
    expect(gatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-0123456789-0123456789', GATEWAY_INTROSPECTION: 'true', GATEWAY_RATE_LIMIT_PER_MINUTE: '0' })).toMatchObject({ introspection: true, rateLimitPerMinute: 0 });
    expect(() => gatewayConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/32/);
  });
});

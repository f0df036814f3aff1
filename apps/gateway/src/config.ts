import { assertProductionSecret, DEV_JWT_SECRET } from '@cnrms/auth';
import { defaultSubgraphUrls, SUBGRAPHS, urlVariable } from './subgraphs';

export interface GatewayConfig {
  /** 0 picks a free port (tests). */
  port: number;
  host: string;
  /** Verifies the callers' JWTs and signs the identity headers sent to the subgraphs. */
  authSecret: string;
  /** Deepest selection nesting accepted (graphql-depth-limit). */
  maxDepth: number;
  /** Largest request body and query text, in bytes. */
  maxQueryBytes: number;
  /** Most fields one operation may select, fragments expanded. */
  maxSelections: number;
  /** The cost budget of one operation (`queryCostRule`, docs/security.md). */
  maxQueryCost: number;
  /** Requests a minute per caller (user, else address); 0 = no limit. */
  rateLimitPerMinute: number;
  /** Whether the schema may be introspected and validation errors suggest field names (off in production). */
  introspection: boolean;
  logLevel: string;
  /** Where each subgraph answers, by name (directory, inclusions, …). */
  subgraphUrls: Record<string, string>;
  /**
   * Development only (GATEWAY_DEMO_SIGN_IN=true, refused when NODE_ENV=production): `/auth/demo/*` lists
   * the demo directory's identities and issues their tokens, for the dashboard's sign-in page.
   */
  demoSignIn?: boolean;
  /** The identity provider the dashboard signs in with in the distributed mode (OIDC_ISSUER, OIDC_CLIENT_ID). */
  oidc?: { issuer: string; clientId: string; scope: string; audience: string };
}

export class GatewayConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration de la passerelle invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'GatewayConfigurationError';
  }
}

/**
 * The gateway's settings from the environment, all checked at start: every faulty variable is named
 * in one error. AUTH_JWT_SECRET falls back to the development secret except when NODE_ENV=production.
 */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} : « ${raw} » doit être un entier entre ${min} et ${max}`);
      return fallback;
    }
    return value;
  };

  const production = env.NODE_ENV === 'production';
  const authSecret = env.AUTH_JWT_SECRET || DEV_JWT_SECRET;
  if (production && !env.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET : obligatoire en production (NODE_ENV=production)');
  } else if (production) {
    try {
      assertProductionSecret(authSecret);
    } catch (error) {
      problems.push(`AUTH_JWT_SECRET : ${(error as Error).message}`);
    }
  } else if (authSecret.length < 32) {
    problems.push('AUTH_JWT_SECRET : doit compter au moins 32 caractères');
  }

  const subgraphUrls = defaultSubgraphUrls(env);
  for (const { name } of SUBGRAPHS) {
    const raw = subgraphUrls[name];
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push(`${urlVariable(name)} : « ${raw} » n’est pas une URL http(s)`);
  }

  const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const logLevel = env.LOG_LEVEL || 'info';
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL : « ${logLevel} » doit valoir ${logLevels.join(', ')}`);

  const demoSignIn = env.GATEWAY_DEMO_SIGN_IN === 'true';
  if (env.GATEWAY_DEMO_SIGN_IN && !['true', 'false'].includes(env.GATEWAY_DEMO_SIGN_IN)) problems.push(`GATEWAY_DEMO_SIGN_IN : « ${env.GATEWAY_DEMO_SIGN_IN} » doit valoir true ou false`);
  if (demoSignIn && production) problems.push('GATEWAY_DEMO_SIGN_IN : la connexion par identités de démonstration est interdite en production (NODE_ENV=production)');
  let oidc: GatewayConfig['oidc'];
  if (env.OIDC_ISSUER || env.OIDC_CLIENT_ID) {
    let issuer: URL | undefined;
    try {
      issuer = new URL(env.OIDC_ISSUER ?? '');
    } catch {
      issuer = undefined;
    }
    if (!issuer || (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && !production))) problems.push(`OIDC_ISSUER : « ${env.OIDC_ISSUER ?? ''} » doit être une URL https (http admis hors production)`);
    if (!env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID : obligatoire avec OIDC_ISSUER');
    oidc = { issuer: env.OIDC_ISSUER ?? '', clientId: env.OIDC_CLIENT_ID ?? '', scope: env.OIDC_SCOPE || 'openid profile', audience: env.OIDC_AUDIENCE || env.OIDC_CLIENT_ID || '' };
  }

  const config: GatewayConfig = {
    port: env.PORT ? integer('PORT', 4000, 0, 65535) : integer('GATEWAY_PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    authSecret,
    maxDepth: integer('GATEWAY_MAX_DEPTH', 10, 1, 100),
    maxQueryBytes: integer('GATEWAY_MAX_QUERY_BYTES', 20_000, 100, 10_000_000),
    maxSelections: integer('GATEWAY_MAX_SELECTIONS', 1_000, 1, 1_000_000),
    maxQueryCost: integer('GATEWAY_MAX_QUERY_COST', 200_000, 1, 100_000_000),
    // Production defaults to 600 a minute a caller; elsewhere off (the demo loader and the tests send thousands).
    rateLimitPerMinute: integer('GATEWAY_RATE_LIMIT_PER_MINUTE', production ? 600 : 0, 0, 1_000_000),
    introspection: env.GATEWAY_INTROSPECTION ? env.GATEWAY_INTROSPECTION === 'true' : !production,
    logLevel,
    subgraphUrls,
    demoSignIn,
    ...(oidc ? { oidc } : {}),
  };
  if (problems.length) throw new GatewayConfigurationError(problems);
  return config;
}

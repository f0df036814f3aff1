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
  logLevel: string;
  /** Where each subgraph answers, by name (directory, inclusions, …). */
  subgraphUrls: Record<string, string>;
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

  const config: GatewayConfig = {
    port: env.PORT ? integer('PORT', 4000, 0, 65535) : integer('GATEWAY_PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    authSecret,
    maxDepth: integer('GATEWAY_MAX_DEPTH', 10, 1, 100),
    maxQueryBytes: integer('GATEWAY_MAX_QUERY_BYTES', 20_000, 100, 10_000_000),
    maxSelections: integer('GATEWAY_MAX_SELECTIONS', 1_000, 1, 1_000_000),
    logLevel,
    subgraphUrls,
  };
  if (problems.length) throw new GatewayConfigurationError(problems);
  return config;
}

import { assertProductionSecret, DEV_JWT_SECRET } from '@cnrms/auth';

export interface GatewayConfig {
  port: number;
  host: string;
  authSecret: string;
  maxDepth: number;
  maxQueryBytes: number;
  logLevel: string;
}

export class GatewayConfigurationError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new GatewayConfigurationError(`${name} : « ${raw} » doit être un entier entre ${min} et ${max}`);
  return value;
}

/** The gateway's settings, validated at start with a message naming the faulty variable. */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const authSecret = env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
  if (env.NODE_ENV === 'production') {
    try {
      assertProductionSecret(authSecret);
    } catch (error) {
      throw new GatewayConfigurationError(`AUTH_JWT_SECRET : ${(error as Error).message}`);
    }
  } else if (authSecret.length < 32) {
    throw new GatewayConfigurationError('AUTH_JWT_SECRET : doit compter au moins 32 caractères');
  }
  return {
    port: integer(env, 'PORT', integer(env, 'GATEWAY_PORT', 4000, 0, 65535), 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    authSecret,
    maxDepth: integer(env, 'GATEWAY_MAX_DEPTH', 10, 1, 100),
    maxQueryBytes: integer(env, 'GATEWAY_MAX_QUERY_BYTES', 20_000, 100, 10_000_000),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

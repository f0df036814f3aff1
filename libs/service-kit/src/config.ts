import { z, ZodRawShape } from 'zod';
import { assertProductionSecret, DEV_JWT_SECRET } from '@cnrms/auth';

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

const databaseUrl = z
  .string()
  .url('doit être une URL postgres://utilisateur@hôte:port/base')
  .refine((url) => /^postgres(ql)?:\/\//.test(url), 'doit commencer par postgres://');

/** Settings every service reads from its environment. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: databaseUrl.default('postgres://postgres@127.0.0.1:5432/cnrms'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_JWT_SECRET: z.string().min(32, 'doit compter au moins 32 caractères').optional(),
  EVENT_STORE: z.enum(['postgres', 'eventstoredb']).default('postgres'),
  EVENTSTORE_URL: z.string().optional(),
  BUS: z.enum(['postgres', 'kafka']).default('postgres'),
  KAFKA_BROKERS: z.string().optional(),
  /** Prefix of this platform's Kafka consumer groups, so that several platforms can share one broker. */
  KAFKA_GROUP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'lettres, chiffres, « . », « _ » ou « - » seulement')
    .default(''),
};

/**
 * Reads and validates the environment at start. A missing or malformed value stops the service with a
 * message naming the variable, instead of a failure later.
 */
export function loadConfig<Shape extends ZodRawShape>(shape: Shape, env: NodeJS.ProcessEnv = process.env) {
  const schema = z.object({ ...baseConfigShape, ...shape });
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigurationError(result.error.issues.map((issue) => `${issue.path.join('.')} : ${issue.message}`));
  }
  const config = result.data;
  if (config.EVENT_STORE === 'eventstoredb' && !config.EVENTSTORE_URL) throw new ConfigurationError(['EVENTSTORE_URL : requis quand EVENT_STORE=eventstoredb']);
  if (config.BUS === 'kafka' && !config.KAFKA_BROKERS) throw new ConfigurationError(['KAFKA_BROKERS : requis quand BUS=kafka']);
  return config;
}

export type BaseConfig = ReturnType<typeof loadConfig<Record<never, never>>>;

/** Port from the environment, with a readable error. */
export function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError([`${name} : « ${raw} » n'est pas un numéro de port`]);
  return port;
}

export interface ServiceConfig extends BaseConfig {
  port: number;
  /** Secret that verifies the identity the gateway signs for the subgraphs. */
  authSecret: string;
}

/** A service's settings: the shared ones, its port, and the identity secret (the development one is refused in production). */
export function serviceConfig(defaultPort: number, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const base = loadConfig({}, env);
  const authSecret = base.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
  if (base.NODE_ENV === 'production') {
    try {
      assertProductionSecret(authSecret);
    } catch (error) {
      throw new ConfigurationError([`AUTH_JWT_SECRET : ${(error as Error).message}`]);
    }
  }
  return { ...base, port: portFrom(env, 'PORT', defaultPort), authSecret };
}

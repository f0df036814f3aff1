import { parseArgs } from 'node:util';
import { Role, ROLES } from './identity';
import { DEV_JWT_SECRET, issueToken } from './tokens';

export const DEV_TOKEN_USAGE = `usage: dev-token --role <${ROLES.join('|')}> [--role …] [--network <id>]… [--microstructure <id>]…
                 [--professional <id>] [--user <id>] [--name <display name>] [--expires 8h]
secret: AUTH_JWT_SECRET, else the development-only secret (refused when NODE_ENV=production)`;

export type DevTokenOutcome = { ok: true; output: string } | { ok: false; exitCode: number; error: string };

/**
 * Development only: a token for the given roles and scopes, signed with AUTH_JWT_SECRET or the
 * development secret. Pure apart from reading `env`, so that the CLI and its spec share it.
 */
export function devToken(args: string[], env: NodeJS.ProcessEnv): DevTokenOutcome {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        role: { type: 'string', multiple: true },
        network: { type: 'string', multiple: true },
        microstructure: { type: 'string', multiple: true },
        professional: { type: 'string' },
        user: { type: 'string' },
        name: { type: 'string' },
        expires: { type: 'string', default: '8h' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { ok: false, exitCode: 2, error: `${(error as Error).message}\n${DEV_TOKEN_USAGE}` };
  }
  if (values.help) return { ok: true, output: DEV_TOKEN_USAGE };
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (roles.length === 0) return { ok: false, exitCode: 2, error: `--role is required\n${DEV_TOKEN_USAGE}` };
  if (unknown.length > 0) return { ok: false, exitCode: 2, error: `unknown role(s): ${unknown.join(', ')}\n${DEV_TOKEN_USAGE}` };
  const secret = env.AUTH_JWT_SECRET || DEV_JWT_SECRET;
  if (env.NODE_ENV === 'production' && secret === DEV_JWT_SECRET) {
    return { ok: false, exitCode: 2, error: 'NODE_ENV=production: set AUTH_JWT_SECRET, the development secret is refused' };
  }
  try {
    const token = issueToken(
      {
        userId: values.user ?? `dev-${roles[0]}`,
        displayName: values.name,
        roles: roles as Role[],
        networkIds: values.network ?? [],
        microstructureIds: values.microstructure ?? [],
        professionalId: values.professional,
      },
      { secret, expiresIn: values.expires },
    );
    return { ok: true, output: token };
  } catch (error) {
    return { ok: false, exitCode: 2, error: `cannot issue the token: ${(error as Error).message}` };
  }
}

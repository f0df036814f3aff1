/**
 * Issues a development token: `npm run -s dev-token -- --role regional_coordinator --network <id>`.
 * Prints the token only, so that `TOKEN=$(npm run -s dev-token -- …)` works.
 */
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, issueToken, Role, ROLES } from './index';

const usage = `usage: dev-token --role <${ROLES.join('|')}> [--role …] [--network <id>]… [--microstructure <id>]…
                 [--professional <id>] [--user <id>] [--name <display name>] [--expires 8h]
secret: AUTH_JWT_SECRET, else the development secret`;

function main(): void {
  const { values } = parseArgs({
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
  });
  if (values.help) return console.log(usage);
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (roles.length === 0 || unknown.length > 0) {
    console.error(unknown.length ? `unknown role(s): ${unknown.join(', ')}\n${usage}` : `--role is required\n${usage}`);
    process.exit(2);
  }
  const token = issueToken(
    {
      userId: values.user ?? `dev-${roles[0]}`,
      displayName: values.name,
      roles: roles as Role[],
      networkIds: values.network ?? [],
      microstructureIds: values.microstructure ?? [],
      professionalId: values.professional,
    },
    { secret: process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: values.expires },
  );
  console.log(token);
}

main();

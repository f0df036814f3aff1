/**
 * Development only. Issues a token: `npm run -s dev-token -- --role regional_coordinator --network <id>`.
 * Prints the token only (on stdout), so that `TOKEN=$(npm run -s dev-token -- …)` works; errors go to stderr.
 * Run through `node -r ./tools/register.js` (the workspace's path aliases), as the npm script does.
 */
import { devToken } from './dev-token';

const outcome = devToken(process.argv.slice(2), process.env);
if (outcome.ok) {
  process.stdout.write(`${outcome.output}\n`);
} else {
  process.stderr.write(`${outcome.error}\n`);
  process.exit(outcome.exitCode);
}

/**
 * `npm run compose-supergraph`: composes apps/gateway/supergraph.graphql from the subgraphs' committed
 * SDL (apps/<service>/schema.graphql). With `--check`, only checks that they compose (CI) and writes
 * nothing. A subgraph without a committed schema is left out, with a warning on stderr; exit code 1
 * with the composition errors when they do not compose (or when no schema exists at all).
 *
 * Run from the repository root: `node -r ./tools/register.js apps/gateway/src/compose-supergraph.cli.ts [--check]`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from './compose-supergraph';
import { repositoryRoot, schemaPath, subgraphsFromEnvironment } from './subgraphs';

const check = process.argv.includes('--check');
try {
  const { subgraphs, missing } = subgraphsFromEnvironment();
  for (const name of missing) console.warn(`warning: ${path.relative(process.cwd(), schemaPath(name))} does not exist: ${name} is left out of the supergraph`);
  const supergraph = composeSupergraph(subgraphs);
  if (check) {
    console.log(`supergraph composes from ${subgraphs.map((s) => s.name).join(', ')}`);
  } else {
    const file = path.join(repositoryRoot, 'apps', 'gateway', 'supergraph.graphql');
    writeFileSync(file, supergraph);
    console.log(`wrote ${path.relative(process.cwd(), file)} from ${subgraphs.map((s) => s.name).join(', ')}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

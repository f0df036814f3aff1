/**
 * `npm run compose-supergraph`: composes apps/gateway/supergraph.graphql from the subgraphs' committed SDL.
 * With `--check`, only checks that they compose (CI). Exit code 1 with the composition errors otherwise.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from './compose-supergraph';
import { repositoryRoot, subgraphsFromEnvironment } from './subgraphs';

const check = process.argv.includes('--check');
try {
  const { subgraphs, missing } = subgraphsFromEnvironment();
  if (missing.length) throw new Error(`missing subgraph schema(s): ${missing.map((name) => `apps/${name}/schema.graphql`).join(', ')}`);
  const supergraph = composeSupergraph(subgraphs);
  if (check) {
    console.log(`supergraph composes from ${subgraphs.map((s) => s.name).join(', ')}`);
  } else {
    const file = path.join(repositoryRoot, 'apps', 'gateway', 'supergraph.graphql');
    writeFileSync(file, supergraph);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

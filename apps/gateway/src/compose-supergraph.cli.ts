/**
 * `nx run gateway:supergraph` (`npm run compose-supergraph`): composes apps/gateway/supergraph.graphql from the
 * subgraphs' committed SDL (apps/<service>/schema.graphql, from `nx run <service>:sdl`), with each subgraph's
 * default local URL (the gateway sends to `<NAME>_URL`). The gateway serves this committed file.
 * With `--check` (CI, tools/test.sh), writes nothing and exits 1 when the subgraphs do not compose or when
 * the committed supergraph is not what they compose into.
 *
 * Run from the repository root: `node -r ./tools/register.js apps/gateway/src/compose-supergraph.cli.ts [--check]`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from './compose-supergraph';
import { committedSubgraphUrls, loadSubgraphs, schemaPath, supergraphPath } from './subgraphs';

const HEADER = '# Composed by `nx run gateway:supergraph` from apps/<service>/schema.graphql: do not edit.\n';

const check = process.argv.includes('--check');
try {
  const { subgraphs, missing } = loadSubgraphs(committedSubgraphUrls());
  if (missing.length) throw new Error(missing.map((name) => `${path.relative(process.cwd(), schemaPath(name))} does not exist: run \`npx nx run ${name}:sdl\``).join('\n'));
  const supergraph = `${HEADER}${composeSupergraph(subgraphs)}`;
  const file = supergraphPath();
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const relative = path.relative(process.cwd(), file);
  if (check) {
    if (current !== supergraph) throw new Error(`${relative} is not what the subgraphs compose into: run \`npx nx run gateway:supergraph\` and commit it`);
    console.log(`supergraph composes from ${subgraphs.map((s) => s.name).join(', ')}; ${relative} is up to date`);
  } else {
    if (current !== supergraph) writeFileSync(file, supergraph);
    console.log(`${current === supergraph ? 'unchanged' : 'wrote'} ${relative} from ${subgraphs.map((s) => s.name).join(', ')}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

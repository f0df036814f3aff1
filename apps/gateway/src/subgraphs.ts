import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The platform's subgraphs, their default local ports, and where each commits its SDL. */
export const SUBGRAPHS = [
  { name: 'directory', port: 4101 },
  { name: 'inclusions', port: 4102 },
  { name: 'meetings', port: 4103 },
  { name: 'training', port: 4104 },
  { name: 'reporting', port: 4105 },
  { name: 'notifications', port: 4106 },
] as const;

/** One subgraph the supergraph is composed from: its name, where it answers, its SDL. */
export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

/**
 * The checkout's root (package.json beside apps/), from the sources (apps/gateway/src) or from their build
 * (dist/apps/gateway/src).
 */
function findRepositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'apps'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '../../..');
  }
}

export const repositoryRoot = findRepositoryRoot(__dirname);

export function schemaPath(name: string, root = repositoryRoot): string {
  return path.join(root, 'apps', name, 'schema.graphql');
}

/** The composed supergraph, a build artefact committed beside the gateway (`nx run gateway:supergraph`). */
export function supergraphPath(root = repositoryRoot): string {
  return path.join(root, 'apps', 'gateway', 'supergraph.graphql');
}

/** The committed supergraph's SDL; throws, saying how to make it, when it is missing. */
export function readSupergraph(root = repositoryRoot): string {
  const file = supergraphPath(root);
  if (!existsSync(file)) throw new Error(`${file} does not exist: run \`npx nx run gateway:supergraph\` (it composes the subgraphs' committed SDL)`);
  return readFileSync(file, 'utf8');
}

/** The URL each subgraph has in the committed supergraph (the gateway sends to `<NAME>_URL` instead). */
export function committedSubgraphUrls(): Record<string, string> {
  return Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [name, `http://127.0.0.1:${port}/graphql`]));
}

/** `<NAME>_URL` for a subgraph (DIRECTORY_URL, …). */
export function urlVariable(name: string): string {
  return `${name.toUpperCase()}_URL`;
}

/** Each subgraph's URL: `<NAME>_URL`, else `http://127.0.0.1:<port>/graphql`. Not validated here (see config.ts). */
export function defaultSubgraphUrls(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [name, env[urlVariable(name)] || `http://127.0.0.1:${port}/graphql`]));
}

/**
 * The subgraphs whose SDL is committed (`apps/<name>/schema.graphql`, from `nx run <name>:sdl`), with
 * their URL; `missing` names those without a schema yet (left out of the supergraph, with a warning).
 */
export function loadSubgraphs(urls: Record<string, string>, root = repositoryRoot): { subgraphs: SubgraphDefinition[]; missing: string[] } {
  const subgraphs: SubgraphDefinition[] = [];
  const missing: string[] = [];
  for (const { name } of SUBGRAPHS) {
    const file = schemaPath(name, root);
    if (!existsSync(file)) {
      missing.push(name);
      continue;
    }
    subgraphs.push({ name, url: urls[name], sdl: readFileSync(file, 'utf8') });
  }
  return { subgraphs, missing };
}

/** `loadSubgraphs` with the URLs of the environment. */
export function subgraphsFromEnvironment(env: NodeJS.ProcessEnv = process.env, root = repositoryRoot): { subgraphs: SubgraphDefinition[]; missing: string[] } {
  return loadSubgraphs(defaultSubgraphUrls(env), root);
}

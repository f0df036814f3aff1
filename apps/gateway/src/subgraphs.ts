import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The platform's subgraphs, their default local ports, and where each commits its SDL. */
export const SUBGRAPHS = [
  { name: 'directory', port: 4101 },
  { name: 'inclusions', port: 4102 },
  { name: 'meetings', port: 4103 },
  { name: 'training', port: 4104 },
  { name: 'reporting', port: 4105 },
] as const;

/** One subgraph the supergraph is composed from: its name, where it answers, its SDL. */
export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

export const repositoryRoot = path.resolve(__dirname, '../../..');

export function schemaPath(name: string, root = repositoryRoot): string {
  return path.join(root, 'apps', name, 'schema.graphql');
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
 * The subgraphs whose SDL is committed (`apps/<name>/schema.graphql`, written by each service), with
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

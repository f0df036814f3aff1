import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** The platform's subgraphs, their default ports, and where each commits its SDL. */
export const SUBGRAPHS = [
  { name: 'directory', port: 4101 },
  { name: 'inclusions', port: 4102 },
  { name: 'meetings', port: 4103 },
  { name: 'training', port: 4104 },
  { name: 'reporting', port: 4105 },
] as const;

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: string;
}

export const repositoryRoot = path.resolve(__dirname, '../../..');

export function schemaPath(name: string, root = repositoryRoot): string {
  return path.join(root, 'apps', name, 'schema.graphql');
}

/** Each subgraph's URL (`<NAME>_URL`, else its default local port) and committed SDL. */
export function subgraphsFromEnvironment(env: NodeJS.ProcessEnv = process.env, root = repositoryRoot): { subgraphs: SubgraphDefinition[]; missing: string[] } {
  const subgraphs: SubgraphDefinition[] = [];
  const missing: string[] = [];
  for (const { name, port } of SUBGRAPHS) {
    const file = schemaPath(name, root);
    if (!existsSync(file)) {
      missing.push(name);
      continue;
    }
    subgraphs.push({ name, url: env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}/graphql`, typeDefs: readFileSync(file, 'utf8') });
  }
  return { subgraphs, missing };
}

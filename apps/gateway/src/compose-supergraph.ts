import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import { SubgraphDefinition } from './subgraphs';

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`The subgraphs do not compose into a supergraph:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

function describe(error: GraphQLError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? `[${code}] ${error.message}` : error.message;
}

/**
 * Composes the supergraph from the subgraphs' SDL (Federation 2) and returns its SDL. Done at build
 * time (`compose-supergraph.cli.ts`) and at the gateway's start, so that the gateway never needs a
 * subgraph to be up to start. Throws a CompositionError listing every problem, subgraph by subgraph.
 */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  if (subgraphs.length === 0) throw new CompositionError(['no subgraph schema found (apps/<service>/schema.graphql)']);
  const problems: string[] = [];
  const names = new Set<string>();
  const services = subgraphs.flatMap((subgraph) => {
    if (names.has(subgraph.name)) problems.push(`${subgraph.name}: listed twice`);
    names.add(subgraph.name);
    try {
      return [{ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) }];
    } catch (error) {
      problems.push(`${subgraph.name}: its schema does not parse: ${(error as Error).message}`);
      return [];
    }
  });
  if (problems.length) throw new CompositionError(problems);
  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map(describe));
  return result.supergraphSdl;
}

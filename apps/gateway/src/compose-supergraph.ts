import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SubgraphDefinition } from './subgraphs';

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`The subgraphs do not compose into a supergraph:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/**
 * Composes the supergraph from the subgraphs' committed SDL (Federation 2). Done at build time and at
 * the gateway's start, so that the gateway never needs a subgraph to be up to start.
 */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  if (subgraphs.length === 0) throw new CompositionError(['no subgraph schema found (apps/<service>/schema.graphql)']);
  const problems: string[] = [];
  const services = subgraphs.flatMap((subgraph) => {
    try {
      return [{ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.typeDefs) }];
    } catch (error) {
      problems.push(`${subgraph.name}: ${(error as Error).message}`);
      return [];
    }
  });
  if (problems.length) throw new CompositionError(problems);
  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return result.supergraphSdl;
}

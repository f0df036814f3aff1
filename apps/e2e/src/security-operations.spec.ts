import { securityRoles, supergraphOperations, unclassified } from './security-operations';

describe('security suite: the operation list generated from the supergraph', () => {
  const operations = supergraphOperations();

  it('finds the queries and mutations of every subgraph, each with the subgraph resolving it', () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(new Set(operations.map((o) => o.subgraph))).toEqual(new Set(['directory', 'inclusions', 'meetings', 'training', 'reporting']));
    expect(operations.find((o) => o.key === 'Query.patient')).toMatchObject({ kind: 'Query', subgraph: 'inclusions', arguments: [{ name: 'id', type: 'ID!', required: true }] });
  });

  it('classifies every operation in the roles table (docs/security-roles.json), and nothing else', () => {
    expect(unclassified(operations, securityRoles())).toEqual({ missing: [], stale: [], unknownColumn: [] });
  });

  it('fails when a new operation is not classified', () => {
    const withNew = supergraphOperations(`type Query { brandNew: Int }`);
    expect(unclassified(withNew, securityRoles()).missing).toEqual(['Query.brandNew']);
  });
});

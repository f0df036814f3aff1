import { Supergraph } from '@apollo/federation-internals';
import { validate, parse } from 'graphql';
import { composedSupergraphSdl, expectedAnswer, minimalRequest, renderMatrix, satisfies, securityRoles, SecurityRolesWithExpectations, supergraphOperations, unclassified } from './security-operations';

describe('security suite: the operation list generated from the supergraph', () => {
  const operations = supergraphOperations();

  it('finds the queries and mutations of every subgraph, each with the subgraph resolving it', () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(new Set(operations.map((o) => o.subgraph))).toEqual(new Set(['directory', 'inclusions', 'meetings', 'training', 'reporting', 'notifications']));
    expect(operations.find((o) => o.key === 'Query.patient')).toMatchObject({ kind: 'Query', subgraph: 'inclusions', arguments: [{ name: 'id', type: 'ID!', required: true }] });
  });

  it('classifies every operation in the roles table (docs/security-roles.json), and nothing else', () => {
    expect(unclassified(operations, securityRoles())).toEqual({ missing: [], stale: [], unknownColumn: [] });
  });

  it('fails when a new operation is not classified', () => {
    const withNew = supergraphOperations(`type Query { brandNew: Int }`);
    expect(unclassified(withNew, securityRoles()).missing).toEqual(['Query.brandNew']);
  });

  it('has an expected answer for every operation × caller, and renders the matrix (written by the end-to-end run)', () => {
    const roles = securityRoles() as SecurityRolesWithExpectations;
    const cells = operations.flatMap((o) => roles.callers.map((caller) => ({ operation: o.key, caller, expected: expectedAnswer(roles, o.key, caller) })));
    expect(cells).toHaveLength(operations.length * roles.callers.length);
    const markdown = renderMatrix(roles, operations, cells, 'The actual answers are filled by the end-to-end run against a real platform; "not run" means that run has not written this file yet.');
    expect(markdown).toContain('| `Query.patient` | inclusions | patient |');
  });

  it('accepts NOT_FOUND for a denied cell, and nothing else in place of what the table says', () => {
    expect(satisfies('denied', 'NOT_FOUND')).toBe(true);
    expect(satisfies('denied', 'FORBIDDEN')).toBe(true);
    expect(satisfies('denied', 'allowed')).toBe(false);
    expect(satisfies('FORBIDDEN', 'NOT_FOUND')).toBe(false);
    expect(satisfies('UNAUTHENTICATED', 'FORBIDDEN')).toBe(false);
  });

  it('generates, for every operation, a minimal request that the API schema validates', () => {
    const schema = Supergraph.build(composedSupergraphSdl()).apiSchema().toGraphQLJSSchema();
    const ids = { networkId: 'n-1', microstructureId: 'm-1', professionalId: 'p-1', patientId: 'pa-1', inclusionId: 'i-1', meetingId: 'me-1', trainingId: 't-1' };
    const invalid = operations.flatMap((o) => {
      const request = minimalRequest(schema, o, ids, '2026-12-03');
      const errors = validate(schema, parse(request));
      return errors.length ? [`${request}: ${errors.map((e) => e.message).join('; ')}`] : [];
    });
    expect(invalid).toEqual([]);
    expect(minimalRequest(schema, operations.find((o) => o.key === 'Query.patient')!, ids, '2026-12-03')).toBe('query { patient(id: "pa-1") { __typename } }');
  });
});

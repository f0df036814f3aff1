import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectedAnswer, renderMatrix, repositoryRoot, satisfies, securityRoles, SecurityRolesWithExpectations, supergraphOperations, unclassified } from './security-operations';

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

  it('has an expected answer for every operation × caller, and writes the matrix (docs/security-matrix.md)', () => {
    const roles = securityRoles() as SecurityRolesWithExpectations;
    const cells = operations.flatMap((o) => roles.callers.map((caller) => ({ operation: o.key, caller, expected: expectedAnswer(roles, o.key, caller) })));
    expect(cells).toHaveLength(operations.length * roles.callers.length);
    const markdown = renderMatrix(roles, operations, cells, 'The actual answers are filled by the end-to-end run against a real platform; "not run" means that run has not written this file yet.');
    expect(markdown).toContain('| `Query.patient` | inclusions | patient |');
    writeFileSync(path.join(repositoryRoot, 'docs', 'security-matrix.md'), markdown);
  });

  it('accepts NOT_FOUND for a denied cell, and nothing else in place of what the table says', () => {
    expect(satisfies('denied', 'NOT_FOUND')).toBe(true);
    expect(satisfies('denied', 'FORBIDDEN')).toBe(true);
    expect(satisfies('denied', 'allowed')).toBe(false);
    expect(satisfies('FORBIDDEN', 'NOT_FOUND')).toBe(false);
    expect(satisfies('UNAUTHENTICATED', 'FORBIDDEN')).toBe(false);
  });
});

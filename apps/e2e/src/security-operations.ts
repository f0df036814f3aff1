import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  FieldDefinitionNode,
  getNamedType,
  GraphQLInputType,
  GraphQLScalarType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  InputValueDefinitionNode,
  ObjectTypeDefinitionNode,
  TypeNode,
  parse,
} from 'graphql';

/**
 * The security suite's operation list, GENERATED from the composed supergraph (issue #13): every field of
 * `Query` and `Mutation`, with the subgraph that resolves it and its arguments. Nothing is typed by hand, so a
 * new operation appears here as soon as a subgraph's schema.graphql has it, and the completeness check
 * (security-operations.spec.ts) fails until docs/security-roles.json classifies it.
 */
export const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
export const SUBGRAPHS = ['directory', 'inclusions', 'meetings', 'training', 'reporting', 'notifications'] as const;

export interface OperationArgument {
  name: string;
  /** The argument's type as written in the schema, e.g. `ID!`, `[String!]`. */
  type: string;
  required: boolean;
}

export interface SupergraphOperation {
  /** `Query.patient`, `Mutation.addMember`. */
  key: string;
  kind: 'Query' | 'Mutation';
  field: string;
  /** The subgraph resolving it (join__field's graph, lower case). */
  subgraph: string;
  arguments: OperationArgument[];
}

// Node kinds compared as strings: graphql's `Kind` enum is not a runtime value under every transpiler we use.
function typeText(type: TypeNode): string {
  if (type.kind === 'NonNullType') return `${typeText(type.type)}!`;
  if (type.kind === 'ListType') return `[${typeText(type.type)}]`;
  return type.name.value;
}

function resolvingGraph(field: FieldDefinitionNode): string {
  for (const directive of field.directives ?? []) {
    if (directive.name.value !== 'join__field') continue;
    const graph = directive.arguments?.find((a) => a.name.value === 'graph');
    if (graph && graph.value.kind === 'EnumValue') return graph.value.value.toLowerCase();
  }
  return 'unknown';
}

/** Composes the supergraph from the committed subgraph schemas (as the gateway does at start). */
export function composedSupergraphSdl(): string {
  const services = SUBGRAPHS.map((name) => ({
    name,
    url: `http://${name}.invalid/graphql`,
    typeDefs: parse(readFileSync(path.join(repositoryRoot, 'apps', name, 'schema.graphql'), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors || !result.supergraphSdl) throw new Error(`supergraph does not compose: ${result.errors?.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

/** Every Query and Mutation field of the supergraph, sorted by key. */
export function supergraphOperations(sdl: string = composedSupergraphSdl()): SupergraphOperation[] {
  const document = parse(sdl);
  const operations: SupergraphOperation[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== 'ObjectTypeDefinition' && definition.kind !== 'ObjectTypeExtension') continue;
    const kind = definition.name.value;
    if (kind !== 'Query' && kind !== 'Mutation') continue;
    for (const field of (definition as ObjectTypeDefinitionNode).fields ?? []) {
      operations.push({
        key: `${kind}.${field.name.value}`,
        kind,
        field: field.name.value,
        subgraph: resolvingGraph(field),
        arguments: (field.arguments ?? []).map((argument: InputValueDefinitionNode) => ({
          name: argument.name.value,
          type: typeText(argument.type),
          required: argument.type.kind === 'NonNullType',
        })),
      });
    }
  }
  return operations.sort((a, b) => a.key.localeCompare(b.key));
}

export interface SecurityRoles {
  callers: string[];
  columns: Record<string, string>;
  operations: Record<string, string>;
}

export function securityRoles(): SecurityRoles {
  return JSON.parse(readFileSync(path.join(repositoryRoot, 'docs', 'security-roles.json'), 'utf8')) as SecurityRoles;
}

/** Operations of the supergraph that the roles table does not classify, and classified ones that no longer exist. */
export function unclassified(operations: SupergraphOperation[], roles: SecurityRoles): { missing: string[]; stale: string[]; unknownColumn: string[] } {
  const keys = new Set(operations.map((o) => o.key));
  return {
    missing: operations.map((o) => o.key).filter((key) => !(key in roles.operations)),
    stale: Object.keys(roles.operations).filter((key) => !keys.has(key)),
    unknownColumn: Object.entries(roles.operations).filter(([, column]) => !(column in roles.columns)).map(([key]) => key),
  };
}

export type Expected = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'denied';

export interface SecurityRolesWithExpectations extends SecurityRoles {
  expected: Record<string, Record<string, Expected>>;
}

/** The expected answer of one cell: the operation's column of the roles table, for that caller. */
export function expectedAnswer(roles: SecurityRolesWithExpectations, operation: string, caller: string): Expected {
  const column = roles.operations[operation];
  const answer = column === undefined ? undefined : roles.expected[column]?.[caller];
  if (!answer) throw new Error(`the roles table has no expected answer for ${operation} × ${caller}`);
  return answer;
}

/** What a caller got, classified: `denied` accepts FORBIDDEN or NOT_FOUND (indistinguishable by design). */
export function satisfies(expected: Expected, actual: string): boolean {
  if (expected === 'denied') return actual === 'FORBIDDEN' || actual === 'NOT_FOUND';
  return expected === actual;
}

export interface MatrixCell {
  operation: string;
  caller: string;
  expected: Expected;
  /** `allowed`, an error code, or undefined when not run. */
  actual?: string;
}

/** The matrix as markdown: one row per operation, per caller "expected / actual" and ✅ or ❌. */
export function renderMatrix(roles: SecurityRolesWithExpectations, operations: SupergraphOperation[], cells: MatrixCell[], note: string): string {
  const byKey = new Map(cells.map((c) => [`${c.operation}|${c.caller}`, c]));
  const lines = [
    '# Security matrix (generated — do not edit)',
    '',
    `Written by the security suite (\`apps/e2e/src/security-operations.ts\`) from the composed supergraph and the roles table`,
    `[\`security-roles.json\`](security-roles.json) (see [security.md](security.md)). ${note}`,
    '',
    'Each cell: expected / actual. `denied` = FORBIDDEN or NOT_FOUND, indistinguishable.',
    '',
    `| operation | subgraph | column | ${roles.callers.join(' | ')} |`,
    `|---|---|---|${roles.callers.map(() => '---').join('|')}|`,
  ];
  for (const operation of operations) {
    const row = roles.callers.map((caller) => {
      const cell = byKey.get(`${operation.key}|${caller}`);
      const expected = expectedAnswer(roles, operation.key, caller);
      if (!cell?.actual) return `${expected} / not run`;
      return `${expected} / ${cell.actual} ${satisfies(expected, cell.actual) ? '✅' : '❌'}`;
    });
    lines.push(`| \`${operation.key}\` | ${operation.subgraph} | ${roles.operations[operation.key]} | ${row.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The fixture's ids the generated requests use, by argument name (`networkId`, `microstructureId`, …). */
export type FixtureIds = Record<string, string>;

/**
 * A minimal valid-looking request for one operation, generated from the API schema (no hand-typed query):
 * every required argument is filled by its type — an ID from the fixture by the argument's name (`id` by
 * the type the operation answers: `patient` → `patientId`, …, else a made-up UUID), a String named like a date or
 * a month with today, other Strings `"x"`, Int 1, Float 1, Boolean false, an enum its first value, an
 * input object its required fields recursively (and the optional ids the fixture has), a String the fixture
 * gives as `<operation>.<argument>`, a list one element — and the selection is `__typename`,
 * which every object, interface and union has. Optional arguments are left out.
 */
export function minimalRequest(schema: GraphQLSchema, operation: SupergraphOperation, ids: FixtureIds, today: string): string {
  const root = operation.kind === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const field = root?.getFields()[operation.field];
  if (!field) throw new Error(`${operation.key} is not in the API schema`);
  // `id` names what the operation answers (`openMicrostructure(id)` → a Microstructure → `microstructureId`).
  const returned = getNamedType(field.type).name.replace(/^./, (c) => c.toLowerCase());
  const idFor = (name: string): string => {
    const key = name === 'id' || name === 'ids' ? `${returned}Id` : name.replace(/s$/, '');
    return ids[key] ?? ids[name] ?? '00000000-0000-4000-8000-000000000000';
  };
  const valueOf = (type: GraphQLInputType, name: string): string => {
    if (isNonNullType(type)) return valueOf(type.ofType, name);
    if (isListType(type)) return `[${valueOf(type.ofType as GraphQLInputType, name)}]`;
    if (isEnumType(type)) return type.getValues()[0].name;
    if (isInputObjectType(type)) {
      // Required fields, and the optional ids the fixture knows (a training published for the fixture's network).
      const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || (/Id$/.test(f.name) && getNamedType(f.type).name === 'ID' && f.name in ids));
      return `{ ${fields.map((f) => `${f.name}: ${valueOf(f.type, f.name)}`).join(', ')} }`;
    }
    switch ((type as GraphQLScalarType).name) {
      case 'ID':
        return JSON.stringify(idFor(name));
      case 'Int':
      case 'Float':
        return '1';
      case 'Boolean':
        return 'false';
      default:
        // An argument the fixture gives for this operation only (`directoryRebuildProjection.name`).
        if (`${operation.field}.${name}` in ids) return JSON.stringify(ids[`${operation.field}.${name}`]);
        if (/month/i.test(name)) return JSON.stringify(today.slice(0, 7));
        if (/(^from$|^to$|On$|date|Date|since|until)/.test(name)) return JSON.stringify(today);
        if (/Id$/.test(name)) return JSON.stringify(idFor(name));
        return '"x"';
    }
  };
  const args = field.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${valueOf(a.type, a.name)}`);
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${operation.kind === 'Query' ? 'query' : 'mutation'} { ${operation.field}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

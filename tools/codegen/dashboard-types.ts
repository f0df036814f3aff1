/**
 * `nx run dashboard:codegen`: the TypeScript types of the dashboard's GraphQL operations, generated from the
 * committed supergraph (apps/gateway/supergraph.graphql) into apps/dashboard/src/generated/graphql.ts.
 *
 *   node -r ./tools/register.js tools/codegen/dashboard-types.ts [--check]
 *
 * The operations are the dashboard's template strings that start with `query Name` or `mutation Name`
 * (`const NAME = \`query …\``); `${CONSTANT}` inside them is replaced by another such constant of the
 * dashboard's sources (e.g. ANSWER_FIELDS). Each operation is validated against the supergraph (a field
 * that does not exist fails here, not in the browser) and gives `<Name>Query` (or `<Name>Mutation`) and
 * `<Name>Variables`; the enumerations and input types they use are generated too. Operations built at run
 * time (a function's template) or without a name are left out and listed. `--check` writes nothing and
 * exits 1 when the committed file differs (CI, tools/test.sh).
 */
import {
  buildSchema,
  DocumentNode,
  FieldNode,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  TypeNode,
  validate,
} from 'graphql';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const sources = path.join(root, 'apps', 'dashboard', 'src');
const target = path.join(sources, 'generated', 'graphql.ts');

const SCALARS: Record<string, string> = { ID: 'string', String: 'string', Int: 'number', Float: 'number', Boolean: 'boolean', DateTime: 'string' };

export interface FoundOperation {
  name: string;
  file: string;
  text: string;
}

/** Every `const NAME = \`…\`` (or `'…'`) of the dashboard's sources (specs and generated files aside). */
function templateConstants(dir: string): { file: string; name: string; body: string }[] {
  const found: { file: string; name: string; body: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') found.push(...templateConstants(full));
    } else if (/\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name)) {
      const text = readFileSync(full, 'utf8');
      for (const match of text.matchAll(/(?:^|\n)(?:export )?const ([A-Z][A-Z0-9_]*) = (?:`([^`]*)`|'([^'\\\n]*)');/g)) {
        found.push({ file: path.relative(root, full), name: match[1], body: match[2] ?? match[3] });
      }
    }
  }
  return found;
}

/** The dashboard's named operations, with their `${CONSTANT}`s replaced; and those left out, with why. */
export function findOperations(dir = sources): { operations: FoundOperation[]; leftOut: string[] } {
  const constants = templateConstants(dir);
  const byName = new Map<string, string>();
  for (const constant of constants) byName.set(constant.name, constant.body);
  const expand = (body: string, depth = 0): string | null => {
    if (depth > 5) return null;
    let unknown = false;
    const expanded = body.replace(/\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (_, name: string) => {
      const value = byName.get(name);
      if (value === undefined) unknown = true;
      return value ?? '';
    });
    if (unknown) return null;
    return expanded.includes('${') ? expand(expanded, depth + 1) : expanded;
  };
  const operations: FoundOperation[] = [];
  const leftOut: string[] = [];
  for (const constant of constants) {
    const operation = /^\s*(query|mutation)\b\s*([A-Za-z_][A-Za-z0-9_]*)?/.exec(constant.body);
    if (!operation && !/^\s*\{/.test(constant.body)) continue;
    if (!operation?.[2]) {
      leftOut.push(`${constant.file}: ${constant.name} (an operation without a name)`);
      continue;
    }
    const text = expand(constant.body);
    if (text === null) {
      leftOut.push(`${constant.file}: ${constant.name} (interpolates a value that is not a constant of the dashboard)`);
      continue;
    }
    operations.push({ name: operation[2], file: constant.file, text });
  }
  return { operations, leftOut };
}

class Printer {
  private readonly enums = new Set<GraphQLEnumType>();
  private readonly inputs = new Set<GraphQLInputObjectType>();

  constructor(private readonly schema: GraphQLSchema) {}

  operation(operation: OperationDefinitionNode, found: FoundOperation): string {
    const kind = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    const root = operation.operation === 'mutation' ? this.schema.getMutationType() : this.schema.getQueryType();
    if (!root) throw new Error(`${found.file}: the supergraph has no ${kind} type`);
    const variables = (operation.variableDefinitions ?? []).map((definition) => {
      const type = this.inputTypeNode(definition.type);
      const optional = definition.type.kind !== Kind.NON_NULL_TYPE;
      return `  ${definition.variable.name.value}${optional ? '?' : ''}: ${type};`;
    });
    return [
      `/** ${found.name} (${found.file}) */`,
      `export type ${found.name}${kind} = ${this.selection(root, operation.selectionSet, '')};`,
      '',
      `export type ${found.name}Variables = ${variables.length ? `{\n${variables.join('\n')}\n}` : 'Record<string, never>'};`,
    ].join('\n');
  }

  /** Named types the operations used: enumerations and input types. */
  definitions(): string[] {
    const out: string[] = [];
    const inputs = [...this.inputs];
    // Printing an input type may find more of them.
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      const fields = Object.values(input.getFields()).map((field) => `  ${field.name}${isNonNullType(field.type) ? '' : '?'}: ${this.inputType(field.type)};`);
      for (const added of this.inputs) if (!inputs.includes(added)) inputs.push(added);
      out.push(`export type ${input.name} = {\n${fields.join('\n')}\n};`);
    }
    for (const enumeration of [...this.enums].sort((a, b) => a.name.localeCompare(b.name))) {
      out.unshift(`export type ${enumeration.name} = ${enumeration.getValues().map((value) => `'${value.name}'`).join(' | ')};`);
    }
    return out.sort((a, b) => typeName(a).localeCompare(typeName(b)));
  }

  private selection(parent: GraphQLNamedType, selectionSet: SelectionSetNode, indent: string): string {
    if (!isObjectType(parent) && !isInterfaceType(parent)) throw new Error(`a selection on ${parent.name}, which is not an object`);
    const fields = (parent as GraphQLObjectType).getFields();
    const lines = selectionSet.selections.map((selection) => {
      if (selection.kind !== Kind.FIELD) throw new Error(`fragments are not supported by this generator (on ${parent.name})`);
      const field = selection as FieldNode;
      const key = field.alias?.value ?? field.name.value;
      if (field.name.value === '__typename') return `${indent}  ${key}: '${parent.name}';`;
      const definition = fields[field.name.value];
      if (!definition) throw new Error(`${parent.name}.${field.name.value} does not exist`);
      return `${indent}  ${key}: ${this.output(definition.type, field.selectionSet, indent + '  ')};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  private output(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined, indent: string, nullable = true): string {
    if (isNonNullType(type)) return this.output(type.ofType, selectionSet, indent, false);
    const orNull = (value: string) => (nullable ? `${value} | null` : value);
    if (isListType(type)) {
      const item = this.output(type.ofType, selectionSet, indent);
      return orNull(`Array<${item}>`);
    }
    return orNull(this.named(type, selectionSet, indent));
  }

  private named(type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, indent: string): string {
    if (isScalarType(type)) return SCALARS[type.name] ?? 'unknown';
    if (isEnumType(type)) {
      this.enums.add(type);
      return type.name;
    }
    if (!selectionSet) throw new Error(`${type.name} needs a selection`);
    return this.selection(type, selectionSet, indent);
  }

  private inputTypeNode(node: TypeNode): string {
    if (node.kind === Kind.NON_NULL_TYPE) return this.inputTypeNode(node.type).replace(/ \| null$/, '');
    if (node.kind === Kind.LIST_TYPE) return `Array<${this.inputTypeNode(node.type)}> | null`;
    const type = this.schema.getType(node.name.value);
    if (!type) throw new Error(`unknown type ${node.name.value}`);
    return `${this.namedInput(type)} | null`;
  }

  private inputType(type: GraphQLInputType, nullable = true): string {
    if (isNonNullType(type)) return this.inputType(type.ofType, false);
    const value = isListType(type) ? `Array<${this.inputType(type.ofType)}>` : this.namedInput(getNamedType(type));
    return nullable ? `${value} | null` : value;
  }

  private namedInput(type: GraphQLNamedType): string {
    if (isScalarType(type)) return SCALARS[type.name] ?? 'unknown';
    if (isEnumType(type)) this.enums.add(type);
    else if (isInputObjectType(type)) this.inputs.add(type);
    else throw new Error(`${type.name} is not an input type`);
    return type.name;
  }
}

const typeName = (definition: string) => /export type (\w+)/.exec(definition)?.[1] ?? '';

/** The generated file's content. */
export function generate(supergraphSdl: string, dir = sources): { content: string; operations: number; leftOut: string[] } {
  const schema = buildSchema(supergraphSdl);
  const { operations, leftOut } = findOperations(dir);
  const printer = new Printer(schema);
  const printed: string[] = [];
  const names = new Set<string>();
  for (const found of operations.sort((a, b) => a.name.localeCompare(b.name))) {
    if (names.has(found.name)) throw new Error(`${found.file}: two operations are named ${found.name}`);
    names.add(found.name);
    let document: DocumentNode;
    try {
      document = parse(found.text);
    } catch (error) {
      throw new Error(`${found.file}: ${found.name} does not parse: ${(error as Error).message}`);
    }
    const errors = validate(schema, document);
    if (errors.length) throw new Error(`${found.file}: ${found.name} is not valid against the supergraph:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    printed.push(printer.operation(operation, found));
  }
  const header = [
    '// Generated by `nx run dashboard:codegen` (tools/codegen/dashboard-types.ts) from apps/gateway/supergraph.graphql',
    "// and the dashboard's operations: do not edit.",
  ];
  const leftOutNote = leftOut.length ? ['', '// Not generated (their result types are written by hand):', ...leftOut.sort().map((line) => `//   ${line}`)] : [];
  const content = [...header, ...leftOutNote, '', ...printer.definitions().flatMap((d) => [d, '']), ...printed.flatMap((p) => [p, ''])].join('\n');
  return { content, operations: operations.length, leftOut };
}

if (require.main === module) {
  try {
    const supergraph = readFileSync(path.join(root, 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
    const { content, operations, leftOut } = generate(supergraph);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    const relative = path.relative(process.cwd(), target);
    if (process.argv.includes('--check')) {
      if (current !== content) throw new Error(`${relative} is not what the supergraph and the dashboard's operations give: run \`npx nx run dashboard:codegen\` and commit it`);
      console.log(`${relative} is up to date (${operations} operations)`);
    } else {
      if (current !== content) writeFileSync(target, content);
      console.log(`${current === content ? 'unchanged' : 'wrote'} ${relative}: ${operations} operations, ${leftOut.length} left out`);
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

import { printSubgraphSchema } from '@apollo/subgraph';
import { DynamicModule, Global, InjectionToken, Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { SubgraphModule } from './subgraph.module';

export const SDL_HEADER = '# Generated from the service\'s code by `nx run <service>:sdl` (libs/service-kit/src/subgraph-sdl.ts): do not edit. `nx run gateway:supergraph` composes the supergraph from it.\n\n';

// Nest's and @nestjs/graphql's metadata keys (stable public behaviour of their decorators).
const RESOLVER_TYPE = 'graphql:resolver_type';
const PARAM_TYPES = 'design:paramtypes';
const SELF_DECLARED_DEPS = 'self:paramtypes';
const PROPERTY_DEPS = 'self:properties_metadata';

type ModuleEntry = Type<unknown> | DynamicModule | Promise<DynamicModule> | undefined;

const isDynamic = (entry: ModuleEntry): entry is DynamicModule => typeof entry === 'object' && entry !== null && 'module' in entry;
const classOf = (provider: Provider): Type<unknown> | undefined =>
  typeof provider === 'function' ? provider : 'useClass' in provider ? (provider.useClass as Type<unknown>) : undefined;
// `@Resolver()` without a type records the key with an undefined value.
const isResolver = (type: Type<unknown>) => Reflect.hasMetadata(RESOLVER_TYPE, type);

/** What a class's constructor and properties ask to be injected. */
function dependenciesOf(type: Type<unknown>): InjectionToken[] {
  const declared: InjectionToken[] = [...(Reflect.getMetadata(PARAM_TYPES, type) ?? [])];
  for (const { index, param } of (Reflect.getMetadata(SELF_DECLARED_DEPS, type) ?? []) as { index: number; param: InjectionToken }[]) declared[index] = param;
  for (const { type: token } of (Reflect.getMetadata(PROPERTY_DEPS, type) ?? []) as { type: InjectionToken }[]) declared.push(token);
  return declared.filter((token) => token !== undefined && token !== Object);
}

/** Finds, in a service's module tree, its subgraph module and its resolvers. */
function explore(entry: ModuleEntry, found: { subgraphs: DynamicModule[]; resolvers: Type<unknown>[] }, seen = new Set<unknown>()) {
  if (!entry || seen.has(entry) || entry instanceof Promise) return;
  seen.add(entry);
  if (isDynamic(entry) && entry.module === SubgraphModule) {
    found.subgraphs.push(entry);
    return;
  }
  const type = isDynamic(entry) ? entry.module : entry;
  const imports: ModuleEntry[] = [...(Reflect.getMetadata('imports', type) ?? []), ...(isDynamic(entry) ? (entry.imports ?? []) : [])] as ModuleEntry[];
  const providers: Provider[] = [...(Reflect.getMetadata('providers', type) ?? []), ...(isDynamic(entry) ? (entry.providers ?? []) : [])];
  for (const provider of providers) {
    const resolver = classOf(provider);
    if (resolver && isResolver(resolver)) found.resolvers.push(resolver);
  }
  for (const imported of imports) explore(imported, found, seen);
}

/**
 * The subgraph's SDL (federation directives included, types sorted), as the running service serves it:
 * the service's GraphQL module and resolvers, built without a database — every dependency of a resolver is
 * an empty stand-in, since building the schema reads only the decorators.
 */
export async function subgraphSdl(module: DynamicModule): Promise<string> {
  const found = { subgraphs: [] as DynamicModule[], resolvers: [] as Type<unknown>[] };
  explore(module, found);
  if (found.subgraphs.length !== 1) throw new Error(`expected one SubgraphModule in the service's modules, found ${found.subgraphs.length}`);
  const subgraph = found.subgraphs[0];
  const subgraphResolvers = (subgraph.providers ?? []).map(classOf).filter((t): t is Type<unknown> => t !== undefined);
  const resolvers = new Set<unknown>([...found.resolvers, ...subgraphResolvers]);
  const tokens = [...new Set([...found.resolvers, ...subgraphResolvers].flatMap(dependenciesOf))].filter((token) => !resolvers.has(token));

  @Global()
  @Module({})
  class StandIns {}
  @Module({})
  class SdlRoot {}
  const standIns: DynamicModule = { module: StandIns, global: true, providers: tokens.map((token) => ({ provide: token, useValue: {} })), exports: tokens };
  const app = await NestFactory.create({ module: SdlRoot, imports: [standIns, subgraph], providers: found.resolvers }, { logger: false, abortOnError: false });
  try {
    await app.init();
    const schema = app.get(GraphQLSchemaHost).schema;
    return `${SDL_HEADER}${printSubgraphSchema(lexicographicSortSchema(schema)).trim()}\n`;
  } finally {
    await app.close();
  }
}

/**
 * `main.js --sdl <file>` (the `sdl` Nx target): writes the subgraph's SDL to `file`; with `--check`, writes
 * nothing and fails when the file differs from what the code produces (CI).
 */
export async function writeSubgraphSdl(service: string, module: DynamicModule, file: string, check: boolean): Promise<void> {
  const sdl = await subgraphSdl(module);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (check) {
    if (current !== sdl) {
      console.error(`${file} is not the SDL the ${service} code produces: run \`npx nx run ${service}:sdl\` and commit the file.`);
      process.exitCode = 1;
    } else {
      console.log(`${service}: ${file} is up to date`);
    }
    return;
  }
  if (current !== sdl) writeFileSync(file, sdl);
  console.log(`${service}: ${current === sdl ? 'unchanged' : 'wrote'} ${file}`);
}

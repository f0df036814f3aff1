import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraph, CompositionError } from './compose-supergraph';
import { loadSubgraphs, subgraphsFromEnvironment } from './subgraphs';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

describe('composeSupergraph', () => {
  it('composes the subgraphs given as { name, url, sdl }', () => {
    const supergraph = composeSupergraph([
      { name: 'a', url: 'http://127.0.0.1:1/graphql', sdl: `${link}\ntype Query { a: Thing } type Thing @key(fields: "id") { id: ID! }` },
      { name: 'b', url: 'http://127.0.0.1:2/graphql', sdl: `${link}\ntype Thing @key(fields: "id") { id: ID! size: Int }` },
    ]);
    expect(supergraph).toContain('join__graph(name: "a", url: "http://127.0.0.1:1/graphql")');
    expect(supergraph).toContain('size: Int');
  });

  it('lists every problem, with the subgraph and the composition code', () => {
    const attempt = () =>
      composeSupergraph([
        { name: 'a', url: 'http://a/graphql', sdl: `${link}\ntype Query { a: Int }` },
        { name: 'b', url: 'http://b/graphql', sdl: `${link}\ntype Query { a: String }` },
      ]);
    expect(attempt).toThrow(CompositionError);
    expect(attempt).toThrow(/\[[A-Z_]+\].*Query\.a/);
    expect(() => composeSupergraph([{ name: 'broken', url: 'http://x/graphql', sdl: 'type Query {' }])).toThrow(/broken: its schema does not parse/);
    expect(() => composeSupergraph([])).toThrow(/no subgraph schema found/);
  });

  it('composes the schemas the services committed', () => {
    const { subgraphs } = subgraphsFromEnvironment({});
    expect(subgraphs.length).toBeGreaterThan(0);
    expect(() => composeSupergraph(subgraphs)).not.toThrow();
  });
});

describe('loadSubgraphs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'cnrms-compose-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('uses the schemas that exist and names the missing ones', () => {
    mkdirSync(path.join(root, 'apps', 'directory'), { recursive: true });
    writeFileSync(path.join(root, 'apps', 'directory', 'schema.graphql'), `${link}\ntype Query { hello: String }`);
    const { subgraphs, missing } = loadSubgraphs({ directory: 'http://directory:4101/graphql' }, root);
    expect(subgraphs).toEqual([{ name: 'directory', url: 'http://directory:4101/graphql', sdl: expect.stringContaining('hello') }]);
    expect(missing).toEqual(['inclusions', 'meetings', 'training', 'reporting', 'notifications']);
    expect(composeSupergraph(subgraphs)).toContain('hello: String');
  });

  it('takes each URL from <NAME>_URL, else the default local port', () => {
    for (const name of ['directory', 'reporting']) {
      mkdirSync(path.join(root, 'apps', name), { recursive: true });
      writeFileSync(path.join(root, 'apps', name, 'schema.graphql'), `${link}\ntype Query { ${name}: String }`);
    }
    const { subgraphs } = subgraphsFromEnvironment({ REPORTING_URL: 'http://reporting:4105/graphql' }, root);
    expect(subgraphs.map((s) => [s.name, s.url])).toEqual([
      ['directory', 'http://127.0.0.1:4101/graphql'],
      ['reporting', 'http://reporting:4105/graphql'],
    ]);
  });
});

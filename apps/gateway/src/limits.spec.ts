import { buildSchema, parse, validate } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DIRECTORY_QUERY } from './demo-sign-in';
import { queryCostRule, RateLimiter } from './limits';

const schema = buildSchema(`
  type Cell { value: Float, suppressed: Boolean }
  type Answer { code: String, cells: [Cell!]! }
  input Period { from: String, to: String }
  type Query {
    indicator(code: String!, period: Period, groupBy: [String!]): Answer!
    indicators(codes: [String!]!, period: Period, groupBy: [String!]): [Answer!]!
    caseload(page: Int, first: Int): [Answer!]!
    name: String
  }
`);
const costOf = (query: string, budget = 200_000) => validate(schema, parse(query), [queryCostRule(budget)]).map((e) => ({ code: e.extensions.code, cost: e.extensions.cost }));

describe('queryCostRule', () => {
  it('accepts the dashboard’s indicator queries (codes and grouping by variable: counted at their maximum)', () => {
    expect(costOf('query($codes: [String!]!, $groupBy: [String!]) { indicators(codes: $codes, groupBy: $groupBy) { code cells { value suppressed } } }')).toEqual([]);
    expect(costOf('query($code: String!) { indicator(code: $code, groupBy: ["NETWORK"]) { code cells { value } } }')).toEqual([]);
  });

  it('refuses 418 aliased indicator calls and 280 aliased introspections, with their cost', () => {
    const indicators = `{ ${Array.from({ length: 418 }, (_, i) => `a${i}: indicator(code: "new_inclusions") { code }`).join(' ')} }`;
    expect(costOf(indicators)).toEqual([{ code: 'QUERY_TOO_COSTLY', cost: expect.any(Number) }]);
    const introspection = `{ ${Array.from({ length: 280 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ')} }`;
    expect(costOf(introspection)).toEqual([{ code: 'QUERY_TOO_COSTLY', cost: expect.any(Number) }]);
  });

  it('weighs an indicator by the cells it computes, and what a list selects by the page it asks for', () => {
    expect(costOf('{ indicators(codes: ["a", "b", "c"], groupBy: ["SEX", "AGE_BAND"]) { code } }', 17_999)).toEqual([{ code: 'QUERY_TOO_COSTLY', cost: 18_001 }]);
    expect(costOf('{ caseload(first: 100) { code cells { value } } }', 299)).toEqual([{ code: 'QUERY_TOO_COSTLY', cost: 301 }]);
    expect(costOf('{ name }', 1)).toEqual([]);
  });
});

describe('the dashboard’s own queries', () => {
  // Every query and mutation the dashboard sends (constants of its sources, `${FIELDS}` fragments expanded): all of
  // them must stay under the default budget.
  const sources = path.resolve(__dirname, '../../dashboard/src');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? (entry.name === 'generated' ? [] : files(path.join(dir, entry.name))) : /\.tsx?$/.test(entry.name) && !entry.name.includes('.spec.') ? [path.join(dir, entry.name)] : [],
    );
  const constants = new Map<string, string>();
  for (const file of files(sources)) for (const match of readFileSync(file, 'utf8').matchAll(/const ([A-Z][A-Z0-9_]*) = (?:`([^`]*)`|'([^'\n]*)')/g)) constants.set(match[1], match[2] ?? match[3]);
  const expand = (text: string): string => text.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) => expand(constants.get(name) ?? ''));
  const operations = [...constants].filter(([, body]) => /^\s*(query|mutation)\b/.test(body)).map(([name, body]) => [name, expand(body)] as const);

  it.each(operations)('%s stays under the default budget', (_, text) => {
    // The rule prices the text alone: the only rule run, any schema does.
    expect(validate(schema, parse(text), [queryCostRule(200_000)]).filter((e) => e.extensions.code === 'QUERY_TOO_COSTLY')).toEqual([]);
  });

  it('the gateway’s own demo sign-in query stays under it too', () => {
    expect(validate(schema, parse(DIRECTORY_QUERY), [queryCostRule(200_000)])).toEqual([]);
  });

  it('found the dashboard’s queries', () => {
    expect(operations.map(([name]) => name)).toEqual(expect.arrayContaining(['NETWORKS', 'ANSWERS', 'REPORTING', 'CASELOAD']));
  });
});

describe('RateLimiter', () => {
  it('lets a caller through up to its rate, refuses with the wait, and refills with time; callers are apart', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([1, 2, 3].map(() => limiter.take('u-1').allowed)).toEqual([true, true, true]);
    expect(limiter.take('u-1')).toEqual({ allowed: false, retryAfter: 20 });
    expect(limiter.take('u-2').allowed).toBe(true);
    now += 20_000;
    expect(limiter.take('u-1').allowed).toBe(true);
    expect(new RateLimiter(0).take('anyone').allowed).toBe(true);
  });
});

import { buildSchema, parse, validate } from 'graphql';
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
const costOf = (query: string, budget = 20_000) => validate(schema, parse(query), [queryCostRule(budget)]).map((e) => ({ code: e.extensions.code, cost: e.extensions.cost }));

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
    expect(costOf('{ indicators(codes: ["a", "b", "c"], groupBy: ["SEX", "AGE_BAND"]) { code } }', 899)).toEqual([{ code: 'QUERY_TOO_COSTLY', cost: 901 }]);
    expect(costOf('{ caseload(first: 100) { code cells { value } } }', 299)).toEqual([{ code: 'QUERY_TOO_COSTLY', cost: 301 }]);
    expect(costOf('{ name }', 1)).toEqual([]);
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

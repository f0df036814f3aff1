import { ArgumentNode, ASTVisitor, FieldNode, FragmentDefinitionNode, GraphQLError, SelectionSetNode, ValidationContext } from 'graphql';

export const QUERY_TOO_LARGE = 'QUERY_TOO_LARGE';
export const QUERY_TOO_DEEP = 'QUERY_TOO_DEEP';

/**
 * A validation rule refusing an operation that selects more than `max` fields, fragments expanded
 * (aliases make a short query select the same field thousands of times). Introspection fields are
 * not counted. The error carries `extensions.code` QUERY_TOO_LARGE.
 */
export function maxSelectionsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
    }
    const count = (selectionSet: SelectionSetNode, visiting: Set<string>, budget: number): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (total > budget) break;
        if (selection.kind === 'Field') {
          if (selection.name.value.startsWith('__')) continue;
          total += 1;
          if (selection.selectionSet) total += count(selection.selectionSet, visiting, budget - total);
        } else if (selection.kind === 'InlineFragment') {
          total += count(selection.selectionSet, visiting, budget - total);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // A cycle or an unknown fragment is reported by graphql's own rules.
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          total += count(fragment.selectionSet, visiting, budget - total);
          visiting.delete(name);
        }
      }
      return total;
    };
    return {
      OperationDefinition(operation) {
        if (count(operation.selectionSet, new Set(), max) > max) {
          context.reportError(
            new GraphQLError(`Requête trop volumineuse : ${max} champs au plus par opération.`, { nodes: [operation], extensions: { code: QUERY_TOO_LARGE } }),
          );
        }
      },
    };
  };
}

export const QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY';
export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * What one computation of an indicator costs, against a plain field's 1: it scans and groups facts (0.7 s on the
 * national history), where a directory row is read in microseconds. A budget of 200,000 admits a hundred.
 */
const INDICATOR_WEIGHT = 2_000;
/** The most codes `indicators` computes at once (the reporting service refuses more). */
const MAX_CODES = 30;
const INTROSPECTION_WEIGHT: Record<string, number> = { __schema: 1_000, __type: 50 };

/** The length of a literal list argument; `fallback` when it is a variable (validation does not see variables). */
function listLength(args: readonly ArgumentNode[], name: string, fallback: number): number {
  const value = args.find((arg) => arg.name.value === name)?.value;
  if (!value) return 0;
  return value.kind === 'ListValue' ? value.values.length : value.kind === 'Variable' ? fallback : 1;
}

/** `first: 50` or `page: { first: 50 }` as a literal: the children count that many times (at most 1,000). */
function pageSize(args: readonly ArgumentNode[]): number {
  for (const arg of args) {
    const value = arg.name.value === 'first' ? arg.value : arg.value.kind === 'ObjectValue' ? arg.value.fields.find((f) => f.name.value === 'first')?.value : undefined;
    if (value?.kind === 'IntValue') return Math.min(Math.max(Number(value.value), 1), 1_000);
  }
  return 1;
}

/** The weight of one field: an indicator by the cells it computes (codes × (1 + dimensions)), introspection heavily, any other field 1. */
export function fieldWeight(field: FieldNode): number {
  const name = field.name.value;
  const args = field.arguments ?? [];
  if (name in INTROSPECTION_WEIGHT) return INTROSPECTION_WEIGHT[name];
  // A grouping given by variable counts as two dimensions.
  const cuts = 1 + (args.some((arg) => arg.name.value === 'groupBy') ? listLength(args, 'groupBy', 2) : 0);
  if (name === 'indicator' || name === 'indicatorExport') return INDICATOR_WEIGHT * cuts;
  if (name === 'indicators' && args.some((arg) => arg.name.value === 'codes')) return INDICATOR_WEIGHT * Math.max(listLength(args, 'codes', MAX_CODES), 1) * cuts;
  return 1;
}

/**
 * The cost model of the gateway (docs/security.md): every field costs its weight (`fieldWeight`), and what it
 * selects costs as many times as the page it asks for; aliases count each time they appear, fragments are
 * expanded. An operation over `budget` is refused before any subgraph is asked, on its text alone (cheap: the
 * gateway keeps answering others meanwhile), with `extensions.code` QUERY_TOO_COSTLY, its cost and the budget.
 */
export function queryCostRule(budget: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
    }
    const cost = (selectionSet: SelectionSetNode, visiting: Set<string>): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (total > budget) break;
        if (selection.kind === 'Field') {
          total += fieldWeight(selection);
          if (selection.selectionSet) total += pageSize(selection.arguments ?? []) * cost(selection.selectionSet, visiting);
        } else if (selection.kind === 'InlineFragment') {
          total += cost(selection.selectionSet, visiting);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          total += cost(fragment.selectionSet, visiting);
          visiting.delete(name);
        }
      }
      return total;
    };
    return {
      OperationDefinition(operation) {
        const total = cost(operation.selectionSet, new Set());
        if (total > budget) {
          context.reportError(
            new GraphQLError(`Requête trop coûteuse : elle coûterait au moins ${total} unités pour ${budget} au plus ; demandez moins d’indicateurs ou de découpages à la fois.`, {
              nodes: [operation],
              extensions: { code: QUERY_TOO_COSTLY, cost: total, budget },
            }),
          );
        }
      },
    };
  };
}

/**
 * A per-caller rate limit (a token bucket a caller: `perMinute` requests a minute on average, as many at once):
 * the caller is the token's user, else the client's address. 0 turns it off.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  /** Takes one request from the caller's bucket: false when it is empty (seconds to wait in `retryAfter`). */
  take(caller: string): { allowed: boolean; retryAfter: number } {
    if (this.perMinute <= 0) return { allowed: true, retryAfter: 0 };
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(caller) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
    if (bucket.tokens < 1) return { allowed: false, retryAfter: Math.ceil((1 - bucket.tokens) / rate / 1000) };
    bucket.tokens -= 1;
    return { allowed: true, retryAfter: 0 };
  }
}

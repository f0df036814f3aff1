import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Operation names come from the client: keep the label set bounded. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_NAMES = 200;

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly seen = new Set<string>();
  private readonly duration = new Histogram({
    name: 'cnrms_gateway_request_duration_seconds',
    help: 'GraphQL requests through the gateway (count and latency), by operation name and outcome (ok, error, refused)',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'cnrms_gateway_errors_total',
    help: 'GraphQL errors answered by the gateway, by extensions.code (UNAUTHENTICATED, QUERY_TOO_DEEP, FORBIDDEN, …)',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The label for a client-given operation name: 'anonymous', 'invalid', 'other' past 200 names. */
  operationLabel(name: unknown): string {
    if (name === undefined || name === null || name === '') return 'anonymous';
    if (typeof name !== 'string' || !OPERATION_NAME.test(name)) return 'invalid';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= MAX_OPERATION_NAMES) return 'other';
    this.seen.add(name);
    return name;
  }

  observeRequest(operation: string, outcome: 'ok' | 'error' | 'refused', seconds: number): void {
    this.duration.observe({ operation, outcome }, seconds);
  }

  countErrors(codes: readonly string[]): void {
    for (const code of codes) this.errors.inc({ code });
  }
}

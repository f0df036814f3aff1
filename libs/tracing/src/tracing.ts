import { Context, context, isSpanContextValid, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The W3C trace context of one operation, as it is stored with an event (metadata) and travels in a
 * message (Kafka headers, the PostgreSQL bus's envelope). Only ids: never anything about a patient.
 */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const propagator = new W3CTraceContextPropagator();

let provider: NodeTracerProvider | undefined;

export interface TracingHandle {
  /** Whether spans are exported (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set). */
  enabled: boolean;
  /** Sends the spans still buffered (before a process stops, or when a test wants them now); an unreachable collector loses them, never fails the caller. */
  flush(): Promise<void>;
  /** Flushes and stops the exporter (same: never fails). */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on for this process when an OTLP endpoint is configured (the standard
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, OTLP/HTTP), off otherwise (every span is then a no-op and costs
 * nothing). Idempotent: the first call names the process's service (`OTEL_SERVICE_NAME` wins).
 * The exporter and the batch processor read the other standard variables (`OTEL_EXPORTER_OTLP_HEADERS`,
 * `OTEL_BSP_SCHEDULE_DELAY`, …); `OTEL_SDK_DISABLED=true` keeps it off.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingHandle {
  const enabled = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== 'true';
  if (enabled && !provider) {
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service, 'service.namespace': 'cnrms' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
    });
    provider.register({ propagator });
  }
  return {
    enabled: Boolean(provider),
    flush: async () => {
      await provider?.forceFlush().catch(() => undefined);
    },
    shutdown: async () => {
      const current = provider;
      provider = undefined;
      await current?.shutdown().catch(() => undefined);
      trace.disable();
      context.disable();
    },
  };
}

export function tracer(): Tracer {
  return trace.getTracer('cnrms');
}

/** The context a carrier (HTTP headers, event metadata, message envelope) continues; the root one when it has none. */
export function contextFrom(carrier: TraceCarrier | Record<string, string | string[] | undefined> | null | undefined, parent: Context = ROOT_CONTEXT): Context {
  if (!carrier) return parent;
  return propagator.extract(parent, carrier, {
    get: (c, key) => {
      const value = (c as Record<string, unknown>)[key];
      return typeof value === 'string' || Array.isArray(value) ? (value as string | string[]) : undefined;
    },
    keys: (c) => Object.keys(c),
  });
}

/** The W3C trace context of `ctx` (the active one by default), to store or send; empty when there is no span. */
export function carrierOf(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, { set: (c, key, value) => (c[key] = value) });
  return carrier.traceparent ? { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) } : {};
}

/** The carrier of one span. */
export function carrierOfSpan(span: Span): TraceCarrier {
  return carrierOf(trace.setSpan(ROOT_CONTEXT, span));
}

/** Ids of the active span for a log line (`traceId`, `spanId`), none outside a trace. */
export function traceLogFields(ctx: Context = context.active()): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpan(ctx)?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}

export interface SpanOptions {
  kind?: SpanKind;
  /** Ids, names and counts only: never personal data. */
  attributes?: Record<string, string | number | boolean>;
  /** The parent; the active context by default. */
  parent?: Context;
}

/**
 * Runs `work` inside a new span (active while it runs, so that nested spans and log lines belong to
 * it), records a thrown error's type (not its message, which could quote input) and ends the span.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active());
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

export { context, SpanKind, SpanStatusCode, trace };
export type { Context, Span };

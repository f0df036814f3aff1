import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { carrierOf, carrierOfSpan, context, contextFrom, inSpan, trace, traceLogFields, tracer } from './tracing';

describe('trace context', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('travels as a W3C traceparent: a span continued from a carrier belongs to the same trace', async () => {
    const parent = tracer().startSpan('command');
    const carrier = carrierOfSpan(parent);
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const child = tracer().startSpan('relay', {}, contextFrom(carrier));
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    child.end();
    parent.end();
    const relay = exporter.getFinishedSpans().find((span) => span.name === 'relay');
    expect(relay?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('gives nothing to store or log outside a trace', () => {
    expect(carrierOf()).toEqual({});
    expect(traceLogFields()).toEqual({});
    expect(contextFrom({ traceparent: 'not a trace' })).toBe(contextFrom(undefined));
  });

  it('makes a span active while its work runs: nested spans and log lines belong to it', async () => {
    const logged = await inSpan('outer', {}, async (outer) => {
      await inSpan('inner', {}, async () => undefined);
      return { fields: traceLogFields(), outer: outer.spanContext() };
    });
    expect(logged.fields).toEqual({ traceId: logged.outer.traceId, spanId: logged.outer.spanId });
    const inner = exporter.getFinishedSpans().find((span) => span.name === 'inner');
    expect(inner?.parentSpanContext?.spanId).toBe(logged.outer.spanId);
  });
});

import { EventStore, EventToAppend } from '@cnrms/eventsourcing';
import { carrierOf, context, contextFrom, inSpan, SpanKind, SpanStatusCode, trace, tracer } from '@cnrms/tracing';

/**
 * The service's event store, with a span around every append, and the trace context of the command
 * stored in each event's metadata (`traceparent`, `tracestate`: ids only), so that the relay continues
 * the trace when it publishes the event, however late. Everything else is the store itself.
 */
export function tracedEventStore(store: EventStore, service: string): EventStore {
  const appendToStream: EventStore['appendToStream'] = (streamId, events, options) =>
    inSpan('event store append', { attributes: { 'db.system': 'postgresql', 'cnrms.service': service, 'cnrms.events': events.length } }, async () => {
      const carrier = carrierOf();
      const traced: EventToAppend[] = carrier.traceparent ? events.map((event) => ({ ...event, metadata: { ...event.metadata, ...carrier } })) : [...events];
      return store.appendToStream(streamId, traced, options);
    });
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') return appendToStream;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface TracedRequest {
  method?: string;
  originalUrl?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
interface TracedResponse {
  statusCode?: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Continues the caller's trace (the gateway's `traceparent` header) with a server span for a GraphQL
 * request, active while the request is handled: the command's append, its log lines and the subgraph's
 * own calls belong to it. Health and metrics requests are not traced.
 */
export function traceRequest(service: string, req: TracedRequest, res: TracedResponse, next: () => void): void {
  const url = req.originalUrl ?? req.url ?? '';
  if (!url.startsWith('/graphql')) return next();
  const parent = contextFrom(req.headers);
  const span = tracer().startSpan(`${req.method ?? 'POST'} /graphql`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'POST', 'url.path': '/graphql', 'cnrms.service': service } }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode ?? 0);
    if ((res.statusCode ?? 0) >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), next);
}

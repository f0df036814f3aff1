import { Contract } from '@cnrms/contracts';

/** An integration event as it travels between services: the contract's payload and its envelope. */
export interface IntegrationEvent<Payload = unknown> {
  /** Stable id: the same event published twice keeps it, so that consumers drop the second one. */
  eventId: string;
  type: string;
  version: number;
  topic: string;
  /** The aggregate's id: one aggregate's events stay in order (same partition). */
  key: string;
  payload: Payload;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  networkId: string | null;
  /**
   * The client's command id (its Idempotency-Key) of the command that recorded the event, when it gave one:
   * a consumer can tell that a client's change has reached it (reporting's `includingCommand`).
   */
  commandId?: string;
  /** W3C trace context of the operation that recorded the event (ids only), so that consumers continue its trace. */
  traceparent?: string;
  tracestate?: string;
}

/** Kafka headers carrying the envelope (the message value is the payload). */
export const HEADERS = {
  eventId: 'event-id',
  type: 'event-type',
  version: 'schema-version',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  occurredAt: 'occurred-at',
  networkId: 'network-id',
  commandId: 'command-id',
  deadLetterReason: 'dead-letter-reason',
  deadLetterGroup: 'dead-letter-group',
  originalTopic: 'original-topic',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export function envelopeHeaders(event: IntegrationEvent): Record<string, string> {
  return {
    [HEADERS.eventId]: event.eventId,
    [HEADERS.type]: event.type,
    [HEADERS.version]: String(event.version),
    [HEADERS.correlationId]: event.correlationId,
    [HEADERS.occurredAt]: event.occurredAt,
    ...(event.causationId ? { [HEADERS.causationId]: event.causationId } : {}),
    ...(event.networkId ? { [HEADERS.networkId]: event.networkId } : {}),
    ...(event.commandId ? { [HEADERS.commandId]: event.commandId } : {}),
    ...(event.traceparent ? { [HEADERS.traceparent]: event.traceparent } : {}),
    ...(event.tracestate ? { [HEADERS.tracestate]: event.tracestate } : {}),
  };
}

export class MalformedMessage extends Error {
  constructor(reason: string) {
    super(`malformed message: ${reason}`);
    this.name = 'MalformedMessage';
  }
}

/** Rebuilds the envelope from a message's headers, key and value; throws MalformedMessage when it cannot. */
export function envelopeFromMessage(topic: string, key: string | null, headers: Record<string, string | undefined>, value: string | null): IntegrationEvent {
  const need = (name: string) => {
    const header = headers[name];
    if (!header) throw new MalformedMessage(`header ${name} is missing`);
    return header;
  };
  let payload: unknown;
  try {
    payload = JSON.parse(value ?? '');
  } catch {
    throw new MalformedMessage('the value is not JSON');
  }
  const version = Number(need(HEADERS.version));
  if (!Number.isInteger(version)) throw new MalformedMessage(`header ${HEADERS.version} is not an integer`);
  return {
    eventId: need(HEADERS.eventId),
    type: need(HEADERS.type),
    version,
    topic,
    key: key ?? '',
    payload,
    correlationId: need(HEADERS.correlationId),
    causationId: headers[HEADERS.causationId] ?? null,
    occurredAt: need(HEADERS.occurredAt),
    networkId: headers[HEADERS.networkId] ?? null,
    ...(headers[HEADERS.commandId] ? { commandId: headers[HEADERS.commandId] } : {}),
    ...(headers[HEADERS.traceparent] ? { traceparent: headers[HEADERS.traceparent] } : {}),
    ...(headers[HEADERS.tracestate] ? { tracestate: headers[HEADERS.tracestate] } : {}),
  };
}

/**
 * The payload of a consumed integration event, typed by its contract: the one way a consumer reads what it
 * receives (the bus has already decoded it: validated, older versions upcast to the contract's current one).
 * An event of another type is a programming error (a branch reading the wrong contract): refused, never misread.
 */
export function payloadOf<Payload, Input>(contract: Contract<Payload, Input>, event: Pick<IntegrationEvent, 'type' | 'payload'>): Payload {
  if (event.type !== contract.type) throw new Error(`an event ${event.type} read as ${contract.type}`);
  return event.payload as Payload;
}

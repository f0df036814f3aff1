import { ContractRegistry } from '@cnrms/contracts';
import { EventStore, RecordedEvent, Restarter, Subscription } from '@cnrms/eventsourcing';
import { carrierOfSpan, contextFrom, Span, SpanKind, tracer } from '@cnrms/tracing';
import { Pool } from 'pg';
import { readCheckpoint, writeCheckpoint } from './checkpoints';
import { IntegrationEvent } from './envelope';
import { MessageBus } from './message-bus.port';
import { migrateMessaging } from './migrations';

/** Turns one of the service's domain events into what other services may know of it (nothing personal), or null. */
export type Translator = (event: RecordedEvent) => Omit<IntegrationEvent, 'eventId' | 'correlationId' | 'causationId' | 'occurredAt' | 'networkId' | 'commandId'> | null;

export interface RelayOptions {
  name: string;
  store: EventStore;
  /** The service's database and schema, where the relay keeps its position. */
  pool: Pool;
  schema: string;
  categories: readonly string[];
  translate: Translator;
  bus: MessageBus;
  registry: ContractRegistry;
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
  onPublished?: (count: number) => void;
}

export interface Relay {
  /** Events of the relayed categories not published yet (capped at `cap`, 1000 by default): the relay's backlog. */
  backlog(cap?: number): Promise<number>;
  stop(): Promise<void>;
}

/** The integration event of a domain event keeps its id, so a republication is recognised downstream. */
export function toIntegrationEvent(recorded: RecordedEvent, translated: NonNullable<ReturnType<Translator>>): IntegrationEvent {
  return {
    ...translated,
    eventId: recorded.metadata.eventId,
    correlationId: recorded.metadata.correlationId,
    causationId: recorded.metadata.causationId,
    occurredAt: recorded.metadata.occurredAt,
    networkId: recorded.metadata.networkId,
    ...(recorded.metadata.commandId ? { commandId: recorded.metadata.commandId } : {}),
  };
}

/**
 * Publishes a service's integration events: a checkpointed subscription to its own log that translates,
 * validates against the contracts, publishes, and only then moves its position. A crash between the
 * publication and the checkpoint publishes again (consumers drop the repeat); nothing is ever skipped.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  await migrateMessaging(options.pool, options.schema);
  const checkpointName = `relay:${options.name}`;
  let stopped = false;
  let subscription: Subscription | undefined;

  const publishBatch = async (batch: RecordedEvent[]) => {
    // Each published event continues the trace stored with its domain event (a producer span), and carries it on the bus.
    const spans: Span[] = [];
    const events = batch.flatMap((recorded) => {
      const translated = options.translate(recorded);
      if (!translated) return [];
      const event = toIntegrationEvent(recorded, translated);
      options.registry.validateForPublish(event.type, event.version, event.payload);
      if (!recorded.metadata.traceparent) return [event];
      const span = tracer().startSpan(
        `publish ${event.topic}`,
        { kind: SpanKind.PRODUCER, attributes: { 'messaging.destination.name': event.topic, 'messaging.message.id': event.eventId, 'cnrms.event.type': event.type, 'cnrms.relay': options.name } },
        contextFrom(recorded.metadata),
      );
      spans.push(span);
      return [{ ...event, ...carrierOfSpan(span) }];
    });
    try {
      await options.bus.publish(events);
    } finally {
      for (const span of spans) span.end();
    }
    await writeCheckpoint(options.pool, options.schema, checkpointName, batch[batch.length - 1].position);
    options.onPublished?.(events.length);
  };
  const start = async () => {
    const after = await readCheckpoint(options.pool, options.schema, checkpointName);
    if (stopped) return;
    subscription = options.store.subscribeToAll({ after, categories: options.categories }, publishBatch);
    subscription.done.catch((error) => {
      options.onError?.(error);
      if (!stopped) restarter.schedule();
    });
  };
  const restarter = new Restarter(start, options.retryDelayMs ?? 1000, options.onError);
  await start();
  return {
    async backlog(cap = 1000) {
      const after = await readCheckpoint(options.pool, options.schema, checkpointName);
      return (await options.store.readAll({ after, categories: options.categories, maxCount: cap })).length;
    },
    async stop() {
      stopped = true;
      restarter.cancel();
      await subscription?.stop();
    },
  };
}

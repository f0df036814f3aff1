import { randomUUID } from 'node:crypto';
import { Decider, DomainEvent, fold } from '@cnrms/decider';
import { ConcurrencyConflictError, WrongExpectedVersionError } from '../store/errors';
import { EventMetadata, EventStore, GlobalPosition, NO_STREAM, RecordedEvent } from '../store/event-store.port';
import { upcast, Upcaster } from './upcasting';

/** Who acts, and in which flow: copied into the metadata of every event the command records. */
export interface CommandContext {
  actorId: string;
  correlationId: string;
  causationId?: string | null;
  /** Regional network the events belong to; null for national-level facts. */
  networkId: string | null;
}

export interface CommandResult<Event, State> {
  /** Events recorded by this command (empty when the command changed nothing). */
  events: Event[];
  state: State;
  version: number;
  /** Position of the last recorded event, to wait for a projection to catch up. */
  position?: GlobalPosition;
}

export interface CommandHandlerOptions {
  /** Attempts before a concurrency conflict is returned to the caller. */
  maxAttempts?: number;
  upcasters?: readonly Upcaster[];
  clock?: () => Date;
  /** Schema version written on new events (see upcasting). */
  schemaVersions?: Readonly<Record<string, number>>;
}

/**
 * Loads the stream, decides, and appends with the version it read. If someone appended in between, it
 * starts again from the new state, a bounded number of times, then gives up with a conflict error:
 * nothing is ever overwritten silently.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  context: CommandContext,
  options: CommandHandlerOptions = {},
): Promise<CommandResult<Event, State>> {
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const recorded = (await store.readStream(streamId)).map((e) => upcast(e, options.upcasters ?? []));
    const state = fold(decider, recorded.map(toDomainEvent<Event>));
    const version = recorded.length;
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, version };
    try {
      const result = await store.appendToStream(streamId, events.map((e) => withMetadata(e, context, options)), {
        expectedVersion: version === 0 ? NO_STREAM : version,
      });
      return { events, state: events.reduce(decider.evolve, state), version: result.nextExpectedVersion, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= maxAttempts) throw new ConcurrencyConflictError(streamId, attempt);
    }
  }
}

export function toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent): Event {
  return { type: recorded.type, data: recorded.data } as Event;
}

function withMetadata(event: DomainEvent, context: CommandContext, options: CommandHandlerOptions) {
  const metadata: EventMetadata = {
    eventId: randomUUID(),
    correlationId: context.correlationId,
    causationId: context.causationId ?? null,
    actorId: context.actorId,
    networkId: context.networkId,
    occurredAt: (options.clock ?? (() => new Date()))().toISOString(),
    schemaVersion: options.schemaVersions?.[event.type] ?? 1,
  };
  return { type: event.type, data: event.data, metadata };
}

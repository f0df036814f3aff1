import { randomUUID } from 'node:crypto';
import { Decider, DomainEvent, fold } from '@cnrms/decider';
import { ConcurrencyConflictError, WrongExpectedVersionError } from '../store/errors';
import { comparePositions, EventMetadata, EventStore, GlobalPosition, NO_STREAM, RecordedEvent } from '../store/event-store.port';
import { upcast, Upcaster } from './upcasting';

/** Who acts, and in which flow: copied into the metadata of every event the command records. */
export interface CommandContext {
  actorId: string;
  correlationId: string;
  causationId?: string | null;
  /** Regional network the events belong to; null for national-level facts. */
  networkId: string | null;
  /** The client's command id (its Idempotency-Key), when it gave one: recorded with every event of the command. */
  commandId?: string;
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
    ...(context.commandId ? { commandId: context.commandId } : {}),
  };
  return { type: event.type, data: event.data, metadata };
}

/** What a multi-stream command decided on one stream. */
export interface StreamDecision<Event, State> {
  events: Event[];
  /** The stream's state before the command. */
  before: State;
  /** The stream's state once the decided events are applied. */
  state: State;
}

/** The streams a multi-stream command decides on, within one attempt. */
export interface CommandTransaction {
  /** Loads the stream (once per attempt) and decides; the events are appended with the others, together. */
  decide<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, streamId: string, command: Command): Promise<StreamDecision<Event, State>>;
}

export interface MultiStreamResult<T> {
  value: T;
  /** Position of the last recorded event (absent when nothing was recorded). */
  position?: GlobalPosition;
  /** Every event recorded, by stream. */
  events: { streamId: string; type: string }[];
  /**
   * Position of each stream's last recorded event: a projection that follows only some of the streams'
   * categories waits for the last of those, not for `position` (which it may never reach).
   */
  positions?: { streamId: string; position: GlobalPosition }[];
}

/**
 * A command that changes several streams: `body` decides on each (each stream is read once per
 * attempt), then every decided event is appended in ONE `appendToStreams`, each stream with the
 * version it was read at. When another writer got in between, the whole body runs again on the new
 * states; a refusal thrown by a decider writes nothing. The body must not write anything itself.
 */
export async function handleMultiStreamCommand<T>(
  store: EventStore,
  context: CommandContext,
  body: (tx: CommandTransaction) => Promise<T>,
  options: CommandHandlerOptions = {},
): Promise<MultiStreamResult<T>> {
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const decided = new Map<string, { version: number; events: DomainEvent[] }>();
    const tx: CommandTransaction = {
      decide: async (decider, streamId, command) => {
        if (decided.has(streamId)) throw new Error(`Stream ${streamId} decided twice in one command`);
        const recorded = (await store.readStream(streamId)).map((e) => upcast(e, options.upcasters ?? []));
        const before = fold(decider, recorded.map((e) => toDomainEvent(e)));
        const events = decider.decide(command, before);
        decided.set(streamId, { version: recorded.length, events });
        return { events, before, state: events.reduce(decider.evolve, before) };
      },
    };
    const value = await body(tx);
    const appends = [...decided].filter(([, d]) => d.events.length > 0);
    if (appends.length === 0) return { value, events: [] };
    try {
      const results = await store.appendToStreams(
        appends.map(([streamId, d]) => ({
          streamId,
          events: d.events.map((e) => withMetadata(e, context, options)),
          expectedVersion: d.version === 0 ? NO_STREAM : d.version,
        })),
      );
      const position = results.map((r) => r.position).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
      return {
        value,
        position,
        positions: results.map((r, i) => ({ streamId: appends[i][0], position: r.position })),
        events: appends.flatMap(([streamId, d]) => d.events.map((e) => ({ streamId, type: e.type }))),
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= maxAttempts) throw new ConcurrencyConflictError(error.streamId, attempt);
    }
  }
}

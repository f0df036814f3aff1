import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  BACKWARDS,
  EventStoreDBClient,
  Filter,
  FORWARDS,
  jsonEvent,
  Position,
  ReadPosition,
  ResolvedEvent,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { DomainError } from '@cnrms/decider';
import { assertDistinctStreams, checkExpectedVersion, WrongExpectedVersionError } from '../store/errors';
import {
  ANY,
  AppendResult,
  BatchHandler,
  comparePositions,
  EventMetadata,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  GlobalPosition,
  NO_STREAM,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  StreamAppend,
  STREAM_EXISTS,
  streamCategory,
  SubscribeOptions,
  Subscription,
} from '../store/event-store.port';

export interface EventStoreDbEventStoreOptions {
  /** An `esdb://` connection string (e.g. `esdb://eventstore:2113?tls=false`), or a client the caller owns. */
  connectionString?: string;
  client?: EventStoreDBClient;
  /**
   * Prepended to every stream name on the server (e.g. `inclusions.`), the counterpart of the PostgreSQL
   * schema: several services (or test runs) share one EventStoreDB and each only reads its own streams.
   * Stream ids handed to and returned by the port never carry it. Must not start with `$`.
   */
  streamPrefix?: string;
  /** Largest batch handed to a subscription handler; default 500. */
  batchSize?: number;
  /**
   * EventStoreDB only deduplicates event ids within one stream. When true (default), every event id is
   * first reserved in a stream `<prefix>$eventid-<id>` (expected revision "no stream"), so that an id already
   * recorded anywhere is refused like the PostgreSQL store's unique index does. Costs one small write per event.
   */
  uniqueEventIds?: boolean;
  /** A reservation whose append never landed is taken over after this delay; default 30 s. */
  reservationGraceMs?: number;
  /** `readAll` gives up when the server has not reported "caught up" within this delay; default 30 s. */
  readAllTimeoutMs?: number;
}

/** An event id that is already recorded (or being recorded by a concurrent append). */
export class DuplicateEventIdError extends DomainError {
  constructor(readonly eventId: string, readonly streamId: string) {
    super('DUPLICATE_EVENT_ID', `L'événement ${eventId} est déjà enregistré (flux ${streamId}).`, 'CONFLICT', { eventId, streamId });
    this.name = 'DuplicateEventIdError';
  }
}

const RESERVED = 'EventIdReserved';
const RELEASED = 'EventIdReleased';
/** EventStoreDB reports "no position" as the largest unsigned 64-bit value (servers before 22.6 on stream reads). */
const NO_POSITION = 18446744073709551615n;

interface Reservation {
  stream: string;
  revision: bigint;
}

interface ReservationData {
  streamId: string;
  reservedAt: number;
}

/**
 * Event store on EventStoreDB (gRPC client `@eventstore/db-client`).
 *
 * - Versions: the port's version n (from 1) is EventStoreDB's revision n - 1.
 * - Positions: EventStoreDB's commit/prepare positions of the transaction log, as they are.
 * - `readAll` and `subscribeToAll` filter on the server (stream name prefix `<prefix><category>-`, or a
 *   regular expression that leaves out system streams `$...` and the event-id reservation streams).
 *   The 6.x client's `readAll` takes no filter, so `readAll` is a filtered catch-up subscription closed when
 *   the server says "caught up" (EventStoreDB 23.10 or later) or when `maxCount` events arrived.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly batchSize: number;
  private readonly uniqueEventIds: boolean;
  private readonly reservationGraceMs: number;
  private readonly readAllTimeoutMs: number;

  constructor(options: EventStoreDbEventStoreOptions) {
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.connectionString) {
      this.client = EventStoreDBClient.connectionString(options.connectionString);
      this.ownsClient = true;
    } else {
      throw new Error('EventStoreDbEventStore: give a connectionString or a client.');
    }
    this.prefix = options.streamPrefix ?? '';
    if (this.prefix.startsWith('$')) throw new Error('EventStoreDbEventStore: the stream prefix must not start with "$".');
    this.batchSize = options.batchSize ?? 500;
    this.uniqueEventIds = options.uniqueEventIds ?? true;
    this.reservationGraceMs = options.reservationGraceMs ?? 30_000;
    this.readAllTimeoutMs = options.readAllTimeoutMs ?? 30_000;
  }

  async appendToStream(streamId: string, events: readonly EventToAppend[], options: { expectedVersion?: ExpectedVersion } = {}): Promise<AppendResult> {
    const expected = options.expectedVersion ?? ANY;
    const stream = this.serverStream(streamId);
    if (events.length === 0) {
      const last = await this.lastEvent(stream);
      const current = last ? Number(last.revision) + 1 : 0;
      checkExpectedVersion(streamId, expected, current);
      return { nextExpectedVersion: current, position: START };
    }

    const reservations = this.uniqueEventIds ? await this.reserveAll(streamId, events) : [];
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map((event) =>
          jsonEvent({ id: event.metadata.eventId, type: event.type, data: event.data as never, metadata: event.metadata as never }),
        ),
        { expectedRevision: toExpectedRevision(expected) },
      );
      const nextExpectedVersion = Number(result.nextExpectedRevision) + 1;
      return { nextExpectedVersion, position: await this.appendedPosition(stream, result.nextExpectedRevision, result.position) };
    } catch (error) {
      await this.releaseAll(reservations);
      if (error instanceof EsdbWrongExpectedVersionError) {
        throw new WrongExpectedVersionError(streamId, expected, fromCurrentRevision(error.actualVersion));
      }
      throw error;
    }
  }

  /**
   * EventStoreDB has no transaction across streams: every expected version is checked first, then the
   * streams are appended one after the other, each with its expected version. A concurrent writer
   * between the check and the appends, or a crash between two appends, CAN leave a partial change here
   * (unlike the PostgreSQL store). `docs/write-path.md` says what this means for the services.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    for (const { streamId, expectedVersion } of appends) {
      const last = await this.lastEvent(this.serverStream(streamId));
      checkExpectedVersion(streamId, expectedVersion ?? ANY, last ? Number(last.revision) + 1 : 0);
    }
    const results: AppendResult[] = [];
    for (const { streamId, events, expectedVersion } of appends) results.push(await this.appendToStream(streamId, events, { expectedVersion }));
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    if (options.maxCount === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(this.serverStream(streamId), {
        direction: FORWARDS,
        fromRevision: BigInt(Math.max(fromVersion, 1) - 1),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        resolveLinkTos: false,
      });
      for await (const resolved of read) {
        const event = this.toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return Promise.resolve([]);
    const after = options.after ?? START;
    return new Promise<RecordedEvent[]>((resolve, reject) => {
      const found: RecordedEvent[] = [];
      const subscription = this.client.subscribeToAll({ fromPosition: toReadPosition(after), resolveLinkTos: false, filter: this.filter(options.categories) });
      let finished = false;
      const finish = (error?: unknown) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        subscription.removeAllListeners('readable');
        void subscription.unsubscribe().catch(() => undefined);
        if (error) reject(error);
        else resolve(found);
      };
      // Paused mode: everything pushed before the "caught up" message is in the buffer when it arrives.
      const drain = () => {
        try {
          let resolved: AllStreamResolvedEvent | null;
          while (!finished && found.length < maxCount && (resolved = subscription.read() as AllStreamResolvedEvent | null) !== null) {
            const event = this.toRecordedEvent(resolved, after, options.categories);
            if (event) found.push(event);
          }
          if (found.length >= maxCount) finish();
        } catch (error) {
          finish(error);
        }
      };
      const timer = setTimeout(
        () => finish(new Error(`EventStoreDB did not report "caught up" within ${this.readAllTimeoutMs} ms (readAll needs EventStoreDB 23.10 or later).`)),
        this.readAllTimeoutMs,
      );
      subscription.on('readable', drain);
      subscription.once('caughtUp', () => {
        drain();
        finish();
      });
      subscription.on('error', (error) => finish(error));
      subscription.once('end', () => {
        drain();
        finish(finished ? undefined : new Error('EventStoreDB closed the read of $all before it caught up.'));
      });
    });
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    const batchSize = this.batchSize;
    let subscription: AllStreamSubscription | undefined;
    const buffer: RecordedEvent[] = [];
    let stopped = false;
    let ended = false;
    let failure: { error: unknown } | undefined;
    let signal: (() => void) | undefined;
    const notify = () => {
      const wake = signal;
      signal = undefined;
      wake?.();
    };
    let last: GlobalPosition = options.after ?? START;

    const run = async () => {
      try {
        subscription = this.client.subscribeToAll({
          fromPosition: toReadPosition(last),
          resolveLinkTos: false,
          filter: this.filter(options.categories),
        });
        const source = subscription;
        source.on('data', (resolved: AllStreamResolvedEvent) => {
          if (stopped) return;
          try {
            const event = this.toRecordedEvent(resolved, last, options.categories);
            if (!event) return;
            buffer.push(event);
          } catch (error) {
            failure ??= { error };
          }
          // Back-pressure: the gRPC stream waits while a full batch is queued for the handler.
          if (buffer.length >= batchSize) source.pause();
          notify();
        });
        source.on('error', (error) => {
          failure ??= { error };
          notify();
        });
        source.once('end', () => {
          ended = true;
          notify();
        });

        while (!stopped) {
          if (failure) throw failure.error;
          if (buffer.length === 0) {
            if (ended) throw new Error('EventStoreDB closed the subscription to $all.');
            await new Promise<void>((resolve) => (signal = resolve));
            continue;
          }
          const batch = buffer.splice(0, batchSize).filter((event) => comparePositions(event.position, last) > 0);
          if (source.isPaused() && buffer.length < batchSize) source.resume();
          if (batch.length === 0) continue;
          await handler(batch);
          last = batch[batch.length - 1].position;
        }
      } catch (error) {
        stopped = true;
        options.onError?.(error);
        throw error;
      } finally {
        await subscription?.unsubscribe().catch(() => undefined);
      }
    };

    const done = run();
    done.catch(() => undefined); // observed through `done`
    return {
      done,
      async stop() {
        stopped = true;
        notify();
        await done.catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.dispose();
  }

  // --- names and filters ---------------------------------------------------------------------------

  private serverStream(streamId: string): string {
    return `${this.prefix}${streamId}`;
  }

  private reservationStream(eventId: string): string {
    return `${this.prefix}$eventid-${eventId}`;
  }

  /** Server-side filter: the categories' prefixes, else every stream of the prefix but system and reservation streams. */
  private filter(categories: readonly string[] | undefined): Filter {
    if (categories) {
      // An empty list matches nothing: a prefix no stream can have (stream ids never hold a NUL).
      const prefixes = categories.length > 0 ? categories.map((category) => `${this.prefix}${category}-`) : [`${this.prefix}\u0000`];
      return streamNameFilter({ prefixes });
    }
    return streamNameFilter({ regex: `^${escapeRegex(this.prefix)}[^$]` });
  }

  /** Maps a server event to the port's, or undefined when it is not one of this store's events. */
  private toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent, after?: GlobalPosition, categories?: readonly string[]): RecordedEvent | undefined {
    const event = resolved.event;
    if (!event || !event.streamId.startsWith(this.prefix)) return undefined;
    const streamId = event.streamId.slice(this.prefix.length);
    if (streamId.startsWith('$') || event.type.startsWith('$')) return undefined;
    if (categories && !categories.includes(streamCategory(streamId))) return undefined;
    const position = toGlobalPosition(event.position);
    if (after && comparePositions(position, after) <= 0) return undefined;
    if (!event.isJson) throw new Error(`EventStoreDB event ${event.id} of ${event.streamId} is not JSON.`);
    return {
      streamId,
      streamVersion: Number(event.revision) + 1,
      position,
      type: event.type,
      data: event.data,
      metadata: toMetadata(event.metadata, event.id),
      recordedAt: event.created,
    };
  }

  // --- appends ----------------------------------------------------------------------------------------

  private async lastEvent(stream: string) {
    try {
      for await (const resolved of this.client.readStream(stream, { direction: BACKWARDS, fromRevision: 'end', maxCount: 1 })) {
        return resolved.event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  /** The position of the last appended event, read back so that it equals what readers see. */
  private async appendedPosition(stream: string, revision: bigint, reported: Position | undefined): Promise<GlobalPosition> {
    try {
      for await (const resolved of this.client.readStream(stream, { direction: FORWARDS, fromRevision: revision, maxCount: 1 })) {
        const position = resolved.event?.position;
        if (position && position.commit !== NO_POSITION) return { commit: position.commit, prepare: position.prepare };
      }
    } catch {
      // fall back to what the append reported
    }
    return toGlobalPosition(reported);
  }

  private async reserveAll(streamId: string, events: readonly EventToAppend[]): Promise<Reservation[]> {
    const results = await Promise.allSettled(events.map((event) => this.reserve(event.metadata.eventId, streamId)));
    const reserved = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      await this.releaseAll(reserved);
      throw failed.reason;
    }
    return reserved;
  }

  private async reserve(eventId: string, streamId: string): Promise<Reservation> {
    const stream = this.reservationStream(eventId);
    const marker = () => jsonEvent({ type: RESERVED, data: { streamId, reservedAt: Date.now() } satisfies ReservationData });
    try {
      await this.client.appendToStream(stream, marker(), { expectedRevision: 'no_stream' });
      return { stream, revision: 0n };
    } catch (error) {
      if (!(error instanceof EsdbWrongExpectedVersionError)) throw error;
    }
    // Already reserved once: free again if released, or if its append never landed and the grace delay passed.
    const last = await this.lastEvent(stream);
    if (!last) throw new DuplicateEventIdError(eventId, streamId);
    if (last.type === RESERVED) {
      const data = last.data as unknown as ReservationData;
      if (Date.now() - data.reservedAt < this.reservationGraceMs || (await this.streamHoldsEvent(data.streamId, eventId))) {
        throw new DuplicateEventIdError(eventId, data.streamId);
      }
    }
    try {
      const result = await this.client.appendToStream(stream, marker(), { expectedRevision: last.revision });
      return { stream, revision: result.nextExpectedRevision };
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) throw new DuplicateEventIdError(eventId, streamId);
      throw error;
    }
  }

  private async releaseAll(reservations: readonly Reservation[]): Promise<void> {
    await Promise.all(
      reservations.map((reservation) =>
        this.client
          .appendToStream(reservation.stream, jsonEvent({ type: RELEASED, data: { releasedAt: Date.now() } }), { expectedRevision: reservation.revision })
          .catch(() => undefined), // a reservation left behind is taken over after the grace delay
      ),
    );
  }

  private async streamHoldsEvent(streamId: string, eventId: string): Promise<boolean> {
    try {
      for await (const resolved of this.client.readStream(this.serverStream(streamId), { direction: BACKWARDS, fromRevision: 'end' })) {
        if (resolved.event?.id === eventId) return true;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return false;
      throw error;
    }
    return false;
  }
}

export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === ANY) return 'any';
  if (expected === NO_STREAM) return 'no_stream';
  if (expected === STREAM_EXISTS) return 'stream_exists';
  if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`Invalid expected version: ${String(expected)}`);
  return expected === 0 ? 'no_stream' : BigInt(expected - 1);
}

function fromCurrentRevision(actual: bigint | 'no_stream' | undefined): number {
  return typeof actual === 'bigint' ? Number(actual) + 1 : 0;
}

export function toReadPosition(position: GlobalPosition): ReadPosition {
  return position.commit === 0n && position.prepare === 0n ? 'start' : { commit: position.commit, prepare: position.prepare };
}

function toGlobalPosition(position: Position | undefined): GlobalPosition {
  // Stream reads on servers before 22.6 carry no position: START stands for "unknown".
  if (!position || position.commit === NO_POSITION) return START;
  return { commit: position.commit, prepare: position.prepare };
}

function toMetadata(metadata: unknown, eventId: string): EventMetadata {
  if (metadata && typeof metadata === 'object' && !(metadata instanceof Uint8Array)) return metadata as EventMetadata;
  throw new Error(`EventStoreDB event ${eventId} has no JSON metadata.`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

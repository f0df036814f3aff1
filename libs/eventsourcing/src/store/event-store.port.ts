/**
 * The event store port. Streams are named `<category>-<id>`; versions start at 1 (the first event of a
 * stream has version 1; an empty stream is at version 0). Every adapter passes the contract suite in
 * `event-store.contract.ts`.
 */

/** Position in the global log. Ordered by `commit`, then `prepare` (EventStoreDB's commit/prepare
 *  positions; in PostgreSQL the transaction id and the row's global position). */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: GlobalPosition = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function formatPosition(position: GlobalPosition): string {
  return `${position.commit}/${position.prepare}`;
}

/** What every event carries besides its data. */
export interface EventMetadata {
  eventId: string;
  correlationId: string;
  causationId: string | null;
  /** Who acted: a user id, or `system:<component>` for the platform itself. */
  actorId: string;
  /** The regional network the event belongs to (null for national-level facts). */
  networkId: string | null;
  /** ISO time at which the command was handled. */
  occurredAt: string;
  /** The client's command id (Idempotency-Key) of the command that recorded it, when given. */
  commandId?: string;
  /** Version of the event's data schema (see upcasting); 1 when absent. */
  schemaVersion?: number;
  /** W3C trace context of the command that recorded it (ids only; set by the tracing decorator of the store), continued by the relay. */
  traceparent?: string;
  tracestate?: string;
}

export interface EventToAppend {
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  streamId: string;
  streamVersion: number;
  position: GlobalPosition;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
}

/** Expected version of a stream before an append. */
export type ExpectedVersion = typeof NO_STREAM | typeof ANY | typeof STREAM_EXISTS | number;
export const NO_STREAM = 'no_stream' as const;
export const ANY = 'any' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

export interface AppendResult {
  /** Version of the stream's last event after the append. */
  nextExpectedVersion: number;
  /** Position of the last appended event. */
  position: GlobalPosition;
}

export interface ReadStreamOptions {
  /** First version to read (inclusive); default 1. */
  fromVersion?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; default: from the start. */
  after?: GlobalPosition;
  /** Only streams of these categories (the part of the stream id before the first dash). */
  categories?: readonly string[];
  maxCount?: number;
}

export interface SubscribeOptions extends ReadAllOptions {
  /** The most events handed to the handler at once, where the store reads in batches (PostgreSQL: 500 by default). */
  batchSize?: number;
  /** Called when the subscription stops because the handler or the store failed. */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Stops delivering; resolves once the handler in progress (if any) has returned. */
  stop(): Promise<void>;
  /** Resolves when stopped, rejects when the handler or the store failed (the subscription is then stopped). */
  readonly done: Promise<void>;
}

/** Handles events in global order, one batch at a time; the next batch waits for the returned promise. */
export type BatchHandler = (events: RecordedEvent[]) => Promise<void>;

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: readonly EventToAppend[];
  expectedVersion?: ExpectedVersion;
}

export interface EventStore {
  appendToStream(streamId: string, events: readonly EventToAppend[], options?: { expectedVersion?: ExpectedVersion }): Promise<AppendResult>;
  /**
   * Appends to several streams as one change: every expected version is checked, then every event is
   * written, or nothing is (PostgreSQL and in-memory: one transaction; see the EventStoreDB adapter for
   * what it can guarantee). A stream may appear once only. Results are in the order of `appends`.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in version order; empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of the global log in order. Never returns an event while an earlier one may still commit. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live subscription to the global log. */
  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription;
  close(): Promise<void>;
}

export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

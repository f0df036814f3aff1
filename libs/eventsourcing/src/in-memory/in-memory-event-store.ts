import { EventEmitter } from 'node:events';
import { assertDistinctStreams, checkExpectedVersion } from '../store/errors';
import {
  AppendResult,
  BatchHandler,
  comparePositions,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  streamCategory,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../store/event-store.port';
import { pollingSubscription } from '../store/polling-subscription';

/** For unit tests of handlers and projections: same semantics as the PostgreSQL store, kept in memory. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly eventIds = new Set<string>();
  private readonly appended = new EventEmitter().setMaxListeners(0);

  async appendToStream(streamId: string, events: readonly EventToAppend[], options: { expectedVersion?: ExpectedVersion } = {}): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, events, expectedVersion: options.expectedVersion }]);
    return result;
  }

  /** Every check first (versions, event ids), then every write: nothing is written when one check fails. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    const ids = new Set<string>();
    for (const { streamId, events, expectedVersion } of appends) {
      checkExpectedVersion(streamId, expectedVersion ?? 'any', this.streams.get(streamId)?.length ?? 0);
      for (const event of events) {
        if (this.eventIds.has(event.metadata.eventId) || ids.has(event.metadata.eventId)) throw new Error(`Duplicate event id ${event.metadata.eventId}`);
        ids.add(event.metadata.eventId);
      }
    }
    // Serialising here is what makes the check and the write one step (JSON.stringify throws like the database would).
    const prepared = appends.map(({ events }) => events.map((event) => ({ event, data: copy(event.data), metadata: copy(event.metadata) })));
    const recordedAt = new Date();
    const results = appends.map(({ streamId }, index) => {
      const stream = this.streams.get(streamId) ?? [];
      for (const { event, data, metadata } of prepared[index]) {
        const position = BigInt(this.log.length + 1);
        const recorded: RecordedEvent = {
          streamId,
          streamVersion: stream.length + 1,
          position: { commit: position, prepare: position },
          type: event.type,
          data,
          metadata,
          recordedAt,
        };
        stream.push(recorded);
        this.log.push(recorded);
        this.eventIds.add(event.metadata.eventId);
      }
      this.streams.set(streamId, stream);
      const last = stream[stream.length - 1];
      return { nextExpectedVersion: stream.length, position: prepared[index].length > 0 ? last.position : START };
    });
    if (prepared.some((events) => events.length > 0)) this.appended.emit('appended');
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromVersion ?? 1;
    const events = (this.streams.get(streamId) ?? []).filter((e) => e.streamVersion >= from);
    return events.slice(0, options.maxCount ?? events.length).map(copyEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const categories = options.categories ? new Set(options.categories) : undefined;
    const result: RecordedEvent[] = [];
    for (const event of this.log) {
      if (comparePositions(event.position, after) <= 0) continue;
      if (categories && !categories.has(streamCategory(event.streamId))) continue;
      result.push(copyEvent(event));
      if (result.length >= (options.maxCount ?? Infinity)) break;
    }
    return result;
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    return pollingSubscription(this, options, handler, (wake) => {
      this.appended.on('appended', wake);
      return () => this.appended.off('appended', wake);
    });
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }
}

/** Events are stored as JSON, as in the real stores: what a caller mutates afterwards does not leak in. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copyEvent(event: RecordedEvent): RecordedEvent {
  return { ...event, data: copy(event.data), metadata: copy(event.metadata) };
}

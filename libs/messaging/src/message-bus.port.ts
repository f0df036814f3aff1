import { TopicDefinition } from '@cnrms/contracts';
import { Pool, PoolClient } from 'pg';
import { IntegrationEvent } from './envelope';

/**
 * Handles one integration event inside the consumer's database transaction: its writes, the
 * idempotency record and (on the PostgreSQL bus) the consumer's position commit together.
 */
export type MessageHandler = (event: IntegrationEvent, tx: PoolClient) => Promise<void>;
/**
 * Handles the new events of a delivered batch at once, in their order (set-based: a few statements for the
 * batch, not a few per event); the same effect as `MessageHandler` on each of them in turn.
 */
export type BatchHandler = (events: readonly IntegrationEvent[], tx: PoolClient) => Promise<void>;

export interface DeadLetter {
  group: string;
  topic: string;
  eventId: string | null;
  reason: string;
}

export interface ConsumerOptions {
  /** The consumer group: one per service (each service sees every event once). */
  group: string;
  topics: readonly string[];
  /** The consumer's database and schema: idempotency records live beside its read models. */
  pool: Pool;
  schema: string;
  handler: MessageHandler;
  /**
   * Optional: the batch's new events handed over together (`consumeBatch`) instead of one by one. The
   * event-by-event path (`handler`) still serves a batch that failed, a dead letter's replay, parked events.
   */
  batchHandler?: BatchHandler;
  /**
   * The most events taken in one transaction (default 500): a batch handler whose cost is mostly per batch, not per
   * event, drains a backlog faster with more. Delivered batches are smaller when fewer events are waiting.
   */
  maxBatch?: number;
  /**
   * True when the handlers themselves keep each event id and ignore one seen before (an inbox keyed by it, in the
   * same transaction): the group's `messaging_processed` row is then not written (one index entry per event fewer),
   * and a redelivered event reaches the handler again, which changes nothing.
   */
  handlersRecordEventIds?: boolean;
  /** Attempts of a failing handler before the message goes to the dead-letter topic; default 3. */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Told of every dead letter (for logs and metrics); the consumer goes on regardless. */
  onDeadLetter?: (deadLetter: DeadLetter) => void;
  onError?: (error: unknown) => void;
}

export interface Consumer {
  stop(): Promise<void>;
}

/** The integration bus: Kafka in the distributed mode, the PostgreSQL event log in the embedded mode. */
export interface MessageBus {
  /** Creates the topics (and their dead-letter topics) with explicit partitions and retention. */
  ensureTopics(topics: readonly TopicDefinition[]): Promise<void>;
  /** Resolves once the bus has durably accepted every event (acks from all in-sync replicas). */
  publish(events: readonly IntegrationEvent[]): Promise<void>;
  subscribe(options: ConsumerOptions): Promise<Consumer>;
  /**
   * Puts the dead letters of a topic back on it (after a fix), from where the last replay stopped;
   * consumers that handled them already skip them. With `group`, only that consumer group's dead letters.
   * Resolves with how many were put back.
   */
  replayDeadLetters(topic: string, group?: string): Promise<number>;
  close(): Promise<void>;
}

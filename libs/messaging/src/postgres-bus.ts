import { ContractRegistry, deadLetterTopic, TopicDefinition } from '@cnrms/contracts';
import { ANY, PostgresEventStore, RecordedEvent, Restarter, Subscription } from '@cnrms/eventsourcing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { readCheckpoint, writeCheckpoint } from './checkpoints';
import { consumeBatch, consumeOnce } from './consume';
import { IntegrationEvent } from './envelope';
import { Consumer, ConsumerOptions, MessageBus } from './message-bus.port';
import { migrateMessaging } from './migrations';

interface DeadLetterRecord {
  event: IntegrationEvent;
  group: string;
  reason: string;
}

/**
 * The embedded mode's bus: integration events appended to a PostgreSQL event log (schema `bus` by
 * default), one stream per topic and key (`<topic>-<key>`, so a topic is a stream category), read by
 * checkpointed subscriptions. Same guarantees as Kafka: at-least-once delivery, per-key order,
 * idempotent handling, dead letters on `<topic>.dlq`.
 */
export class PostgresMessageBus implements MessageBus {
  private readonly log: PostgresEventStore;
  private readonly schema: string;
  private migrated?: Promise<void>;

  constructor(
    private readonly options: { pool: Pool; schema?: string; registry: ContractRegistry; idleMs?: number },
  ) {
    this.schema = options.schema ?? 'bus';
    this.log = new PostgresEventStore({ pool: options.pool, schema: this.schema, idleMs: options.idleMs ?? 100 });
  }

  async ensureTopics(_topics: readonly TopicDefinition[]): Promise<void> {
    // Topics are stream categories of the log: nothing to create beyond the log itself.
    await this.migrate();
  }

  async publish(events: readonly IntegrationEvent[]): Promise<void> {
    // The category of a stream is what precedes its first dash: a topic cannot contain one.
    const dashed = events.find((event) => event.topic.includes('-'));
    if (dashed) throw new Error(`Topic ${dashed.topic}: the PostgreSQL bus needs topic names without a dash`);
    await this.migrate();
    for (const event of events) {
      await this.log.appendToStream(
        `${event.topic}-${event.key}`,
        [
          {
            type: event.type,
            data: event,
            // The log's own id is per publication: a republished event is a second row with the same envelope id.
            metadata: { eventId: randomUUID(), correlationId: event.correlationId, causationId: event.causationId, actorId: 'system:bus', networkId: event.networkId, occurredAt: event.occurredAt },
          },
        ],
        { expectedVersion: ANY },
      );
    }
  }

  async subscribe(options: ConsumerOptions): Promise<Consumer> {
    await this.migrate();
    await migrateMessaging(options.pool, options.schema);
    const checkpointName = `bus:${options.group}`;
    let stopped = false;
    let subscription: Subscription | undefined;

    const handleBatch = async (batch: RecordedEvent[]) => {
      // The read batch in one transaction, the position with it; on any failure, event by event (retries, dead letters).
      if (batch.length === 0) return;
      const last = batch[batch.length - 1].position;
      const together = await consumeBatch(options, this.options.registry, batch.map((recorded) => recorded.data as IntegrationEvent), (tx) => writeCheckpoint(tx, options.schema, checkpointName, last));
      if (together) return;
      for (const recorded of batch) {
        const event = recorded.data as IntegrationEvent;
        const outcome = await consumeOnce(options, this.options.registry, event, (tx) => writeCheckpoint(tx, options.schema, checkpointName, recorded.position));
        if (outcome.kind === 'dead-letter') {
          await this.deadLetter({ event, group: options.group, reason: outcome.reason });
          options.onDeadLetter?.({ group: options.group, topic: event.topic, eventId: event.eventId, reason: outcome.reason });
          await writeCheckpoint(options.pool, options.schema, checkpointName, recorded.position);
        }
      }
    };
    const start = async () => {
      const after = await readCheckpoint(options.pool, options.schema, checkpointName);
      if (stopped) return;
      subscription = this.log.subscribeToAll({ after, categories: options.topics, ...(options.maxBatch ? { batchSize: options.maxBatch } : {}) }, handleBatch);
      subscription.done.catch((error) => {
        options.onError?.(error);
        if (!stopped) restarter.schedule();
      });
    };
    const restarter = new Restarter(start, 1000, options.onError);
    await start();
    return {
      async stop() {
        stopped = true;
        restarter.cancel();
        await subscription?.stop();
      },
    };
  }

  async replayDeadLetters(topic: string, group?: string): Promise<number> {
    await this.migrate();
    await migrateMessaging(this.options.pool, this.schema);
    const checkpointName = group ? `replay:${topic}:${group}` : `replay:${topic}`;
    let replayed = 0;
    for (;;) {
      const after = await readCheckpoint(this.options.pool, this.schema, checkpointName);
      const batch = await this.log.readAll({ after, categories: [deadLetterTopic(topic)], maxCount: 500 });
      if (batch.length === 0) return replayed;
      const records = batch.map((recorded) => recorded.data as DeadLetterRecord).filter((record) => !group || record.group === group);
      await this.publish(records.map((record) => record.event));
      await writeCheckpoint(this.options.pool, this.schema, checkpointName, batch[batch.length - 1].position);
      replayed += records.length;
    }
  }

  async close(): Promise<void> {
    await this.log.close();
  }

  private async deadLetter(record: DeadLetterRecord): Promise<void> {
    const topic = deadLetterTopic(record.event.topic);
    await this.log.appendToStream(
      `${topic}-${record.event.key || 'none'}`,
      [{ type: 'DeadLetter', data: record, metadata: { eventId: randomUUID(), correlationId: record.event.correlationId, causationId: record.event.eventId, actorId: `system:${record.group}`, networkId: record.event.networkId, occurredAt: new Date().toISOString() } }],
      { expectedVersion: ANY },
    );
  }

  private migrate(): Promise<void> {
    this.migrated ??= this.log.migrate();
    return this.migrated;
  }
}

import { ContractRegistry, deadLetterTopic, TopicDefinition, topicsWithDeadLetters } from '@cnrms/contracts';
import { Admin, IHeaders, Kafka, logLevel, Producer } from 'kafkajs';
import { consumeOnce } from './consume';
import { envelopeFromMessage, envelopeHeaders, HEADERS, IntegrationEvent, MalformedMessage } from './envelope';
import { Consumer, ConsumerOptions, MessageBus } from './message-bus.port';
import { migrateMessaging } from './migrations';

function headerValues(headers: IHeaders | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value[0]?.toString() : value?.toString()]));
}

/**
 * The distributed mode's bus (kafkajs). Idempotent producer, acks from all in-sync replicas, key =
 * aggregate id. One consumer group per service; a message is handled in one database transaction with
 * its idempotency record, and its offset is committed only after that transaction.
 */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: { brokers: string[]; clientId: string; registry: ContractRegistry }) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      // A broker that goes away (restart, failover) is waited for, with back-off, rather than given up on.
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 30 },
    });
  }

  async ensureTopics(topics: readonly TopicDefinition[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topicsWithDeadLetters(topics).filter((topic) => !existing.has(topic.name));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }] })),
      });
    });
  }

  async publish(events: readonly IntegrationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, IntegrationEvent[]>();
    for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, batch]) => ({
        topic,
        messages: batch.map((event) => ({ key: event.key, value: JSON.stringify(event.payload), headers: envelopeHeaders(event) })),
      })),
    });
  }

  async subscribe(options: ConsumerOptions): Promise<Consumer> {
    await migrateMessaging(options.pool, options.schema);
    const consumer = this.kafka.consumer({ groupId: options.group, sessionTimeout: 10_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachMessage: async ({ topic, message }) => {
        const key = message.key?.toString() ?? null;
        const headers = headerValues(message.headers);
        let event: IntegrationEvent;
        try {
          event = envelopeFromMessage(topic, key, headers, message.value?.toString() ?? null);
        } catch (error) {
          if (!(error instanceof MalformedMessage)) throw error;
          await this.deadLetterRaw(topic, key, message.value, headers, options.group, error.message);
          options.onDeadLetter?.({ group: options.group, topic, eventId: headers[HEADERS.eventId] ?? null, reason: error.message });
          return;
        }
        const outcome = await consumeOnce(options, this.options.registry, event);
        if (outcome.kind === 'dead-letter') {
          await this.deadLetterRaw(topic, key, message.value, headers, options.group, outcome.reason);
          options.onDeadLetter?.({ group: options.group, topic, eventId: event.eventId, reason: outcome.reason });
        }
      },
    });
    const handle: Consumer = {
      stop: async () => {
        this.consumers.delete(handle);
        await consumer.disconnect();
      },
    };
    this.consumers.add(handle);
    return handle;
  }

  /** Reads `<topic>.dlq` from where the last replay stopped up to its current end, and republishes each message on the topic. */
  async replayDeadLetters(topic: string): Promise<number> {
    const dlq = deadLetterTopic(topic);
    const ends = await this.withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(dlq);
      const groupOffsets = await admin.fetchOffsets({ groupId: `replay.${dlq}`, topics: [dlq] });
      const committed = new Map(groupOffsets[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      return offsets.filter((p) => Number(p.high) > Math.max(0, committed.get(p.partition) ?? 0)).map((p) => ({ partition: p.partition, high: Number(p.high) }));
    });
    if (ends.length === 0) return 0;
    const producer = await this.connectedProducer();
    const replayer = this.kafka.consumer({ groupId: `replay.${dlq}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await replayer.connect();
    await replayer.subscribe({ topics: [dlq], fromBeginning: true });
    let replayed = 0;
    const remaining = new Set(ends.map((e) => e.partition));
    await new Promise<void>((resolve, reject) => {
      replayer
        .run({
          eachMessage: async ({ partition, message }) => {
            const headers = headerValues(message.headers);
            const forward = Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !name.startsWith('dead-letter-') && name !== HEADERS.originalTopic)) as Record<string, string>;
            await producer.send({ topic, acks: -1, messages: [{ key: message.key, value: message.value, headers: forward }] });
            await replayer.commitOffsets([{ topic: dlq, partition, offset: String(Number(message.offset) + 1) }]);
            replayed++;
            const end = ends.find((e) => e.partition === partition);
            if (end && Number(message.offset) + 1 >= end.high) {
              remaining.delete(partition);
              if (remaining.size === 0) resolve();
            }
          },
        })
        .catch(reject);
    });
    await replayer.disconnect();
    return replayed;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await (await producer).disconnect();
  }

  private async deadLetterRaw(topic: string, key: string | null, value: Buffer | null, headers: Record<string, string | undefined>, group: string, reason: string): Promise<void> {
    const producer = await this.connectedProducer();
    const kept = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
    await producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{ key, value, headers: { ...kept, [HEADERS.deadLetterReason]: reason.slice(0, 2000), [HEADERS.deadLetterGroup]: group, [HEADERS.originalTopic]: topic } }],
    });
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })();
    return this.producer;
  }

  private async withAdmin<T>(action: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await action(admin);
    } finally {
      await admin.disconnect();
    }
  }
}

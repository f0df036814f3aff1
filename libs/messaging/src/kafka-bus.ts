import { ContractRegistry, deadLetterTopic, TopicDefinition, topicsWithDeadLetters } from '@cnrms/contracts';
import { Admin, ConfigResourceTypes, IHeaders, Kafka, logCreator, logLevel, Producer } from 'kafkajs';
import { consumeBatch, consumeOnce } from './consume';
import { envelopeFromMessage, envelopeHeaders, HEADERS, IntegrationEvent, MalformedMessage } from './envelope';
import { Consumer, ConsumerOptions, MessageBus } from './message-bus.port';
import { originHeader } from './federation';
import { migrateMessaging } from './migrations';

function headerValues(headers: IHeaders | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value[0]?.toString() : value?.toString()]));
}

export type KafkaLogLevel = 'error' | 'warn' | 'nothing';

export interface KafkaLogEntry {
  level: 'error' | 'warn';
  namespace: string;
  message: string;
  broker?: string;
  topic?: string;
  groupId?: string;
  error?: string;
}

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  registry: ContractRegistry;
  /** kafkajs' own logs: errors only by default, never below warnings (no message content is ever logged). */
  logLevel?: KafkaLogLevel;
  /** Where those logs go; default one JSON line on stderr. */
  log?: (entry: KafkaLogEntry) => void;
  /** A federated deployment's alias: every published event carries it (`source-deployment`, see federation.ts). */
  deploymentId?: string;
  /**
   * Put before every consumer group's name (`<prefix>.<group>`): two platforms sharing one broker then keep
   * their own offsets instead of splitting each other's partitions. Empty: the group's own name.
   */
  groupPrefix?: string;
}

const LEVELS: Record<KafkaLogLevel, logLevel> = { error: logLevel.ERROR, warn: logLevel.WARN, nothing: logLevel.NOTHING };

/**
 * kafkajs logs through this: only a few named fields are kept (never a message's key, value or headers),
 * so that nothing an event carries can reach the logs.
 */
export function safeLogCreator(log: (entry: KafkaLogEntry) => void): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, broker, topic, groupId, error } = entry as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      log({
        level: level === logLevel.ERROR ? 'error' : 'warn',
        namespace,
        message: text(message) ?? '',
        ...(text(broker) && { broker: text(broker) }),
        ...(text(topic) && { topic: text(topic) }),
        ...(text(groupId) && { groupId: text(groupId) }),
        ...(text(error) && { error: text(error) }),
      });
    };
}

const stderrLog = (entry: KafkaLogEntry) => process.stderr.write(`${JSON.stringify({ source: 'kafkajs', ...entry })}\n`);

/** Events applied per consumer transaction on Kafka (the offsets are resolved and a heartbeat sent after each). */
const KAFKA_CONSUME_BATCH = 500;

/**
 * The distributed mode's bus (kafkajs). Idempotent producer, acks from all in-sync replicas, key =
 * aggregate id. One consumer group per service; the messages of a fetched batch are handled in one
 * database transaction (up to KAFKA_CONSUME_BATCH) with their idempotency records, and their offsets are
 * committed only after that transaction (a failing batch: message by message, each in its own).
 */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: LEVELS[options.logLevel ?? 'error'],
      logCreator: safeLogCreator(options.log ?? stderrLog),
      // A broker that goes away (restart, failover) is waited for, with back-off, rather than given up on.
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 30 },
    });
  }

  /**
   * Creates the missing topics (and dead-letter topics) with their partitions and retention, and brings
   * the retention of existing ones to the catalogue's. Partitions of an existing topic are never changed:
   * adding some would move keys to other partitions and break per-aggregate order.
   */
  async ensureTopics(topics: readonly TopicDefinition[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      const wanted = topicsWithDeadLetters(topics);
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((topic) => !existing.has(topic.name));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }] })),
        });
      }
      const present = wanted.filter((topic) => existing.has(topic.name));
      if (present.length === 0) return;
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name, configNames: ['retention.ms'] })),
      });
      const current = new Map(described.resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue]));
      const drifted = present.filter((topic) => current.get(topic.name) !== String(topic.retentionMs));
      if (drifted.length === 0) return;
      await admin.alterConfigs({
        validateOnly: false,
        resources: drifted.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name, configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }] })),
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
        messages: batch.map((event) => ({ key: event.key, value: JSON.stringify(event.payload), headers: { ...envelopeHeaders(event), ...originHeader(this.options.deploymentId) } })),
      })),
    });
  }

  async subscribe(options: ConsumerOptions): Promise<Consumer> {
    await migrateMessaging(options.pool, options.schema);
    // maxWaitTimeInMs: an idle fetch returns within 1 s, so that stop() (which waits for it) is quick.
    const consumer = this.kafka.consumer({ groupId: this.groupId(options.group), sessionTimeout: 10_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000, maxWaitTimeInMs: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      // A fetched batch (one partition, in order) is applied in transactions of up to `maxBatch` events (consumeBatch),
      // their offsets resolved after each commit; a failing chunk is delivered message by message (retries, dead letters).
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const { topic } = batch;
        const chunkSize = options.maxBatch ?? KAFKA_CONSUME_BATCH;
        for (let start = 0; start < batch.messages.length; start += chunkSize) {
          if (!isRunning() || isStale()) return;
          const chunk: { offset: string; key: string | null; headers: Record<string, string | undefined>; value: Buffer | null; event: IntegrationEvent }[] = [];
          for (const message of batch.messages.slice(start, start + chunkSize)) {
            const key = message.key?.toString() ?? null;
            const headers = headerValues(message.headers);
            try {
              chunk.push({ offset: message.offset, key, headers, value: message.value, event: envelopeFromMessage(topic, key, headers, message.value?.toString() ?? null) });
            } catch (error) {
              if (!(error instanceof MalformedMessage)) throw error;
              await this.deadLetterRaw(topic, key, message.value, headers, options.group, error.message);
              options.onDeadLetter?.({ group: options.group, topic, eventId: headers[HEADERS.eventId] ?? null, reason: error.message });
            }
          }
          const together = chunk.length > 0 ? await consumeBatch(options, this.options.registry, chunk.map((item) => item.event)) : [];
          if (!together) {
            for (const item of chunk) {
              const outcome = await consumeOnce(options, this.options.registry, item.event);
              if (outcome.kind === 'dead-letter') {
                await this.deadLetterRaw(topic, item.key, item.value, item.headers, options.group, outcome.reason);
                options.onDeadLetter?.({ group: options.group, topic, eventId: item.event.eventId, reason: outcome.reason });
              }
              resolveOffset(item.offset);
              await heartbeat();
            }
          }
          resolveOffset(batch.messages[Math.min(start + chunkSize, batch.messages.length) - 1].offset);
          await heartbeat();
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

  /** The broker-side name of a consumer group (the database keeps the unprefixed name). */
  private groupId(group: string): string {
    return this.options.groupPrefix ? `${this.options.groupPrefix}.${group}` : group;
  }

  /**
   * Reads `<topic>.dlq` from where the last replay stopped up to its current end, and republishes each
   * message on the topic (its envelope unchanged, so groups that handled it already skip it). With `group`,
   * only the dead letters of that consumer group, from that group's own replay position.
   */
  async replayDeadLetters(topic: string, group?: string): Promise<number> {
    const dlq = deadLetterTopic(topic);
    const replayGroup = this.groupId(group ? `replay.${dlq}.${group}` : `replay.${dlq}`);
    const ends = await this.withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(dlq);
      const groupOffsets = await admin.fetchOffsets({ groupId: replayGroup, topics: [dlq] });
      const committed = new Map(groupOffsets[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      return offsets.filter((p) => Number(p.high) > Math.max(0, Number(p.low), committed.get(p.partition) ?? 0)).map((p) => ({ partition: p.partition, high: Number(p.high) }));
    });
    if (ends.length === 0) return 0;
    const producer = await this.connectedProducer();
    const replayer = this.kafka.consumer({ groupId: replayGroup, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 1_000 });
    await replayer.connect();
    let replayed = 0;
    try {
      await replayer.subscribe({ topics: [dlq], fromBeginning: true });
      const remaining = new Set(ends.map((e) => e.partition));
      await new Promise<void>((resolve, reject) => {
        replayer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const headers = headerValues(message.headers);
              if (!group || headers[HEADERS.deadLetterGroup] === group) {
                const forward = Object.fromEntries(
                  Object.entries(headers).filter(([name, value]) => value !== undefined && !name.startsWith('dead-letter-') && name !== HEADERS.originalTopic),
                ) as Record<string, string>;
                await producer.send({ topic, acks: -1, messages: [{ key: message.key, value: message.value, headers: forward }] });
                replayed++;
              }
              await replayer.commitOffsets([{ topic: dlq, partition, offset: String(Number(message.offset) + 1) }]);
              const end = ends.find((e) => e.partition === partition);
              if (end && Number(message.offset) + 1 >= end.high) {
                remaining.delete(partition);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await replayer.disconnect();
    }
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
    })().catch((error: unknown) => {
      // A broker that was away when we first connected must not stay "unreachable" for the bus's lifetime.
      this.producer = undefined;
      throw error;
    });
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

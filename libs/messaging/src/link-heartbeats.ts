import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { remoteTopic } from './federation';
import { quoteSchema } from './migrations';
import { safeLogCreator } from './kafka-bus';

/**
 * MirrorMaker 2 emits a record a second on each cluster's `heartbeats` topic and copies the other cluster's
 * as `<alias>.heartbeats`. On the national cluster, `region-a.heartbeats` therefore moves only while the whole
 * path from region-a works (its broker, MirrorMaker, the national broker): the link's liveness, even when the
 * region records nothing. This watcher keeps, per region, the time of the latest one it saw in
 * `<schema>.federation_links` (read by reporting's `reportingDeployments`).
 */
export interface LinkWatcherOptions {
  brokers: string[];
  /** Each reporting instance reads every heartbeat: its own consumer group. */
  clientId: string;
  regions: readonly string[];
  pool: Pool;
  schema: string;
  onError?: (error: unknown) => void;
}

export const HEARTBEATS_TOPIC = 'heartbeats';

export async function watchLinkHeartbeats(options: LinkWatcherOptions): Promise<{ stop(): Promise<void> }> {
  const schema = quoteSchema(options.schema);
  await options.pool.query(`create table if not exists ${schema}.federation_links (source text primary key, last_heartbeat_at timestamptz not null)`);
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.ERROR,
    logCreator: safeLogCreator((entry) => process.stderr.write(`${JSON.stringify({ source: 'kafkajs', ...entry })}\n`)),
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 30 },
  });
  const topics = options.regions.map((region) => remoteTopic(region, HEARTBEATS_TOPIC));
  // Created here (one partition, a day's retention, as MirrorMaker would) so that the watcher can subscribe before the first copy.
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(86_400_000) }] })) });
    }
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `${options.clientId}.links.${process.pid}.${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: false });
  // No offsets committed: a watcher only cares about heartbeats from now on, and its group leaves nothing behind.
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const latest = Math.max(...batch.messages.map((message) => Number(message.timestamp)));
      if (!Number.isFinite(latest)) return;
      const source = batch.topic.slice(0, -`.${HEARTBEATS_TOPIC}`.length);
      await options.pool
        .query(
          `insert into ${schema}.federation_links (source, last_heartbeat_at) values ($1, $2)
           on conflict (source) do update set last_heartbeat_at = greatest(federation_links.last_heartbeat_at, excluded.last_heartbeat_at)`,
          [source, new Date(latest)],
        )
        .catch((error: unknown) => options.onError?.(error));
    },
  });
  return { stop: () => consumer.disconnect() };
}

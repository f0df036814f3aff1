import { DOWNWARD_TOPICS, UPWARD_TOPICS } from '@cnrms/messaging';

export interface Cluster {
  /** The deployment's alias: MirrorMaker's cluster alias, hence the prefix of the topics it copies from it. */
  alias: string;
  bootstrap: string;
}

const exact = (topics: readonly string[]) => topics.map((topic) => topic.replace(/\./g, '\\\\.')).join('|');

/**
 * The `source->target` lines of one flow. Which deployment an event came from travels twice: in the topic's
 * prefix, and in the `source-deployment` header its relay stamped (kept by MirrorMaker with every header).
 * (Not with Connect's InsertHeader transform: MirrorMaker's byte-array header converter refuses its string value.)
 */
function flow(source: Cluster, target: Cluster, topics: readonly string[]): string[] {
  const f = `${source.alias}->${target.alias}`;
  return [`${f}.enabled = true`, `${f}.topics = ${exact(topics)}`];
}

/**
 * MirrorMaker 2's configuration (dedicated mode) for the link between the national deployment and one region:
 * upward every integration topic of the region (free of identifying data), downward what the national level
 * owns. Default replication policy: `t` of `region-a` arrives as `region-a.t`, so nothing is mirrored back.
 * Replication factor 1 fits the local single brokers; `deploy/` sets 3.
 */
export function mirrorMakerProperties(national: Cluster, region: Cluster, options: { replicationFactor?: number } = {}): string {
  const rf = options.replicationFactor ?? 1;
  return [
    `# MirrorMaker 2 between ${national.alias} and ${region.alias} (written by tools/federation; docs/deployments.md)`,
    `clusters = ${national.alias}, ${region.alias}`,
    `${national.alias}.bootstrap.servers = ${national.bootstrap}`,
    `${region.alias}.bootstrap.servers = ${region.bootstrap}`,
    ...flow(region, national, UPWARD_TOPICS),
    ...flow(national, region, DOWNWARD_TOPICS),
    // Events keep their envelope (headers) and key; consumers stay idempotent on the event id.
    'replication.policy.class = org.apache.kafka.connect.mirror.DefaultReplicationPolicy',
    'sync.topic.acls.enabled = false',
    'sync.topic.configs.enabled = true',
    // Consumer groups are not moved across deployments: each deployment's services read their own cluster.
    'sync.group.offsets.enabled = false',
    'refresh.topics.interval.seconds = 10',
    `replication.factor = ${rf}`,
    `checkpoints.topic.replication.factor = ${rf}`,
    `heartbeats.topic.replication.factor = ${rf}`,
    `offset-syncs.topic.replication.factor = ${rf}`,
    `offset.storage.replication.factor = ${rf}`,
    `status.storage.replication.factor = ${rf}`,
    `config.storage.replication.factor = ${rf}`,
    // Delivered as soon as produced, acknowledged by every in-sync replica (at least once, never lost).
    'producer.override.acks = all',
    'producer.override.linger.ms = 0',
    'consumer.fetch.max.wait.ms = 100',
    '',
  ].join('\n');
}

// `node -r ./tools/register.js tools/federation/mm2-config.ts <national alias>=<bootstrap> <region alias>=<bootstrap>`:
// prints one link's configuration (the end-to-end tests write it for `tools/kafka/mirror.sh`).
if (require.main === module) {
  const [national, region] = process.argv.slice(2).map((arg) => {
    const [alias, bootstrap] = arg.split('=');
    return { alias, bootstrap };
  });
  if (!national?.bootstrap || !region?.bootstrap) {
    process.stderr.write('usage: mm2-config.ts national=127.0.0.1:19130 region-a=127.0.0.1:19132\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(mirrorMakerProperties(national, region));
  }
}

import { TopicDefinition } from '@cnrms/contracts';
import { assertOwnedBySource, Deployment, IntegrationEvent, originOf, quoteSchema, remoteTopicDefinitions, remoteTopicsFor } from '@cnrms/messaging';
import { Pool, PoolClient } from 'pg';
import { ConfigurationError } from './config';
import { deploymentFrom } from './deployment';

/** The topics a consumer subscribes to: its own, and in a federated deployment their copies from the other deployments. */
export function federatedTopics(deployment: Deployment, consumer: { topics: readonly string[]; federated?: boolean }): string[] {
  if (consumer.federated === false) return [...consumer.topics];
  return [...consumer.topics, ...remoteTopicsFor(deployment, consumer.topics)];
}

/**
 * The receiving side of the federation, for every consumer of a service: gives each event the catalogue's
 * topic name and the deployment it came from, refuses (dead-letters) an event about a network its source does
 * not own, and keeps per source deployment up to when its data arrived (`<schema>.federation_sources`: the
 * « données au … » of the national view).
 */
export class FederationReceiver {
  readonly deployment: Deployment;
  private readonly owners: Map<string, string[]>;

  constructor(
    private readonly schema: string,
    bus: 'postgres' | 'kafka',
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const { deployment, owners } = deploymentFrom(env);
    if (deployment.kind !== 'single' && bus !== 'kafka') {
      throw new ConfigurationError([`BUS : un déploiement ${deployment.kind} échange ses événements par Kafka et MirrorMaker 2 (BUS=kafka)`]);
    }
    this.deployment = deployment;
    this.owners = owners;
  }

  /** The catalogue's topics and, federated, the remote copies this deployment reads (MirrorMaker fills them). */
  topicsToCreate(topics: readonly TopicDefinition[]): TopicDefinition[] {
    return [...topics, ...remoteTopicDefinitions(this.deployment, topics)];
  }

  async migrate(pool: Pool): Promise<void> {
    if (this.deployment.kind === 'single') return;
    await pool.query(
      `create table if not exists ${quoteSchema(this.schema)}.federation_sources (
         source text primary key,
         last_occurred_at timestamptz not null,
         last_received_at timestamptz not null,
         events bigint not null
       )`,
    );
  }

  /** An event of this deployment (not a copy MirrorMaker brought from another one): handled as it is. */
  isLocal(event: IntegrationEvent): boolean {
    return originOf(this.deployment, event.topic).source === null;
  }

  async receive(event: IntegrationEvent, tx: PoolClient, handle: (event: IntegrationEvent, origin: { source: string | null }) => Promise<void>): Promise<void> {
    const { source, topic } = originOf(this.deployment, event.topic);
    if (source === null) return handle(event, { source });
    assertOwnedBySource(event, source, this.owners);
    await handle({ ...event, topic }, { source });
    await tx.query(
      `insert into ${quoteSchema(this.schema)}.federation_sources (source, last_occurred_at, last_received_at, events) values ($1, $2, now(), 1)
       on conflict (source) do update set last_occurred_at = greatest(federation_sources.last_occurred_at, excluded.last_occurred_at),
         last_received_at = now(), events = federation_sources.events + 1`,
      [source, event.occurredAt],
    );
  }
}

import { platformContracts, TOPICS } from '@cnrms/contracts';
import { EventStore } from '@cnrms/eventsourcing';
import { Consumer, createMessageBus, IntegrationEvent, MessageBus, Relay, startRelay, Translator, watchLinkHeartbeats } from '@cnrms/messaging';
import { federatedTopics, FederationReceiver } from './federation-receiver';
import { Logger } from 'pino';
import { Pool, PoolClient } from 'pg';
import { BaseConfig } from './config';
import { deadLetters, relayBacklogSources } from './metrics';

/** What a service publishes: the categories of its own log the relay reads, and the translation to contracts. */
export interface RelayDefinition {
  categories: readonly string[];
  translate: Translator;
}

/** What a service consumes from the others, in its own consumer group. */
export interface IntegrationConsumer {
  readonly topics: readonly string[];
  /**
   * Default true: in a national or regional deployment, the consumer also reads the copies of its topics
   * that MirrorMaker brings from the other deployments (docs/deployments.md), under their own names. False:
   * `topics` are taken as they are (a consumer of `national.directory.network.v1` only, say).
   */
  readonly federated?: boolean;
  /** `event.topic` is the catalogue's name; `origin.source` the deployment it came from (null: this one). */
  handle(event: IntegrationEvent, tx: PoolClient, origin?: { source: string | null }): Promise<void>;
  /**
   * Optional: the events of this deployment in a delivered batch, at once and in order, with the same effect
   * as `handle` on each (a consumer that is set-based per batch keeps up with a backlog). Copies from other
   * deployments still go one by one through `handle`, in their place in the batch.
   */
  handleBatch?(events: readonly IntegrationEvent[], tx: PoolClient): Promise<void>;
  /** The most events per transaction (the bus's `maxBatch`; default 500). */
  readonly maxBatch?: number;
  /** True when `handle` and `handleBatch` themselves ignore an event id seen before (the bus's `handlersRecordEventIds`). */
  readonly recordsEventIds?: boolean;
}

/**
 * Connects a service to the integration bus chosen by configuration (`BUS=kafka` or `postgres`):
 * creates the topics, runs its relay and its consumers; the service's code does not know which bus it is.
 */
export class ServiceIntegration {
  private bus?: MessageBus;
  private relay?: Relay;
  private readonly consumers: Consumer[] = [];
  private links?: { stop(): Promise<void> };

  constructor(
    private readonly service: string,
    private readonly config: BaseConfig,
    private readonly logger: Logger,
  ) {}

  async start(store: EventStore, pool: Pool, relay: RelayDefinition | undefined, consumers: readonly IntegrationConsumer[], options: { watchLinks?: boolean } = {}): Promise<void> {
    if (!relay && consumers.length === 0) return;
    const registry = platformContracts();
    const federation = new FederationReceiver(this.service, this.config.BUS);
    const deploymentId = federation.deployment.kind === 'single' ? undefined : federation.deployment.id;
    this.bus =
      this.config.BUS === 'kafka'
        ? createMessageBus({ kind: 'kafka', brokers: (this.config.KAFKA_BROKERS ?? '').split(','), clientId: this.service, deploymentId, groupPrefix: this.config.KAFKA_GROUP_PREFIX }, registry)
        : createMessageBus({ kind: 'postgres', pool }, registry);
    await this.bus.ensureTopics(federation.topicsToCreate(TOPICS));
    await federation.migrate(pool);
    if (relay) {
      this.relay = await startRelay({
        name: this.service,
        store,
        pool,
        schema: this.service,
        categories: relay.categories,
        translate: relay.translate,
        bus: this.bus,
        registry,
        onError: (error) => this.logger.error({ err: error }, 'relay failed; it resumes from its checkpoint'),
      });
      const started = this.relay;
      relayBacklogSources.set(this.service, () => started.backlog());
    }
    for (const consumer of consumers) {
      this.consumers.push(
        await this.bus.subscribe({
          group: this.service,
          topics: federatedTopics(federation.deployment, consumer),
          pool,
          schema: this.service,
          handler: (event, tx) => federation.receive(event, tx, (received, origin) => consumer.handle(received, tx, origin)),
          batchHandler: consumer.handleBatch && ((events, tx) => handleInBatches(events, tx, consumer, federation)),
          maxBatch: consumer.maxBatch,
          handlersRecordEventIds: consumer.recordsEventIds,
          onDeadLetter: (deadLetter) => {
            deadLetters.inc({ group: deadLetter.group, topic: deadLetter.topic });
            this.logger.error({ deadLetter }, 'integration event dead-lettered');
          },
          onError: (error) => this.logger.error({ err: error }, 'consumer failed; it resumes from its position'),
        }),
      );
    }
    if (options.watchLinks && federation.deployment.kind === 'national' && federation.deployment.regions.length > 0) {
      this.links = await watchLinkHeartbeats({
        brokers: (this.config.KAFKA_BROKERS ?? '').split(','),
        clientId: this.service,
        regions: federation.deployment.regions,
        pool,
        schema: this.service,
        onError: (error) => this.logger.error({ err: error }, 'link heartbeat not recorded'),
      });
    }
    this.logger.info({ bus: this.config.BUS, relay: Boolean(relay), consumers: consumers.length }, 'connected to the integration bus');
  }

  async stop(): Promise<void> {
    await this.links?.stop();
    relayBacklogSources.delete(this.service);
    await this.relay?.stop();
    for (const consumer of this.consumers) await consumer.stop();
    await this.bus?.close();
  }
}

/** A delivered batch: runs of this deployment's events to `handleBatch`, each copy from elsewhere through the federation receiver, in order. */
export async function handleInBatches(events: readonly IntegrationEvent[], tx: PoolClient, consumer: IntegrationConsumer, federation: FederationReceiver): Promise<void> {
  let local: IntegrationEvent[] = [];
  const flush = async () => {
    if (local.length > 0) await consumer.handleBatch!(local, tx);
    local = [];
  };
  for (const event of events) {
    if (federation.isLocal(event)) {
      local.push(event);
      continue;
    }
    await flush();
    await federation.receive(event, tx, (received, origin) => consumer.handle(received, tx, origin));
  }
  await flush();
}

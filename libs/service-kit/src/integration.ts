import { platformContracts, TOPICS } from '@cnrms/contracts';
import { EventStore } from '@cnrms/eventsourcing';
import { Consumer, createMessageBus, IntegrationEvent, MessageBus, Relay, startRelay, Translator } from '@cnrms/messaging';
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
  handle(event: IntegrationEvent, tx: PoolClient): Promise<void>;
}

/**
 * Connects a service to the integration bus chosen by configuration (`BUS=kafka` or `postgres`):
 * creates the topics, runs its relay and its consumers; the service's code does not know which bus it is.
 */
export class ServiceIntegration {
  private bus?: MessageBus;
  private relay?: Relay;
  private readonly consumers: Consumer[] = [];

  constructor(
    private readonly service: string,
    private readonly config: BaseConfig,
    private readonly logger: Logger,
  ) {}

  async start(store: EventStore, pool: Pool, relay: RelayDefinition | undefined, consumers: readonly IntegrationConsumer[]): Promise<void> {
    if (!relay && consumers.length === 0) return;
    const registry = platformContracts();
    this.bus =
      this.config.BUS === 'kafka'
        ? createMessageBus({ kind: 'kafka', brokers: (this.config.KAFKA_BROKERS ?? '').split(','), clientId: this.service }, registry)
        : createMessageBus({ kind: 'postgres', pool }, registry);
    await this.bus.ensureTopics(TOPICS);
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
          topics: consumer.topics,
          pool,
          schema: this.service,
          handler: (event, tx) => consumer.handle(event, tx),
          onDeadLetter: (deadLetter) => {
            deadLetters.inc({ group: deadLetter.group, topic: deadLetter.topic });
            this.logger.error({ deadLetter }, 'integration event dead-lettered');
          },
          onError: (error) => this.logger.error({ err: error }, 'consumer failed; it resumes from its position'),
        }),
      );
    }
    this.logger.info({ bus: this.config.BUS, relay: Boolean(relay), consumers: consumers.length }, 'connected to the integration bus');
  }

  async stop(): Promise<void> {
    relayBacklogSources.delete(this.service);
    await this.relay?.stop();
    for (const consumer of this.consumers) await consumer.stop();
    await this.bus?.close();
  }
}

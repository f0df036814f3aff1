import { ContractRegistry } from '@cnrms/contracts';
import { Pool } from 'pg';
import { KafkaLogLevel, KafkaMessageBus } from './kafka-bus';
import { MessageBus } from './message-bus.port';
import { PostgresMessageBus } from './postgres-bus';

export type BusConfig =
  | { kind: 'kafka'; brokers: string[]; clientId: string; logLevel?: KafkaLogLevel; deploymentId?: string; groupPrefix?: string }
  /** The PostgreSQL log of the embedded mode: an existing pool, or a connection string (the bus then owns its pool). */
  | { kind: 'postgres'; pool: Pool; schema?: string }
  | { kind: 'postgres'; url: string; schema?: string };

/** The bus the configuration asks for (`BUS=kafka` or `BUS=postgres`); consumer code does not know which. */
export function createMessageBus(config: BusConfig, registry: ContractRegistry): MessageBus {
  if (config.kind === 'kafka') return new KafkaMessageBus({ brokers: config.brokers, clientId: config.clientId, registry, logLevel: config.logLevel, deploymentId: config.deploymentId, groupPrefix: config.groupPrefix });
  if ('pool' in config) return new PostgresMessageBus({ pool: config.pool, schema: config.schema, registry });
  const pool = new Pool({ connectionString: config.url, max: 5 });
  const bus = new PostgresMessageBus({ pool, schema: config.schema, registry });
  return {
    ensureTopics: (topics) => bus.ensureTopics(topics),
    publish: (events) => bus.publish(events),
    subscribe: (options) => bus.subscribe(options),
    replayDeadLetters: (topic, group) => bus.replayDeadLetters(topic, group),
    async close() {
      await bus.close();
      await pool.end();
    },
  };
}

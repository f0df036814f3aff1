import { ContractRegistry } from '@cnrms/contracts';
import { Pool } from 'pg';
import { KafkaMessageBus } from './kafka-bus';
import { MessageBus } from './message-bus.port';
import { PostgresMessageBus } from './postgres-bus';

export type BusConfig = { kind: 'kafka'; brokers: string[]; clientId: string } | { kind: 'postgres'; pool: Pool; schema?: string };

/** The bus the configuration asks for (`BUS=kafka` or `BUS=postgres`); consumer code does not know which. */
export function createMessageBus(config: BusConfig, registry: ContractRegistry): MessageBus {
  return config.kind === 'kafka'
    ? new KafkaMessageBus({ brokers: config.brokers, clientId: config.clientId, registry })
    : new PostgresMessageBus({ pool: config.pool, schema: config.schema, registry });
}

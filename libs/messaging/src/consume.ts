import { ContractRegistry, ContractViolation } from '@cnrms/contracts';
import { PoolClient } from 'pg';
import { IntegrationEvent } from './envelope';
import { ConsumerOptions } from './message-bus.port';
import { quoteSchema } from './migrations';

export type Outcome = { kind: 'handled' } | { kind: 'duplicate' } | { kind: 'parked'; reason: string } | { kind: 'dead-letter'; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One delivery of one message, whatever the bus: in one transaction, record the event id for the
 * group (a redelivery finds it and changes nothing), check the contract (a newer version is parked, an
 * invalid payload is dead-lettered at once), run the handler. A failing handler is retried with
 * back-off, then dead-lettered. `alsoInTransaction` lets the PostgreSQL bus move its position with it.
 */
export async function consumeOnce(
  options: ConsumerOptions,
  registry: ContractRegistry,
  event: IntegrationEvent,
  alsoInTransaction?: (tx: PoolClient) => Promise<void>,
): Promise<Outcome> {
  const schema = quoteSchema(options.schema);
  const maxAttempts = options.maxAttempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const tx = await options.pool.connect();
    try {
      await tx.query('begin');
      const recorded = await tx.query(`insert into ${schema}.messaging_processed (consumer_group, event_id) values ($1, $2) on conflict do nothing`, [options.group, event.eventId]);
      let outcome: Outcome;
      if (recorded.rowCount === 0) {
        outcome = { kind: 'duplicate' };
      } else {
        const decoded = registry.decode(event.type, event.version, event.payload);
        if (decoded.kind === 'parked') {
          await tx.query(
            `insert into ${schema}.messaging_parked (consumer_group, event_id, topic, event_type, version, envelope, reason) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
            [options.group, event.eventId, event.topic, event.type, event.version, JSON.stringify(event), decoded.reason],
          );
          outcome = { kind: 'parked', reason: decoded.reason };
        } else {
          await options.handler({ ...event, version: decoded.version, payload: decoded.payload }, tx);
          outcome = { kind: 'handled' };
        }
      }
      await alsoInTransaction?.(tx);
      await tx.query('commit');
      return outcome;
    } catch (error) {
      await tx.query('rollback').catch(() => undefined);
      if (error instanceof ContractViolation) return { kind: 'dead-letter', reason: error.message };
      lastError = error;
      if (attempt < maxAttempts) await sleep((options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
    } finally {
      tx.release();
    }
  }
  return { kind: 'dead-letter', reason: `handler failed ${maxAttempts} times: ${lastError instanceof Error ? lastError.message : String(lastError)}` };
}

import { ContractRegistry, ContractViolation } from '@cnrms/contracts';
import { context, contextFrom, Span, SpanKind, SpanStatusCode, trace, tracer } from '@cnrms/tracing';
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
  // The delivery continues the trace the event carries (a consumer span; the handler's own span inside it).
  const span = consumerSpan(options, event);
  try {
    const outcome = await context.with(trace.setSpan(contextFrom(event), span), () => deliver(options, registry, event, alsoInTransaction));
    span.setAttribute('cnrms.outcome', outcome.kind);
    if (outcome.kind === 'dead-letter') span.setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
    return outcome;
  } finally {
    span.end();
  }
}

/** The consumer span of one delivery, in the trace the event carries (`batchSize` when it came in a batch). */
function consumerSpan(options: ConsumerOptions, event: IntegrationEvent, batchSize?: number): Span {
  return tracer().startSpan(
    `consume ${event.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.destination.name': event.topic,
        'messaging.consumer.group.name': options.group,
        'messaging.message.id': event.eventId,
        'cnrms.event.type': event.type,
        ...(batchSize === undefined ? {} : { 'cnrms.batch.size': batchSize }),
      },
    },
    contextFrom(event),
  );
}

/** The handler of a consumer group is its projection: its span names the group and the event type. */
async function project(options: ConsumerOptions, event: IntegrationEvent, tx: PoolClient): Promise<void> {
  const span = tracer().startSpan(`projection ${options.group}`, { attributes: { 'messaging.consumer.group.name': options.group, 'cnrms.event.type': event.type } });
  try {
    await context.with(trace.setSpan(context.active(), span), () => options.handler(event, tx));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** In the caller's transaction: the event id for the group (a duplicate changes nothing; unless the handlers record them), the contract check, the handler. */
async function recordInTransaction(options: ConsumerOptions, registry: ContractRegistry, event: IntegrationEvent, tx: PoolClient): Promise<Outcome> {
  if (!options.handlersRecordEventIds) {
    const recorded = await tx.query(`insert into ${quoteSchema(options.schema)}.messaging_processed (consumer_group, event_id) values ($1, $2) on conflict do nothing`, [options.group, event.eventId]);
    if (recorded.rowCount === 0) return { kind: 'duplicate' };
  }
  const checked = await decodeOrPark(options, registry, event, tx);
  if (checked.kind === 'parked') return checked;
  await project(options, checked.event, tx);
  return { kind: 'handled' };
}

/** A new event checked against its contract: a version this consumer does not know yet is parked (recorded as such), any other decoded to handle. */
async function decodeOrPark(
  options: ConsumerOptions,
  registry: ContractRegistry,
  event: IntegrationEvent,
  tx: PoolClient,
): Promise<{ kind: 'parked'; reason: string } | { kind: 'handled'; event: IntegrationEvent }> {
  const decoded = registry.decode(event.type, event.version, event.payload);
  if (decoded.kind === 'parked') {
    await tx.query(
      `insert into ${quoteSchema(options.schema)}.messaging_parked (consumer_group, event_id, topic, event_type, version, envelope, reason) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [options.group, event.eventId, event.topic, event.type, event.version, JSON.stringify(event), decoded.reason],
    );
    return { kind: 'parked', reason: decoded.reason };
  }
  return { kind: 'handled', event: { ...event, version: decoded.version, payload: decoded.payload } };
}

/**
 * Several deliveries in ONE transaction (a backlog drains at the pace of the handlers, not of one commit
 * per event): each event is recorded, checked and handled as by `consumeOnce`, in order, and
 * `alsoInTransaction` (the bus's position, after the last event) commits with them. Answers null when any
 * of them fails (a handler error, an invalid payload): the whole batch is rolled back, nothing of it is
 * kept, and the caller delivers the same events one by one with `consumeOnce` (retries, dead letters),
 * so a poison event costs one rollback and never blocks nor drops its neighbours. A redelivered batch
 * finds its event ids recorded and changes nothing (at-least-once stays idempotent).
 */
export async function consumeBatch(
  options: ConsumerOptions,
  registry: ContractRegistry,
  events: readonly IntegrationEvent[],
  alsoInTransaction?: (tx: PoolClient) => Promise<void>,
): Promise<Outcome[] | null> {
  const tx = await options.pool.connect();
  try {
    await tx.query('begin');
    const outcomes = options.batchHandler ? await recordBatchInTransaction(options, registry, events, tx) : await recordEachInTransaction(options, registry, events, tx);
    await alsoInTransaction?.(tx);
    await tx.query('commit');
    return outcomes;
  } catch {
    await tx.query('rollback').catch(() => undefined);
    return null;
  } finally {
    tx.release();
  }
}

/** A batch's events one after the other in the caller's transaction, each as by `recordInTransaction`, under its own consumer span. */
async function recordEachInTransaction(options: ConsumerOptions, registry: ContractRegistry, events: readonly IntegrationEvent[], tx: PoolClient): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const event of events) {
    const span = consumerSpan(options, event, events.length);
    try {
      const outcome = await context.with(trace.setSpan(contextFrom(event), span), () => recordInTransaction(options, registry, event, tx));
      span.setAttribute('cnrms.outcome', outcome.kind);
      outcomes.push(outcome);
    } finally {
      span.end();
    }
  }
  return outcomes;
}

/**
 * `recordInTransaction` for a whole batch when the consumer has a batch handler: the event ids in one
 * statement (one seen before, or twice in the batch, is a duplicate; the handlers' own record instead when they
 * keep one: `handlersRecordEventIds`), each new one checked against its
 * contract (a newer version parked), then the handler once with every event to handle, in order. Each event
 * keeps its trace: a consumer span in the event's context, and under it a projection span that covers the
 * batch's handling (`cnrms.batch.size`).
 */
async function recordBatchInTransaction(options: ConsumerOptions, registry: ContractRegistry, events: readonly IntegrationEvent[], tx: PoolClient): Promise<Outcome[]> {
  const fresh = new Set(
    options.handlersRecordEventIds
      ? events.map((event) => event.eventId)
      : (
          await tx.query<{ event_id: string }>(
            `insert into ${quoteSchema(options.schema)}.messaging_processed (consumer_group, event_id) select $1, id from unnest($2::text[]) as id on conflict do nothing returning event_id`,
            [options.group, events.map((event) => event.eventId)],
          )
        ).rows.map((row) => row.event_id),
  );
  const outcomes: Outcome[] = [];
  const toHandle: IntegrationEvent[] = [];
  const spans: Span[] = [];
  try {
    for (const event of events) {
      const consumer = consumerSpan(options, event, events.length);
      spans.push(consumer);
      const outcome = fresh.delete(event.eventId) ? await decodeOrPark(options, registry, event, tx) : ({ kind: 'duplicate' } as const);
      consumer.setAttribute('cnrms.outcome', outcome.kind);
      outcomes.push(outcome);
      if (outcome.kind !== 'handled') continue;
      toHandle.push(outcome.event);
      const projection = tracer().startSpan(
        `projection ${options.group}`,
        { attributes: { 'messaging.consumer.group.name': options.group, 'cnrms.event.type': event.type, 'cnrms.batch.size': events.length } },
        trace.setSpan(contextFrom(event), consumer),
      );
      spans.push(projection);
    }
    if (toHandle.length > 0) await options.batchHandler!(toHandle, tx);
    return outcomes.map((outcome) => (outcome.kind === 'handled' ? { kind: 'handled' } : outcome));
  } catch (error) {
    for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    for (const span of spans.reverse()) span.end();
  }
}

async function deliver(options: ConsumerOptions, registry: ContractRegistry, event: IntegrationEvent, alsoInTransaction?: (tx: PoolClient) => Promise<void>): Promise<Outcome> {
  const maxAttempts = options.maxAttempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const tx = await options.pool.connect();
    try {
      await tx.query('begin');
      const outcome = await recordInTransaction(options, registry, event, tx);
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

export interface ResumedParked {
  handled: number;
  stillParked: number;
  failed: { eventId: string; reason: string }[];
}

/**
 * Once a consumer knows the version it parked (deployed with the newer contract), hands it its parked
 * events, oldest first. Each one in one transaction: the handler's writes and the removal of the parked
 * record commit together, so an event is handled once even if this runs twice. A parked event the
 * registry still does not know stays parked; a failing handler leaves it parked and is reported.
 * (Parked events are handled after the later events of their key: their order is lost by parking.)
 */
export async function resumeParked(options: Pick<ConsumerOptions, 'group' | 'pool' | 'schema' | 'handler'>, registry: ContractRegistry): Promise<ResumedParked> {
  const schema = quoteSchema(options.schema);
  const result: ResumedParked = { handled: 0, stillParked: 0, failed: [] };
  const { rows } = await options.pool.query<{ event_id: string }>(`select event_id from ${schema}.messaging_parked where consumer_group = $1 order by parked_at, event_id`, [options.group]);
  for (const { event_id: eventId } of rows) {
    const tx = await options.pool.connect();
    try {
      await tx.query('begin');
      const parked = await tx.query<{ envelope: IntegrationEvent }>(`select envelope from ${schema}.messaging_parked where consumer_group = $1 and event_id = $2 for update`, [options.group, eventId]);
      const event = parked.rows[0]?.envelope;
      const decoded = event ? registry.decode(event.type, event.version, event.payload) : undefined;
      if (!event || !decoded || decoded.kind === 'parked') {
        if (event) result.stillParked++;
        await tx.query('rollback');
        continue;
      }
      await options.handler({ ...event, version: decoded.version, payload: decoded.payload }, tx);
      await tx.query(`delete from ${schema}.messaging_parked where consumer_group = $1 and event_id = $2`, [options.group, eventId]);
      await tx.query('commit');
      result.handled++;
    } catch (error) {
      await tx.query('rollback').catch(() => undefined);
      result.failed.push({ eventId, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      tx.release();
    }
  }
  return result;
}

import { createHash } from 'node:crypto';
import { ApolloServerPlugin, GraphQLRequestListener, GraphQLResponse, HeaderMap } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { quoteIdentifier } from '@cnrms/eventsourcing';
import { GraphQLFormattedError } from 'graphql';
import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { BaseConfig, ConfigurationError } from './config';
import { SubgraphContext } from './identity';
import { integerFrom } from './settings';
import { LOGGER, SERVICE_CONFIG, SERVICE_OPTIONS } from './tokens';

/** Outcomes that say nothing was decided: a resend runs the command again (unless its events were recorded). */
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'CONCURRENCY_CONFLICT']);
const TRANSIENT_CATEGORIES = new Set(['UNAVAILABLE']);

type SingleResult = { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] };

function answer(code: string, message: string, details: Record<string, unknown> = {}): GraphQLResponse {
  return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: null, errors: [{ message, extensions: { code, category: 'CONFLICT', ...details } }] } } };
}

/**
 * Idempotent commands (docs/write-path.md). A client gives a mutation its own command id (`Idempotency-Key`
 * at the gateway, `x-command-id` here); the first outcome is kept per caller and command id for
 * `COMMAND_ID_RETENTION_HOURS`, and the same command sent again — concurrently, after a timeout, after a
 * restart — is answered from it without running anything. One command id at a time: a session advisory lock
 * per caller and command id, held on a connection of a small pool of its own (a waiter never holds a
 * connection the running command needs). The same id with another request is `COMMAND_ID_REUSED`. A crash
 * between the command's append and the keeping of its outcome leaves it PENDING: the resend then finds the
 * events recorded with its command id (the events' metadata carries it) and answers
 * `COMMAND_ALREADY_RECORDED` with what they are, instead of recording them twice. An outcome that decided
 * nothing (an internal error, a concurrency conflict, a service unavailable, nothing recorded) is not kept.
 */
@Plugin()
@Injectable()
export class IdempotentCommands implements ApolloServerPlugin<SubgraphContext>, OnModuleDestroy {
  private readonly pool: Pool;
  private readonly table: string;
  private readonly events: string;
  private readonly retentionHours: number;
  private ready: Promise<void> | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(@Inject(SERVICE_CONFIG) config: BaseConfig, @Inject(SERVICE_OPTIONS) options: { service: string }, @Inject(LOGGER) private readonly logger: Logger) {
    const problems: string[] = [];
    this.retentionHours = integerFrom(process.env, 'COMMAND_ID_RETENTION_HOURS', 24, 1, 24 * 90, problems);
    if (problems.length > 0) throw new ConfigurationError(problems);
    const schema = quoteIdentifier(options.service);
    this.table = `${schema}.command_outcomes`;
    this.events = `${schema}.events`;
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
    this.pool.on('error', (error: Error & { code?: string }) => logger.warn({ code: error.code }, 'an idle database connection was closed by the server'));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.pool.end();
  }

  private ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      await this.pool.query(
        `create table if not exists ${this.table} (
           actor_id text not null,
           command_id text not null,
           request_hash text not null,
           status text not null,
           response jsonb,
           created_at timestamptz not null default now(),
           primary key (actor_id, command_id)
         )`,
      );
      await this.purge();
      this.purgeTimer = setInterval(() => void this.purge().catch(() => undefined), 3_600_000);
      this.purgeTimer.unref();
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async purge(): Promise<void> {
    await this.pool.query(`delete from ${this.table} where created_at < now() - make_interval(hours => $1)`, [this.retentionHours]);
  }

  /** What a command id recorded in this service's event store (stream and event type, in order). */
  private async recorded(client: PoolClient, actorId: string, commandId: string): Promise<{ stream: string; type: string }[]> {
    // With EventStoreDB (EVENT_STORE=eventstoredb) there is no such table: nothing is found (docs/write-path.md).
    const table = await client.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [this.events]);
    if (!table.rows[0].exists) return [];
    const found = await client.query<{ stream: string; type: string }>(
      `select stream_id as stream, event_type as type from ${this.events} where metadata->>'commandId' = $1 and metadata->>'actorId' = $2 order by global_position`,
      [commandId, actorId],
    );
    return found.rows;
  }

  async requestDidStart({ contextValue }: { contextValue: SubgraphContext }): Promise<GraphQLRequestListener<SubgraphContext> | void> {
    const commandId = contextValue.commandId;
    const actorId = contextValue.identity?.userId;
    if (!commandId || !actorId) return;
    let held: PoolClient | undefined;
    const lockKey = `command:${this.table}:${actorId}:${commandId}`;
    const release = async (client: PoolClient) => {
      try {
        await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]);
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    };
    return {
      responseForOperation: async (request) => {
        if (request.operation?.operation !== 'mutation') return null;
        await this.ensureTable();
        const requestHash = createHash('sha256').update(`${request.request.query ?? ''}\n${JSON.stringify(request.request.variables ?? {})}`).digest('base64url');
        const client = await this.pool.connect();
        try {
          await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
          const found = await client.query<{ status: string; request_hash: string; response: SingleResult | null }>(
            `select status, request_hash, response from ${this.table} where actor_id = $1 and command_id = $2 and created_at >= now() - make_interval(hours => $3)`,
            [actorId, commandId, this.retentionHours],
          );
          const previous = found.rows[0];
          if (previous && previous.request_hash !== requestHash) {
            await release(client);
            return answer('COMMAND_ID_REUSED', 'Cet identifiant de commande a déjà servi pour une autre demande : générez-en un nouveau pour chaque nouvelle commande.');
          }
          if (previous?.status === 'DONE' && previous.response) {
            await release(client);
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: previous.response } };
          }
          if (previous?.status === 'PENDING') {
            const recorded = await this.recorded(client, actorId, commandId);
            if (recorded.length > 0) {
              await release(client);
              return answer('COMMAND_ALREADY_RECORDED', 'Cette commande a déjà été enregistrée (sa réponse a été perdue en chemin) : rechargez la page pour voir son résultat, sans la renvoyer.', { recorded });
            }
          }
          await client.query(
            `insert into ${this.table} (actor_id, command_id, request_hash, status) values ($1, $2, $3, 'PENDING')
             on conflict (actor_id, command_id) do update set request_hash = excluded.request_hash, status = 'PENDING', response = null, created_at = now()`,
            [actorId, commandId, requestHash],
          );
          held = client;
          return null;
        } catch (error) {
          await release(client);
          throw error;
        }
      },
      willSendResponse: async (request) => {
        const client = held;
        if (!client) return;
        held = undefined;
        try {
          const body = request.response.body;
          const result = body.kind === 'single' ? (body.singleResult as SingleResult) : null;
          const transient = !result || (result.errors ?? []).some((e) => TRANSIENT_CODES.has(String(e.extensions?.code)) || TRANSIENT_CATEGORIES.has(String(e.extensions?.category)));
          if (!transient || (await this.recorded(client, actorId, commandId)).length > 0) {
            await client.query(`update ${this.table} set status = 'DONE', response = $3 where actor_id = $1 and command_id = $2`, [actorId, commandId, JSON.stringify(result)]);
          } else {
            await client.query(`delete from ${this.table} where actor_id = $1 and command_id = $2`, [actorId, commandId]);
          }
        } catch (error) {
          this.logger.warn({ err: error, commandId }, 'the outcome of a command could not be kept; a resend will look for its events');
        } finally {
          await release(client);
        }
      },
    };
  }
}

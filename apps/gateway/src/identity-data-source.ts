import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { Identity, signIdentityHeaders } from '@cnrms/auth';
import { carrierOf, Context } from '@cnrms/tracing';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

export interface GatewayContext {
  /** The caller, verified from their JWT before Apollo runs. */
  identity?: Identity;
  correlationId?: string;
  /** The client's `Idempotency-Key`, passed to the subgraphs as `x-command-id`. */
  commandId?: string;
  /** Filled by the gateway's plugin (operation name, error codes), read by the request's log line and metrics. */
  trace?: { operation?: string; errorCodes?: string[] };
  /** The request's trace (its span), continued by every subgraph call (W3C `traceparent`). */
  traceContext?: Context;
}

type FetchResponse = Parameters<RemoteGraphQLDataSource['didEncounterError']>[2];

/**
 * Passes the verified caller to a subgraph as signed headers (`x-cnrms-identity`,
 * `x-cnrms-identity-expires`, `x-cnrms-identity-signature`, see @cnrms/auth: valid 30 s, for this
 * operation's text only) with the request's `x-correlation-id`. The caller's
 * JWT itself is never forwarded. A subgraph that cannot be reached (down, starting, 502/503/504) fails
 * the fields it owns with SUBGRAPH_UNAVAILABLE, naming the service but not its internal address.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly name: string,
    url: string,
    private readonly secret: string,
    private readonly logger?: Logger,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    // Always signed, with the caller or the "no user" marker: a subgraph answers nothing unsigned.
    for (const [header, value] of Object.entries(signIdentityHeaders(context.identity ?? null, this.secret, { query: request.query ?? '' }))) headers.set(header, value);
    if (context.correlationId) headers.set('x-correlation-id', context.correlationId);
    if (context.commandId) headers.set('x-command-id', context.commandId);
    if (context.traceContext) for (const [header, value] of Object.entries(carrierOf(context.traceContext))) headers.set(header, value);
  }

  override didEncounterError(error: Error, _request: unknown, response?: FetchResponse, context?: GatewayContext): void {
    const status = response?.status;
    if (status === undefined || status === 502 || status === 503 || status === 504) {
      this.logger?.warn({ subgraph: this.name, url: this.url, status, reason: error.message, correlationId: context?.correlationId }, 'subgraph unavailable');
      throw new GraphQLError(`Service « ${this.name} » momentanément indisponible : réessayez dans quelques instants.`, {
        extensions: { code: SUBGRAPH_UNAVAILABLE, service: this.name },
      });
    }
    throw error;
  }
}

import { randomUUID } from 'node:crypto';
import { AuthError, COMMAND_ID, Identity, identityFromHeaders, requireAuthenticated } from '@cnrms/auth';
import { GraphQLError } from 'graphql';
import { CommandContext } from '@cnrms/eventsourcing';

/** What a resolver knows about the request: who calls (verified at the gateway) and the correlation id. */
export interface SubgraphContext {
  identity: Identity | null;
  correlationId: string;
  /** The client's command id (`Idempotency-Key` at the gateway, `x-command-id` here): a resent mutation is answered from its first outcome. */
  commandId?: string;
  /** Why the identity headers were refused, raised by the first resolver that needs the caller. */
  identityError?: unknown;
}

interface HeaderCarrier {
  headers: Record<string, string | string[] | undefined>;
  /** The parsed GraphQL request: the signature binds the identity to its `query`. */
  body?: { query?: unknown } | null;
}

/**
 * The identity comes from the gateway's signed headers only, bound to this operation and a short
 * expiry. A request the gateway did not sign — no headers, a forged, expired or replayed signature — is
 * refused as a whole before any resolver runs (federation's `_entities` and `_service` included): the
 * subgraphs answer the gateway only. The gateway's signed "no user" marker means anonymous.
 */
export function subgraphContext(req: HeaderCarrier, authSecret: string): SubgraphContext {
  const header = req.headers['x-correlation-id'];
  const correlationId = (Array.isArray(header) ? header[0] : header) || randomUUID();
  const query = typeof req.body?.query === 'string' ? req.body.query : '';
  const commandHeader = req.headers['x-command-id'];
  const commandId = (Array.isArray(commandHeader) ? commandHeader[0] : commandHeader) || undefined;
  try {
    return { identity: identityFromHeaders(req.headers, authSecret, { query }), correlationId, ...(commandId && COMMAND_ID.test(commandId) ? { commandId } : {}) };
  } catch (error) {
    if (error instanceof AuthError) {
      throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', reason: error.reason, http: { status: 401 } } });
    }
    throw error;
  }
}

/** The caller's identity, or an UNAUTHENTICATED error. */
export function callerOf(context: SubgraphContext): Identity {
  if (context.identityError) throw context.identityError;
  return requireAuthenticated(context.identity);
}

/** The metadata a command records: who acted, in which flow, for which regional network. */
export function commandContext(context: SubgraphContext, networkId: string | null): CommandContext {
  const identity = callerOf(context);
  return { actorId: identity.userId, correlationId: context.correlationId, causationId: null, networkId, ...(context.commandId ? { commandId: context.commandId } : {}) };
}

import { randomUUID } from 'node:crypto';
import { Identity, identityFromHeaders, requireAuthenticated } from '@cnrms/auth';
import { CommandContext } from '@cnrms/eventsourcing';

/** What a resolver knows about the request: who calls (verified at the gateway) and the correlation id. */
export interface SubgraphContext {
  identity: Identity | null;
  correlationId: string;
  /** Why the identity headers were refused, raised by the first resolver that needs the caller. */
  identityError?: unknown;
}

interface HeaderCarrier {
  headers: Record<string, string | string[] | undefined>;
  /** The parsed GraphQL request: the signature binds the identity to its `query`. */
  body?: { query?: unknown } | null;
}

/**
 * The identity comes from the gateway's signed headers only; an unsigned or tampered identity is
 * refused (the error surfaces on the first resolver that needs it), an absent one means anonymous.
 */
export function subgraphContext(req: HeaderCarrier, authSecret: string): SubgraphContext {
  const header = req.headers['x-correlation-id'];
  const correlationId = (Array.isArray(header) ? header[0] : header) || randomUUID();
  try {
    const query = typeof req.body?.query === 'string' ? req.body.query : '';
    return { identity: identityFromHeaders(req.headers, authSecret, { query }), correlationId };
  } catch (identityError) {
    return { identity: null, correlationId, identityError };
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
  return { actorId: identity.userId, correlationId: context.correlationId, causationId: null, networkId };
}

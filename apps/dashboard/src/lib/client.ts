import { cacheExchange, Client, fetchExchange, makeOperation, mapExchange } from 'urql';
import { isUnauthenticated } from './errors';

/**
 * The gateway's GraphQL endpoint, same origin (the gateway serves this page), with the session's token;
 * `onUnauthenticated` runs when the gateway no longer accepts the token (expired, revoked).
 */
export function createClient(token: () => string | undefined, onUnauthenticated: () => void = () => undefined): Client {
  return new Client({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      mapExchange({
        // A mutation sent with a command id (lib/command.ts) carries it as the gateway's Idempotency-Key.
        onOperation(operation) {
          const commandId: unknown = operation.context.commandId;
          if (operation.kind !== 'mutation' || typeof commandId !== 'string') return operation;
          const base = operation.context.fetchOptions;
          return makeOperation(operation.kind, operation, {
            ...operation.context,
            fetchOptions: () => {
              const options = (typeof base === 'function' ? base() : base) ?? {};
              return { ...options, headers: { ...(options.headers as Record<string, string> | undefined), 'idempotency-key': commandId } };
            },
          });
        },
        onError(error) {
          if (isUnauthenticated(error)) onUnauthenticated();
        },
      }),
      fetchExchange,
    ],
    requestPolicy: 'cache-and-network',
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const bearer = token();
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      return { headers };
    },
  });
}

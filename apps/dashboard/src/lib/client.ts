import { cacheExchange, Client, fetchExchange, mapExchange } from 'urql';
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

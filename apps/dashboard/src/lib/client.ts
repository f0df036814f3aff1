import { cacheExchange, Client, fetchExchange } from 'urql';

/** The gateway's GraphQL endpoint, same origin (the gateway serves this page), with the session's token. */
export function createClient(token: () => string | undefined): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: 'cache-and-network',
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const bearer = token();
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      return { headers };
    },
  });
}

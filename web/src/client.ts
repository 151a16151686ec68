// The dashboard's GraphQL client: same-origin session cookie, POST only
// (Apollo's CSRF prevention blocks the GET queries @urql/core 6 sends by default);
// subscriptions over the live socket (./live/connection.ts).
import { Client, cacheExchange, fetchExchange, getOperationName, mapExchange, subscriptionExchange } from 'urql';
import type { LiveConnection } from './live/connection';

const SIGNED_OUT_OPERATIONS = new Set(['DashboardViewer', 'SignIn', 'SetPassword']);

export function createClient(onSessionEnded: () => void, live?: LiveConnection): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: { credentials: 'same-origin', headers: { 'apollo-require-preflight': 'true' } },
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error, operation) {
          // A session that expired or was revoked mid-use: back to the sign-in form.
          const name = getOperationName(operation.query);
          if (!SIGNED_OUT_OPERATIONS.has(name ?? '') && error.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED')) onSessionEnded();
        },
      }),
      fetchExchange,
      ...(live
        ? [
            subscriptionExchange({
              forwardSubscription(request) {
                const input = { ...request, query: request.query ?? '' };
                return {
                  subscribe(sink) {
                    const unsubscribe = live.socket.subscribe(input, sink);
                    return { unsubscribe };
                  },
                };
              },
            }),
          ]
        : []),
    ],
  });
}

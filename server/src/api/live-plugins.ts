// The HTTP endpoint's part in live updates (Apollo plugins):
// - a subscription POSTed to /graphql gets the access decision it would get
//   over WebSocket, then a 400 saying where subscriptions are served;
// - a mutation that may end someone's access (ACCESS_CHANGING_ACTIONS, read from
//   what the permission table says each operation records: a sign-out, a revoked
//   credential, a removed member…) announces it once done, so live connections of
//   that organization and of the caller's session prove their identity again.
import { GraphQLError, OperationTypeNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { AppDeps } from '../app-deps';
import type { GraphQLContext } from '../graphql/context';
import { permissionFor } from '../access/permissions';
import { operationAccessErrors } from '../access/shield';
import { ACCESS_CHANGING_ACTIONS, announceAccessChange } from '../live/access-notices';
import { LIVE_PATH, rootFieldsOf } from './subscriptions';

export function subscriptionsOverHttpPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return;
          const [denied] = operationAccessErrors('subscription', rootFieldsOf(document, operation), contextValue.identity, contextValue.identityProblem);
          // Answered like the permission layer answers any operation over HTTP (200, the error in the body).
          if (denied) throw new GraphQLError(denied.message, { extensions: { ...denied.extensions, http: { status: 200 } } });
          throw new GraphQLError(
            `Subscriptions are served over WebSocket: connect to ${LIVE_PATH} with the graphql-transport-ws protocol (the graphql-ws client)`,
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}

export function accessChangeNoticesPlugin(deps: AppDeps): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // After execution: the mutation's transaction has committed (or failed, and a check finds nothing changed).
        async willSendResponse({ operation, document, contextValue }) {
          const identity = contextValue.identity;
          if (operation?.operation !== OperationTypeNode.MUTATION || !document || !identity) return;
          const changesAccess = rootFieldsOf(document, operation).some((field) =>
            permissionFor(field)?.audit.some((action) => ACCESS_CHANGING_ACTIONS.includes(action)),
          );
          if (!changesAccess) return;
          announceAccessChange(deps.live, {
            orgId: identity.orgId ?? undefined,
            sessionId: identity.kind === 'user' ? identity.sessionId : undefined,
          });
        },
      };
    },
  };
}

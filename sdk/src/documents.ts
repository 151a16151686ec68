// `@callsnare/sdk/documents`: every generated TypedDocumentNode of the SDK's public
// operations (sdk/src/operations/*.graphql) and its types, for GraphQL clients other
// than this SDK. Dashboard-only operations (sign-in, sessions, members, credentials,
// staff alerts) are generated into web/ and never ship here.
export * from './generated/graphql.js';

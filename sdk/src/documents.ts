// `@callsnare/sdk/documents`: every generated TypedDocumentNode and its types, for
// GraphQL clients other than this SDK (the dashboard's urql client imports these,
// so the operations exist once, in sdk/src/operations/).
export * from './generated/graphql.js';

// Text no field can store is refused once, for every operation, before any
// resolver runs: a NUL character (PostgreSQL text cannot hold U+0000) or an
// unpaired UTF-16 surrogate (not Unicode; JSON lets "\uD800" through). Checked in
// variables and in the string literals of the document; the client gets 400
// BAD_USER_INPUT naming the variable or argument.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';
import type { GraphQLContext } from './context';

// eslint-disable-next-line no-control-regex -- finding NUL is the point: PostgreSQL text cannot store it
const NUL = /\u0000/;
// Without the `u` flag a regex sees UTF-16 code units, so a lone half of a pair is visible.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (NUL.test(text)) return 'contains a NUL character (U+0000), which text cannot hold';
  const surrogate = UNPAIRED_SURROGATE.exec(text);
  if (surrogate) {
    const codeUnit = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains an unpaired surrogate (U+${codeUnit}); send valid Unicode (UTF-8 JSON, or a complete \\uD83D\\uDE00-style pair)`;
  }
  return null;
}

export function inputTextPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const problem = variablesProblem(request.variables ?? {}) ?? literalsProblem(document);
          if (problem) {
            throw new GraphQLError(problem.message, {
              extensions: { code: 'BAD_USER_INPUT', ...problem.where, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

interface TextProblem {
  message: string;
  where: { variable: string } | { argument: string };
}

/** Walks every string (values and object keys) of the variables, without recursion: nesting depth is the client's choice. */
function variablesProblem(variables: Record<string, unknown>): TextProblem | null {
  for (const [name, value] of Object.entries(variables)) {
    const pending: unknown[] = [name, value];
    while (pending.length > 0) {
      const item = pending.pop();
      if (typeof item === 'string') {
        const reason = unstorableTextReason(item);
        if (reason) return { message: `Variable "$${name}" ${reason}.`, where: { variable: name } };
      } else if (Array.isArray(item)) {
        pending.push(...(item as unknown[]));
      } else if (item !== null && typeof item === 'object') {
        for (const [key, nested] of Object.entries(item)) pending.push(key, nested);
      }
    }
  }
  return null;
}

// Apollo hands every request of one query text the same cached document: its literals are checked once.
const checkedDocuments = new WeakMap<DocumentNode, TextProblem | null>();

/** String literals anywhere in the document: arguments, input object fields, variable defaults, directives. */
function literalsProblem(document: DocumentNode): TextProblem | null {
  const known = checkedDocuments.get(document);
  if (known !== undefined) return known;
  const problem = findLiteralsProblem(document);
  checkedDocuments.set(document, problem);
  return problem;
}

function findLiteralsProblem(document: DocumentNode): TextProblem | null {
  let problem: TextProblem | null = null;
  visit(document, {
    StringValue(node, _key, _parent, _path, ancestors) {
      const reason = unstorableTextReason(node.value);
      if (!reason || problem) return;
      const argument = nameOfNearest(ancestors);
      problem = { message: `Argument "${argument}" ${reason}.`, where: { argument } };
    },
  });
  return problem;
}

/** The input field or argument a literal belongs to (innermost first). */
function nameOfNearest(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i];
    if (!node || Array.isArray(node)) continue;
    const astNode = node as ASTNode;
    if (astNode.kind === Kind.OBJECT_FIELD || astNode.kind === Kind.ARGUMENT) return astNode.name.value;
    if (astNode.kind === Kind.VARIABLE_DEFINITION) return `$${astNode.variable.name.value}`;
  }
  return 'value';
}

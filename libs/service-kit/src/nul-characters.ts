import { ApolloServerPlugin } from '@apollo/server';
import { ValidationError } from '@cnrms/decider';
import { DocumentNode, GraphQLError, visit } from 'graphql';

const NUL = '\u0000';

/** The path of the first string holding a NUL character (U+0000) in a request's variables, if any. */
export function nulCharacterPath(value: unknown, path = 'variables'): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulCharacterPath(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulCharacterPath(key, path) ?? nulCharacterPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function documentHoldsNul(document: DocumentNode | undefined): boolean {
  let found = false;
  if (document) visit(document, { StringValue: (node) => void (found ||= node.value.includes(NUL)) });
  return found;
}

/**
 * PostgreSQL cannot store or compare a NUL character (U+0000) in text: a request carrying one anywhere
 * (an id, a name, a date) is refused before any resolver runs, with `INVALID_CHARACTER`, instead of
 * failing deep in a query as an internal error.
 */
export function nulCharacterGuard(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const path = nulCharacterPath(request.variables ?? {}) ?? (documentHoldsNul(document) ? 'query' : undefined);
          if (path !== undefined) {
            const refusal = new ValidationError('INVALID_CHARACTER', 'Le texte envoyé contient un caractère nul (U+0000), qui ne peut pas être enregistré : retirez-le puis envoyez à nouveau.', path);
            // A refusal like any other: answered with HTTP 200 (Apollo would answer 500 for an error thrown here), coded by formatGraphQLError.
            throw new GraphQLError(refusal.message, { originalError: refusal, extensions: { code: refusal.code, http: { status: 200 } } });
          }
        },
      };
    },
  };
}

import { ApolloServerPlugin } from '@apollo/server';
import { ValidationError } from '@cnrms/decider';
import { DocumentNode, GraphQLError, visit } from 'graphql';

/** C0 and C1 control characters, DEL included; tab, line feed and carriage return are ordinary text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The path of the first text (a value or a key) holding a control character in a request's variables, if any. */
export function controlCharacterPath(value: unknown, path = 'variables'): string | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = controlCharacterPath(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = controlCharacterPath(key, path) ?? controlCharacterPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function documentHoldsControlCharacter(document: DocumentNode | undefined): boolean {
  let found = false;
  if (document) visit(document, { StringValue: (node) => void (found ||= CONTROL.test(node.value)) });
  return found;
}

/**
 * One check at the door of every subgraph: a request holding a control character anywhere (a name, an id, a
 * date; U+0000 cannot even be stored by PostgreSQL) is refused with `CONTROL_CHARACTER` before any resolver
 * runs — so before anything is read or written. The message names the field, never its value.
 */
export function controlCharacterGuard(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const path = controlCharacterPath(request.variables ?? {}) ?? (documentHoldsControlCharacter(document) ? 'query' : undefined);
          if (path !== undefined) {
            const refusal = new ValidationError('CONTROL_CHARACTER', `Le champ « ${path} » contient un caractère de contrôle invisible : retirez-le et recommencez.`, path);
            // A refusal like any other: answered with HTTP 200 (Apollo would answer 500 for an error thrown here), coded by formatGraphQLError.
            throw new GraphQLError(refusal.message, { originalError: refusal, extensions: { code: refusal.code, http: { status: 200 } } });
          }
        },
      };
    },
  };
}

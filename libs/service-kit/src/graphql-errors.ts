import { DomainError } from '@cnrms/decider';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { Logger } from 'pino';
import { requestContext } from './logger';

/** Codes that GraphQL itself or Apollo give to malformed requests: passed through as they are. */
const requestErrorCodes = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST']);

/**
 * Every refusal reaches the caller as a GraphQL error with a stable code and a message a person
 * understands; anything unexpected is logged with its correlation id and answered without internals.
 */
export function formatGraphQLError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        extensions: { code: original.code, category: original.kind, ...(original.details ?? {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && requestErrorCodes.has(code)) return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    const correlationId = requestContext.getStore()?.correlationId;
    logger.error({ err: original, path: formatted.path }, 'unexpected error while answering a GraphQL request');
    return {
      message: `Une erreur inattendue est survenue. Référence : ${correlationId ?? 'inconnue'}.`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
    };
  };
}

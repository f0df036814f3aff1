/** GraphQL and network errors in plain French, for people. */
export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}
export interface CombinedErrorLike {
  networkError?: Error | null;
  graphQLErrors: GraphQLErrorLike[];
  response?: { status?: number } | unknown;
}

const SERVICES: Record<string, string> = {
  directory: 'l’annuaire',
  inclusions: 'le suivi des patients',
  meetings: 'les réunions de synthèse',
  training: 'les formations',
  reporting: 'les indicateurs',
};

const BY_CODE: Record<string, string> = {
  FORBIDDEN: 'Vous n’avez pas accès à ces données avec votre rôle.',
  QUERY_TOO_DEEP: 'La demande est trop complexe pour le serveur.',
  QUERY_TOO_LARGE: 'La demande est trop volumineuse pour le serveur.',
  BAD_REQUEST: 'La demande n’a pas pu être lue par le serveur.',
  CONCURRENCY_CONFLICT: 'Quelqu’un a modifié ces données en même temps que vous : rechargez la page et recommencez.',
  GRAPHQL_VALIDATION_FAILED: 'Cette fonction n’est pas encore disponible sur le serveur.',
  INTERNAL_SERVER_ERROR: 'Le serveur a rencontré une erreur inattendue. Réessayez dans un moment.',
};

/** French text has accents or French words; a server message in English is replaced by the code's text. */
const looksFrench = (text: string) => /[àâçéèêëîïôûùüÿœ’«»]|\b(le|la|les|des|une?|est|pas|doit|pour)\b/i.test(text);

export function frenchMessage(error: GraphQLErrorLike): string {
  const code = String(error.extensions?.code ?? '');
  if (code === 'UNAUTHENTICATED') {
    const reason = error.extensions?.reason;
    if (reason === 'TOKEN_EXPIRED') return 'Votre session a expiré : reconnectez-vous.';
    if (reason === 'TOKEN_MISSING') return 'Vous n’êtes pas connecté : connectez-vous.';
    return 'Votre connexion n’est pas reconnue : reconnectez-vous.';
  }
  if (code === 'SUBGRAPH_UNAVAILABLE') {
    const service = SERVICES[String(error.extensions?.service ?? '')] ?? 'un service';
    return `Le service chargé de ${service} ne répond pas pour le moment. Réessayez dans un moment.`;
  }
  if (code === 'GRAPHQL_VALIDATION_FAILED') return BY_CODE[code];
  if (looksFrench(error.message)) return error.message;
  return BY_CODE[code] ?? 'Le serveur a refusé la demande.';
}

/** One sentence per distinct problem. */
export function frenchError(error: CombinedErrorLike): string {
  if (error.graphQLErrors.length) return [...new Set(error.graphQLErrors.map(frenchMessage))].join(' ');
  if (error.networkError) return 'Le serveur ne répond pas : vérifiez votre connexion, puis réessayez.';
  return 'Une erreur inattendue est survenue.';
}

export function isUnauthenticated(error: CombinedErrorLike | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'));
}

/** True when the server does not know a field yet (a service whose API has not landed). */
export function isMissingFromSchema(error: CombinedErrorLike | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' || /Cannot query field/.test(e.message)));
}

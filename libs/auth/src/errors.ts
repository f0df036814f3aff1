import { DomainError } from '@cnrms/decider';

export type AuthErrorCode = 'UNAUTHENTICATED' | 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'IDENTITY_SIGNATURE_INVALID' | 'GATEWAY_SIGNATURE_REQUIRED';

/** The caller could not be authenticated: GraphQL `extensions.code` is UNAUTHENTICATED, `reason` says why. */
export class AuthError extends DomainError {
  constructor(
    readonly reason: AuthErrorCode,
    message: string,
  ) {
    super('UNAUTHENTICATED', message, 'UNAUTHENTICATED', { reason });
    this.name = 'AuthError';
  }
}

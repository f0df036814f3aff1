/**
 * Why a command or a query is refused. The code is stable and machine-readable (it becomes the
 * GraphQL error's `extensions.code`); the message is for a person.
 */
export type ErrorKind = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'RULE_VIOLATION' | 'UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    /** Stable code, e.g. `MICROSTRUCTURE_CLOSED`. */
    readonly code: string,
    message: string,
    readonly kind: ErrorKind = 'RULE_VIOLATION',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input that is malformed whatever the state (a bad RPPS number, an empty name). */
export class ValidationError extends DomainError {
  constructor(code: string, message: string, readonly field?: string) {
    super(code, message, 'BAD_USER_INPUT', field ? { field } : undefined);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'NOT_FOUND');
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, code = 'FORBIDDEN') {
    super(code, message, 'FORBIDDEN');
    this.name = 'ForbiddenError';
  }
}

import { DomainError, ErrorKind } from '@cnrms/decider';

export type ReportingErrorCode =
  | 'UNKNOWN_INDICATOR'
  | 'UNKNOWN_DIMENSION'
  | 'UNSUPPORTED_GROUPING'
  | 'UNSUPPORTED_GRANULARITY'
  | 'INVALID_PERIOD'
  | 'PERIOD_TOO_LONG'
  | 'TOO_MANY_INDICATORS'
  | 'INVALID_FILTER'
  | 'TABLE_TOO_DETAILED'
  | 'REPORTING_BEHIND'
  | 'INVALID_COMMAND_ID';

/** A refused reporting request: `code` becomes the GraphQL error's `extensions.code`, the message is French. */
export class ReportingError extends DomainError {
  constructor(code: ReportingErrorCode, message: string, details?: Record<string, unknown>, kind: ErrorKind = 'BAD_USER_INPUT') {
    super(code, message, kind, details);
    this.name = 'ReportingError';
  }
}

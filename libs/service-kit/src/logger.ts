import { AsyncLocalStorage } from 'node:async_hooks';
import { LoggerService } from '@nestjs/common';
import { DomainError } from '@cnrms/decider';
import { traceLogFields } from '@cnrms/tracing';
import pino, { Logger } from 'pino';

/** The request being handled: its correlation id follows every log line and every event it records. */
export const requestContext = new AsyncLocalStorage<{ correlationId: string }>();

/**
 * Paths that must never reach a log: patient identity, free text, tokens. Logs are for operators and
 * may leave the certified host; the code also never logs command inputs or event data.
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-cnrms-identity"]',
  '*.firstName',
  '*.lastName',
  '*.birthDate',
  '*.email',
  '*.phone',
  '*.address',
  '*.socialSecurityNumber',
  '*.notes',
  '*.summary',
  'variables',
];

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: redactedPaths, censor: '[masqué]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The correlation id and, inside a trace, its ids (`traceId`, `spanId`): a log line leads to its trace.
    mixin: () => {
      const correlationId = requestContext.getStore()?.correlationId;
      return { ...(correlationId ? { correlationId } : {}), ...traceLogFields() };
    },
  });
}

/** NestJS's own messages (module init, routes) through the same JSON logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  /**
   * Nest hands every error a resolver throws to its exception handler, which logs it here. A message may quote
   * what the caller sent (« reçu : « 1961-02-30 » », a database error's detail with its parameters), so an
   * error's message is never logged: a coded refusal (already answered to the caller) is noted at debug level by
   * its code; any other error at error level by its name, code and stack frames.
   */
  error(message: unknown, trace?: string, context?: string) {
    if (message instanceof DomainError) {
      this.logger.debug({ context, error: message.name, code: message.code }, 'refusal answered to the caller');
    } else if (message instanceof Error) {
      const code = (message as { code?: unknown }).code;
      this.logger.error({ context, error: message.name, code, stack: stackFrames(message.stack) }, 'unexpected error (its message is not logged: it may quote input values)');
    } else {
      this.logger.error({ context, trace: stackFrames(trace) }, String(message));
    }
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/** The frames of a stack, without its first line (the error's message). */
function stackFrames(stack: string | undefined): string | undefined {
  return stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
}

import { DomainError } from '@cnrms/decider';
import { ExpectedVersion, StreamAppend } from './event-store.port';

export class WrongExpectedVersionError extends DomainError {
  constructor(readonly streamId: string, readonly expected: ExpectedVersion, readonly actual: number) {
    super('WRONG_EXPECTED_VERSION', `Le flux ${streamId} est à la version ${actual}, version attendue : ${String(expected)}.`, 'CONFLICT', {
      streamId,
      expected,
      actual,
    });
    this.name = 'WrongExpectedVersionError';
  }
}

/** A command kept meeting concurrent changes and gave up after its retries. */
export class ConcurrencyConflictError extends DomainError {
  constructor(readonly streamId: string, attempts: number) {
    super(
      'CONCURRENCY_CONFLICT',
      `Ce dossier a été modifié en même temps par quelqu'un d'autre (${attempts} tentatives). Rechargez et réessayez.`,
      'CONFLICT',
      { streamId, attempts },
    );
    this.name = 'ConcurrencyConflictError';
  }
}

export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 0) ||
    (expected === 'stream_exists' && actual > 0) ||
    expected === actual;
  if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
}

/** A multi-stream append names each stream once (two parts for one stream would race with themselves). */
export function assertDistinctStreams(appends: readonly StreamAppend[]): void {
  const seen = new Set<string>();
  for (const { streamId } of appends) {
    if (seen.has(streamId)) throw new Error(`Stream ${streamId} appears twice in one append`);
    seen.add(streamId);
  }
}

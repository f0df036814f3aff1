import { Decider, fold } from './decider';
import { DomainError } from './errors';

/**
 * Given/When/Then for deciders:
 * `given(decider, pastEvents).when(command).then(expectedEvents)` or `.thenThrows(code)`.
 */
export function given<Command, Event, State>(decider: Decider<Command, Event, State>, events: readonly Event[] = []) {
  return {
    when(command: Command) {
      const run = () => decider.decide(command, fold(decider, events));
      return {
        then(expected: Event[]): void {
          expect(run()).toEqual(expected);
        },
        /** Asserts a refusal with the given domain error code (and, optionally, a message fragment). */
        thenThrows(code: string, messagePart?: string | RegExp): void {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe(code);
          if (messagePart) expect((caught as DomainError).message).toMatch(messagePart);
        },
        /** For checks beyond equality (e.g. matching part of an event). */
        events(): Event[] {
          return run();
        },
      };
    },
  };
}

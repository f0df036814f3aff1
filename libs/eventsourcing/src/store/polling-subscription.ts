import { BatchHandler, comparePositions, formatPosition, GlobalPosition, ReadAllOptions, RecordedEvent, START, SubscribeOptions, Subscription } from './event-store.port';

export interface PollingOptions {
  batchSize?: number;
  /** Longest wait between two reads when no wake-up arrives (late commits are found this way). */
  idleMs?: number;
}

/**
 * A read for a subscription: the events, and whether committed events after them are held back (a store that
 * delivers in commit order waits for an older transaction still open). Held back, the subscription reads again
 * soon (`HELD_BACK_FIRST_RETRY_MS`, doubling up to `idleMs`) instead of waiting for the next wake-up or the idle
 * delay: the wake-up of those events has already come.
 */
export interface SubscriptionRead {
  events: RecordedEvent[];
  heldBack: boolean;
}

export interface SubscriptionSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  readForSubscription?(options: ReadAllOptions): Promise<SubscriptionRead>;
}

export const HELD_BACK_FIRST_RETRY_MS = 2;

/**
 * Catch-up then live subscription on top of `readAll`: reads batches after the last delivered position,
 * hands each to the handler, and when caught up waits for a wake-up (new events) or the idle delay.
 * `listen(wake)` registers a wake-up source and returns its unregistration.
 */
export function pollingSubscription(
  store: SubscriptionSource,
  options: SubscribeOptions & PollingOptions,
  handler: BatchHandler,
  listen: (wake: () => void) => () => void,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 250;
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let pendingWake = false;
  const wake = () => {
    pendingWake = true;
    wakeUp?.();
  };
  const unlisten = listen(wake);

  // A wake-up that comes after a read began is kept for the next one: that read may not see its events.
  const read = async (options: ReadAllOptions): Promise<SubscriptionRead> => {
    pendingWake = false;
    return store.readForSubscription ? store.readForSubscription(options) : { events: await store.readAll(options), heldBack: false };
  };
  let heldBackRetryMs = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pendingWake || stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const run = async () => {
    let after: GlobalPosition = options.after ?? START;
    // The next batch, read while the handler takes a full one (a backlog): the store's read beside the handler's work.
    let readAhead: Promise<SubscriptionRead> | undefined;
    try {
      while (!stopped) {
        const { events: found, heldBack } = await (readAhead ?? read({ after, categories: options.categories, maxCount: batchSize }));
        readAhead = undefined;
        if (stopped) break;
        // Delivered at most once even if a store ever returned an event at or before the checkpoint.
        const events = found.filter((event) => comparePositions(event.position, after) > 0);
        // A batch out of order would move the checkpoint backwards (its last event is then not its
        // greatest) and the next read would deliver events again: refuse it rather than duplicate or skip.
        assertAscending(events);
        const full = found.length === batchSize && events.length > 0;
        if (events.length > 0) {
          const last = events[events.length - 1].position;
          if (full) {
            readAhead = read({ after: last, categories: options.categories, maxCount: batchSize });
            readAhead.catch(() => undefined); // a failed read ahead fails the loop when awaited, not before
          }
          await handler(events);
          after = last;
        }
        if (full) continue;
        heldBackRetryMs = heldBack ? Math.min(idleMs, heldBackRetryMs === 0 ? HELD_BACK_FIRST_RETRY_MS : heldBackRetryMs * 2) : 0;
        await sleep(heldBack ? heldBackRetryMs : idleMs);
      }
    } catch (error) {
      stopped = true;
      options.onError?.(error);
      throw error;
    } finally {
      unlisten();
    }
  };

  const done = run();
  done.catch(() => undefined); // observed through `done`; avoids an unhandled rejection when nobody awaits it
  return {
    done,
    async stop() {
      stopped = true;
      wakeUp?.();
      await done.catch(() => undefined);
    },
  };
}

function assertAscending(events: readonly RecordedEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    if (comparePositions(events[i - 1].position, events[i].position) >= 0) {
      throw new Error(
        `readAll returned events out of global order: ${formatPosition(events[i].position)} (${events[i].streamId}@${events[i].streamVersion}) ` +
          `after ${formatPosition(events[i - 1].position)} (${events[i - 1].streamId}@${events[i - 1].streamVersion})`,
      );
    }
  }
}

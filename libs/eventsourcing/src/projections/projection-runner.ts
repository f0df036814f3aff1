import { DataSource } from 'typeorm';
import { upcast, Upcaster } from '../command/upcasting';
import { comparePositions, EventStore, formatPosition, GlobalPosition, RecordedEvent, START, streamCategory, Subscription } from '../store/event-store.port';
import { CheckpointStore } from './checkpoint-store';
import { Projection } from './projection';

export interface ProjectionRunnerOptions {
  store: EventStore;
  dataSource: DataSource;
  /** Schema of the checkpoint table (the service's schema). */
  schema: string;
  upcasters?: readonly Upcaster[];
  /** Delay before a failed projection tries its batch again. */
  retryDelayMs?: number;
  onError?: (projection: string, error: unknown) => void;
  onApplied?: (projection: string, count: number) => void;
}

export interface ProjectionStatus {
  name: string;
  running: boolean;
  position: string;
  /** Events of the projection's categories not applied yet (capped at `LAG_CAP`). */
  behind: number;
  lastError?: string;
}

const LAG_CAP = 1000;

interface RunningProjection {
  projection: Projection;
  subscription?: Subscription;
  position: GlobalPosition;
  lastError?: string;
  retryTimer?: NodeJS.Timeout;
  waiters: { target: GlobalPosition; resolve: () => void }[];
}

/**
 * Runs projections on checkpointed subscriptions. Each batch is applied in one database transaction that
 * locks and then advances the projection's checkpoint; a failure rolls the whole batch back and the
 * projection resumes from its checkpoint after a delay.
 */
/** A projection did not reach a position in time (it is behind, or stopped): what was written is written. */
export class ProjectionWaitTimeoutError extends Error {
  constructor(readonly projection: string, position: string, timeoutMs: number) {
    super(`Projection ${projection} did not reach ${position} within ${timeoutMs} ms`);
    this.name = 'ProjectionWaitTimeoutError';
  }
}

export class ProjectionRunner {
  private readonly projections = new Map<string, RunningProjection>();
  private readonly checkpoints: CheckpointStore;
  private readonly rebuilds = new Map<string, Promise<void>>();
  private started = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.checkpoints = new CheckpointStore(options.schema);
  }

  register(...projections: Projection[]): this {
    for (const projection of projections) {
      if (this.projections.has(projection.name)) throw new Error(`Projection ${projection.name} is registered twice`);
      this.projections.set(projection.name, { projection, position: START, waiters: [] });
    }
    return this;
  }

  async migrate(): Promise<void> {
    await this.checkpoints.migrate(this.options.dataSource.manager, this.options.schema);
  }

  async start(): Promise<void> {
    await this.migrate();
    this.started = true;
    for (const running of this.projections.values()) {
      if (await this.checkpoints.rebuildRequested(this.options.dataSource.manager, running.projection.name)) await this.rebuildNow(running);
      else await this.subscribe(running);
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.projections.values()].map((running) => this.unsubscribe(running)));
  }

  /**
   * Empties the projection's tables and checkpoint in one transaction, then replays it from the start of
   * the log. Rebuilds of one projection run one after the other (concurrent calls would otherwise stop
   * and start its subscription over each other).
   */
  rebuild(name: string): Promise<void> {
    const running = this.get(name);
    const previous = this.rebuilds.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.rebuildNow(running));
    this.rebuilds.set(name, next);
    void next.finally(() => {
      if (this.rebuilds.get(name) === next) this.rebuilds.delete(name);
    }).catch(() => undefined);
    return next;
  }

  private async rebuildNow(running: RunningProjection): Promise<void> {
    const name = running.projection.name;
    await this.unsubscribe(running);
    await this.options.dataSource.transaction(async (manager) => {
      await this.checkpoints.lock(manager, name);
      await running.projection.reset(manager);
      await this.checkpoints.remove(manager, name);
    });
    running.position = START;
    if (this.started) await this.subscribe(running);
  }

  /**
   * The position a projection must reach to show a change made of several streams: the last of those in its
   * categories (undefined when it follows none of them: it has nothing to show).
   */
  positionToShow(name: string, positions: readonly { streamId: string; position: GlobalPosition }[]): GlobalPosition | undefined {
    const categories = this.get(name).projection.categories;
    return positions
      .filter(({ streamId }) => !categories || categories.includes(streamCategory(streamId)))
      .map(({ position }) => position)
      .reduce<GlobalPosition | undefined>((last, position) => (last && comparePositions(last, position) >= 0 ? last : position), undefined);
  }

  /** Resolves once the projection has applied an event at or after `position` (read-your-writes). */
  waitFor(name: string, position: GlobalPosition, timeoutMs = 5000): Promise<void> {
    const running = this.get(name);
    if (comparePositions(running.position, position) >= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        running.waiters = running.waiters.filter((w) => w !== waiter);
        reject(new ProjectionWaitTimeoutError(name, formatPosition(position), timeoutMs));
      }, timeoutMs);
      const waiter = {
        target: position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      running.waiters.push(waiter);
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    return Promise.all(
      [...this.projections.values()].map(async (running) => {
        const pending = await this.options.store.readAll({ after: running.position, categories: running.projection.categories, maxCount: LAG_CAP });
        const subscribed = running.subscription !== undefined;
        return {
          name: running.projection.name,
          running: subscribed,
          position: formatPosition(running.position),
          behind: pending.length,
          // Running and caught up: an earlier failure (PostgreSQL restarted meanwhile) is over, whatever it was.
          lastError: subscribed && pending.length === 0 ? undefined : running.lastError,
        };
      }),
    );
  }

  private get(name: string): RunningProjection {
    const running = this.projections.get(name);
    if (!running) throw new Error(`Unknown projection ${name}`);
    return running;
  }

  private async subscribe(running: RunningProjection): Promise<void> {
    running.position = await this.checkpoints.read(this.options.dataSource.manager, running.projection.name);
    const subscription = this.options.store.subscribeToAll({ after: running.position, categories: running.projection.categories }, (events) =>
      this.applyBatch(running, events),
    );
    running.subscription = subscription;
    subscription.done.catch((error) => {
      running.lastError = error instanceof Error ? error.message : String(error);
      this.options.onError?.(running.projection.name, error);
      if (running.subscription !== subscription) return;
      running.subscription = undefined;
      this.retryLater(running);
    });
  }

  /** Subscribes again after a delay, and again after every attempt that fails (PostgreSQL restarting refuses connections a while). */
  private retryLater(running: RunningProjection): void {
    clearTimeout(running.retryTimer);
    running.retryTimer = setTimeout(() => {
      running.retryTimer = undefined;
      if (!this.started || running.subscription) return;
      this.subscribe(running).catch((error: unknown) => {
        running.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(running.projection.name, error);
        this.retryLater(running);
      });
    }, this.options.retryDelayMs ?? 1000);
  }

  private async unsubscribe(running: RunningProjection): Promise<void> {
    clearTimeout(running.retryTimer);
    const subscription = running.subscription;
    running.subscription = undefined;
    await subscription?.stop();
  }

  private async applyBatch(running: RunningProjection, events: RecordedEvent[]): Promise<void> {
    const { projection } = running;
    const last = events[events.length - 1].position;
    await this.options.dataSource.transaction(async (manager) => {
      const checkpoint = await this.checkpoints.lock(manager, projection.name);
      const fresh = events.filter((e) => comparePositions(e.position, checkpoint) > 0);
      for (const event of fresh) await projection.apply(upcast(event, this.options.upcasters ?? []), manager);
      if (comparePositions(last, checkpoint) > 0) await this.checkpoints.write(manager, projection.name, last);
      this.options.onApplied?.(projection.name, fresh.length);
    });
    running.position = last;
    running.lastError = undefined;
    running.waiters = running.waiters.filter((waiter) => {
      if (comparePositions(last, waiter.target) < 0) return true;
      waiter.resolve();
      return false;
    });
  }
}

/**
 * Runs the work given for one key one after the other, in the order it was given (FIFO), and work for
 * different keys side by side. The training service queues its commands per stream: concurrent
 * registrations to one training are decided in the order they reached this process, without a storm
 * of version conflicts. Between processes (several replicas), the event store's expected version and
 * the command handler's retries still keep every decision on the latest state.
 */
export class StreamQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}

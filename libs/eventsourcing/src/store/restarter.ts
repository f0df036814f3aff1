/**
 * Starts a subscription again after a failure — and again after every start that fails too (PostgreSQL
 * restarting refuses connections for a while), until one succeeds or it is cancelled. A single retry would
 * leave a relay or a consumer stopped for good after a database restart.
 */
export class Restarter {
  private timer?: NodeJS.Timeout;
  private cancelled = false;

  constructor(
    private readonly start: () => Promise<void>,
    private readonly delayMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  schedule(): void {
    if (this.cancelled) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.cancelled) return;
      this.start().catch((error: unknown) => {
        this.onError?.(error);
        this.schedule();
      });
    }, this.delayMs);
  }

  cancel(): void {
    this.cancelled = true;
    clearTimeout(this.timer);
  }
}

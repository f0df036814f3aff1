import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LOGGER, PG_POOL } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Pool, PoolClient } from 'pg';
import { cellWritingOf } from './facts/fact-sets';
import { applierSpan, applyNextRange, INBOX_CHANNEL, partsOfApplier, setParts } from './facts/part-appliers';
import { REPORTING_SETTINGS } from './tokens';
import { ReportingSettings } from '../config';

/** How long an idle applier waits for the intake's notification before it looks at the inbox anyway. */
const IDLE_LOOK_MS = 5_000;
/** After a failed transaction (a deadlock, the server gone), before the next: doubled at each failure in a row, up to the most. */
const RETRY_MS = 1_000;
const MOST_RETRY_MS = 30_000;

/**
 * The service's appliers (`part-appliers.ts`): `REPORTING_APPLIER_PARTS` loops, each applying its parts of the inbox's
 * backlog one transaction after the other, woken by the intake's notification (`LISTEN reporting_inbox`) or, idle,
 * every few seconds. A failed transaction is rolled back whole and tried again.
 */
@Injectable()
export class FactSetAppliers implements OnApplicationBootstrap, OnModuleDestroy {
  private stopped = false;
  private loops: Promise<void>[] = [];
  private listener?: PoolClient;
  private wakers = new Set<() => void>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    const count = this.settings.applierParts;
    this.loops = Array.from({ length: count }, (_, index) => this.run(index, count));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wakeAll();
    await Promise.all(this.loops);
    this.listener?.release();
  }

  private async run(index: number, count: number): Promise<void> {
    const options = { ...cellWritingOf(this.settings), span: applierSpan(this.settings.maxBatchEvents, count) };
    for (let failures = 0; !this.stopped; ) {
      let moved = 0;
      try {
        for (const part of partsOfApplier(index, count, await setParts(this.pool, count))) moved += await applyNextRange(this.pool, part, options);
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        // A deadlock or a lost connection passes at the next try; a range failing again and again holds its part back
        // (the figures of its networks stop moving): an error to look at, the range given in the log.
        const log = failures >= 3 ? this.logger.error.bind(this.logger) : this.logger.warn.bind(this.logger);
        log({ err: error, applier: index, failures }, 'reporting applier transaction failed; tried again');
        await this.sleep(Math.min(MOST_RETRY_MS, RETRY_MS * 2 ** (failures - 1)));
        continue;
      }
      if (moved === 0) await this.sleep(IDLE_LOOK_MS);
    }
  }

  /** Resolves after `ms`, or at the intake's next notification, or at the stop. */
  private sleep(ms: number): Promise<void> {
    if (!this.listener && !this.stopped) void this.listen();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
      if (this.stopped) wake();
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** A connection kept to hear the intake (without it, the appliers look every few seconds and try again). */
  private async listen(): Promise<void> {
    let client: PoolClient | undefined;
    const lost = (error: Error) => {
      this.logger.warn({ err: error }, 'reporting appliers do not hear the inbox; they look at it every few seconds');
      if (client && this.listener === client) {
        this.listener = undefined;
        client.release(error);
      }
    };
    try {
      client = await this.pool.connect();
      this.listener = client;
      client.on('notification', () => this.wakeAll());
      client.on('error', lost);
      await client.query(`listen ${INBOX_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
    }
  }
}

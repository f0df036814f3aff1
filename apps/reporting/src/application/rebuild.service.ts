import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, PG_POOL } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { ReportingSettings } from '../config';
import { lastRebuild, rebuildFacts, RebuildProgress } from './facts/rebuild';
import { cellWritingOf } from './facts/fact-sets';
import { REPORTING_SETTINGS } from './tokens';

/** Runs a rebuild in the service's process, in the background, logging its progress every few seconds. */
@Injectable()
export class RebuildService {
  private running?: Promise<RebuildProgress>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  /** Starts a rebuild and answers once its new fact set exists (the rebuild goes on). */
  start(): Promise<RebuildProgress> {
    return new Promise((resolve, reject) => {
      let lastLog = 0;
      let started = false;
      this.running = rebuildFacts(this.pool, {
        ...cellWritingOf(this.settings),
        onStarted: (progress) => {
          started = true;
          this.logger.info({ rebuild: progress }, 'reporting rebuild started');
          resolve(progress);
        },
        onProgress: (progress) => {
          if (Date.now() - lastLog < 5000 && progress.status === 'BUILDING') return;
          lastLog = Date.now();
          this.logger.info({ rebuild: progress }, 'reporting rebuild progress');
        },
      });
      this.running
        .then((done) => this.logger.info({ rebuild: done }, 'reporting rebuild finished: queries now read the new fact set'))
        .catch((error) => {
          this.logger.error({ err: error }, 'reporting rebuild failed: queries go on reading the previous fact set');
          if (!started) reject(error);
        })
        .finally(() => (this.running = undefined));
    });
  }

  progress(): Promise<RebuildProgress | null> {
    return lastRebuild(this.pool);
  }

  /** For tests and shutdown: the rebuild in progress, if any. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}

import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LOGGER, PG_POOL } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { activeFactSet } from './facts/fact-sets';
import { runUpkeep, tableActivity, upkeepSteps } from './facts/table-upkeep';
import { REPORTING_SETTINGS } from './tokens';
import { ReportingSettings } from '../config';

/**
 * Every `REPORTING_UPKEEP_INTERVAL_SECONDS`, the upkeep of reporting's tables and of the active fact set's that the
 * server's autovacuum does not take care of (`table-upkeep.ts`): nothing on a server where it runs.
 */
@Injectable()
export class FactSetUpkeep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.upkeepIntervalSeconds > 0) this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One look: the tables over autovacuum's thresholds analyzed or vacuumed, one after the other. */
  async runOnce(): Promise<void> {
    const active = await activeFactSet(this.pool);
    const steps = upkeepSteps(await tableActivity(this.pool, active ? ['reporting', active.schema_name] : ['reporting']));
    await runUpkeep(this.pool, steps, (step, ms) => this.logger.info({ table: `${step.schema}.${step.table}`, action: step.action, ms }, 'reporting table upkeep (the server’s autovacuum is off)'));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error) => this.logger.warn({ err: error }, 'reporting table upkeep failed; tried again at the next interval'))
        .finally(() => this.schedule());
    }, this.settings.upkeepIntervalSeconds * 1000);
    this.timer.unref();
  }
}

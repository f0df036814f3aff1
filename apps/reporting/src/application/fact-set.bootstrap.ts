import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { LOGGER, PG_POOL } from '@cnrms/service-kit';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { FACT_SET_LAYOUT } from './facts/fact-set.schema';
import { DataSource } from 'typeorm';
import { ensureActiveFactSet } from './facts/fact-sets';

/** Before the consumer starts (at application bootstrap): the migrations have run and a fact set exists. */
@Injectable()
export class FactSetBootstrap implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    const active = await ensureActiveFactSet(this.pool);
    if (active.layout !== FACT_SET_LAYOUT) {
      this.logger.warn({ active: active.version, layout: active.layout, expected: FACT_SET_LAYOUT }, 'the active reporting fact set has an older table layout: run a rebuild (reportingStartRebuild or apps/reporting/src/rebuild.cli.ts)');
    }
  }
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PG_POOL } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ensureActiveFactSet } from './facts/fact-sets';

/** Before the consumer starts (at application bootstrap): the migrations have run and a fact set exists. */
@Injectable()
export class FactSetBootstrap implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    await ensureActiveFactSet(this.pool);
  }
}

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PG_POOL } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { Gauge, register } from 'prom-client';

/**
 * Reporting's freshness on /metrics, read from PostgreSQL at each scrape (a rebuild may run in another
 * process): events applied to the active fact set, age of the last one, and a running rebuild's progress.
 */
@Injectable()
export class ReportingMetrics implements OnModuleDestroy {
  private readonly gauges: Gauge[];

  constructor(@Inject(PG_POOL) pool: Pool) {
    const read = async () =>
      (
        await pool.query<{ status: string; events_applied: string; last_event_at: Date | null; position: string; target_position: string | null }>(
          `select status, events_applied, last_event_at, position, target_position from reporting.fact_sets where status in ('ACTIVE', 'BUILDING')`,
        )
      ).rows;
    const applied = new Gauge({
      name: 'cnrms_reporting_events_applied',
      help: 'Integration events applied to the fact set queries read',
      async collect() {
        const active = (await read()).find((row) => row.status === 'ACTIVE');
        this.set(Number(active?.events_applied ?? 0));
      },
    });
    const age = new Gauge({
      name: 'cnrms_reporting_last_event_age_seconds',
      help: 'Seconds since the last integration event taken into account occurred',
      async collect() {
        const active = (await read()).find((row) => row.status === 'ACTIVE');
        this.set(active?.last_event_at ? (Date.now() - active.last_event_at.getTime()) / 1000 : -1);
      },
    });
    const rebuild = new Gauge({
      name: 'cnrms_reporting_rebuild_events_left',
      help: 'Inbox events a running rebuild has still to apply (0 when none runs)',
      async collect() {
        const building = (await read()).find((row) => row.status === 'BUILDING');
        this.set(building ? Math.max(0, Number(building.target_position ?? 0) - Number(building.position)) : 0);
      },
    });
    this.gauges = [applied, age, rebuild];
  }

  onModuleDestroy(): void {
    for (const gauge of this.gauges) register.removeSingleMetric((gauge as unknown as { name: string }).name);
  }
}

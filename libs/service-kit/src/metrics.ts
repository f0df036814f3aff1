import { Controller, Get, Header } from '@nestjs/common';
import { ProjectionRunner } from '@cnrms/eventsourcing';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

collectDefaultMetrics();

export const commandDuration = new Histogram({
  name: 'cnrms_command_duration_seconds',
  help: 'Time to handle a command (load, decide, append), by command and outcome',
  labelNames: ['command', 'outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export const eventsAppended = new Counter({
  name: 'cnrms_events_appended_total',
  help: 'Events appended to the event store, by event type',
  labelNames: ['type'],
});

export const projectionLag = new Gauge({
  name: 'cnrms_projection_lag_events',
  help: 'Events not yet applied by a projection (capped at 1000)',
  labelNames: ['projection'],
});

export const projectionApplied = new Counter({
  name: 'cnrms_projection_events_applied_total',
  help: 'Events applied by a projection',
  labelNames: ['projection'],
});

export const deadLetters = new Counter({
  name: 'cnrms_dead_letters_total',
  help: 'Integration events a consumer group sent to its dead-letter topic, by group and topic',
  labelNames: ['group', 'topic'],
});

/** How far each relay of this process is behind its service's log (read at each scrape). */
export const relayBacklogSources = new Map<string, () => Promise<number>>();

export const relayBacklog = new Gauge({
  name: 'cnrms_relay_backlog_events',
  help: 'Events of the service not yet published by its relay (capped at 1000)',
  labelNames: ['relay'],
  async collect() {
    for (const [relay, backlog] of relayBacklogSources) this.set({ relay }, await backlog().catch(() => -1));
  },
});

@Controller('metrics')
export class MetricsController {
  constructor(private readonly projections: ProjectionRunner) {}

  @Get()
  @Header('Content-Type', register.contentType)
  async metrics(): Promise<string> {
    for (const status of await this.projections.status()) projectionLag.set({ projection: status.name }, status.behind);
    return register.metrics();
  }
}

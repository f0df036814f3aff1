import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ProjectionRunner } from '@cnrms/eventsourcing';
import { projectionLag } from './metrics';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready when the database answers and no projection is stuck on an error; reports each projection's lag. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1500 }), () => this.projectionsIndicator()]);
  }

  private async projectionsIndicator(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('projections');
    const statuses = await this.projections.status();
    for (const status of statuses) projectionLag.set({ projection: status.name }, status.behind);
    const details = Object.fromEntries(statuses.map((s) => [s.name, { running: s.running, behind: s.behind, position: s.position, lastError: s.lastError }]));
    return statuses.some((s) => s.lastError) ? indicator.down(details) : indicator.up(details);
  }
}

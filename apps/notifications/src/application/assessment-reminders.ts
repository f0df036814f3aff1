import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { todayInFrance } from '@cnrms/decider';
import { LOGGER, PG_POOL } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { NotificationSettings } from '../config';
import { deliver } from './deliveries';
import { assessmentDue } from './notices';
import { CLOCK, Clock, NOTIFICATION_SETTINGS } from './tokens';

interface DueAssessment {
  inclusion_id: string;
  microstructure_id: string;
  timepoint: string;
  due_on: string;
  window_end_on: string;
  recipients: string[];
}

/**
 * Tells each microstructure's members, once, that an assessment of one of their open inclusions is due:
 * on the first look after its window opens (due date − window), if it is not recorded and the patient has
 * neither exited nor been erased. Looks at start and then every `reminderIntervalMs`; the due dates follow
 * the inclusions service's rule (inclusion date + months, clamped to the month's end, as PostgreSQL's
 * `date + interval` does). Each look is one transaction; a second look finds nothing new.
 */
@Injectable()
export class AssessmentReminders implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const look = () => {
      this.remind().catch((error: unknown) => this.logger.warn({ err: error }, 'the due assessments could not be looked at; next look at the next interval'));
    };
    look();
    this.timer = setInterval(look, this.settings.reminderIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One look (also run by the tests): the number of notices created. Never two looks at once. */
  remind(): Promise<number> {
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<number> {
    const timepoints = this.settings.timepoints;
    if (timepoints.length === 0) return 0;
    const today = todayInFrance(this.clock());
    const tx = await this.pool.connect();
    try {
      await tx.query('begin');
      const due = await tx.query<DueAssessment>(
        `with due as (
           select f.inclusion_id, f.microstructure_id, t.code as timepoint, (f.included_on + make_interval(months => t.months))::date as due_on
           from notifications.follow_ups f cross join unnest($1::text[], $2::int[]) as t(code, months)
           where not f.closed
             and not exists (select 1 from notifications.assessments_recorded a where a.inclusion_id = f.inclusion_id and a.timepoint = t.code)
         )
         select d.inclusion_id, d.microstructure_id, d.timepoint, d.due_on::text, (d.due_on + $4::int)::text as window_end_on,
                array_agg(distinct m.professional_id) as recipients
         from due d
         join notifications.memberships m on m.microstructure_id = d.microstructure_id and m.started_on <= $3::date and (m.ended_on is null or m.ended_on >= $3::date)
         where $3::date between d.due_on - $4::int and d.due_on + $4::int
           and not exists (select 1 from notifications.notices n where n.professional_id = m.professional_id and n.about = 'assessment:' || d.inclusion_id || ':' || d.timepoint)
         group by d.inclusion_id, d.microstructure_id, d.timepoint, d.due_on`,
        [timepoints.map((t) => t.code), timepoints.map((t) => t.monthsAfterInclusion), today, this.settings.assessmentWindowDays],
      );
      let created = 0;
      const mail = { enabled: this.settings.smtpUrl !== null, dashboardUrl: this.settings.dashboardUrl };
      for (const row of due.rows) {
        const notice = assessmentDue({ microstructureId: row.microstructure_id, inclusionId: row.inclusion_id, timepoint: row.timepoint, dueOn: row.due_on, windowEndOn: row.window_end_on });
        created += await deliver(tx, row.recipients, `assessment:${row.inclusion_id}:${row.timepoint}`, notice, mail);
      }
      await tx.query('commit');
      if (created > 0) this.logger.info({ created }, 'due assessments reminded');
      return created;
    } catch (error) {
      await tx.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      tx.release();
    }
  }
}

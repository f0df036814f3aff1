import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LOGGER, PG_POOL } from '@cnrms/service-kit';
import { createTransport, Transporter } from 'nodemailer';
import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { NotificationSettings } from '../config';
import { MAIL_CHANNEL } from './deliveries';
import { NOTIFICATION_SETTINGS } from './tokens';

interface PendingEmail {
  notice_id: string;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
}

/** Seconds before the next attempt after `attempts` failures: 30 s, 1 min, 2 min… at most an hour. */
export const retryDelaySeconds = (attempts: number): number => Math.min(3600, 15 * 2 ** Math.max(1, attempts));

/**
 * Sends the queued e-mails through the configured SMTP server: woken by each committed notice (LISTEN on
 * the mail channel) and every `mailPollMs` for retries. Each e-mail is taken under a row lock (`skip
 * locked`: two replicas never send the same one), sent, then marked SENT; a refused or unreachable server
 * leaves it PENDING with the error and a later attempt, until `mailMaxAttempts` (then FAILED — the notice
 * stays in the inbox). An e-mail sent but not marked (a crash in between) may be sent once more: e-mail
 * has no exactly-once, and a duplicate beats a loss. Addresses are never logged.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, OnModuleDestroy {
  private transport: Transporter | undefined;
  private listener: PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.smtpUrl === null) {
      this.logger.info('SMTP_URL is not set: notices go to the dashboard inbox only, no e-mail is sent');
      return;
    }
    this.transport = createTransport(this.settings.smtpUrl);
    this.timer = setInterval(() => void this.wake(), this.settings.mailPollMs);
    this.timer.unref();
    await this.listen().catch((error: unknown) => this.logger.warn({ err: error }, 'cannot listen for new e-mails yet; polling meanwhile'));
    void this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.listener?.release(true);
    this.transport?.close();
  }

  /**
   * Sends what is due now; resolves with the number sent by a pass that began after this call (the tests call it
   * too). While a pass runs, the calls share one more pass after it: what became due meanwhile is not missed.
   */
  wake(): Promise<number> {
    if (!this.running) return this.pass();
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.stopped ? 0 : (this.running ?? this.pass());
    });
    return this.queued;
  }

  private pass(): Promise<number> {
    this.running = this.drain()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'the e-mails could not be looked at; next attempt at the next poll');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async listen(): Promise<void> {
    if (this.listener || this.stopped) return;
    const client = await this.pool.connect();
    client.on('notification', () => void this.wake());
    client.on('error', () => {
      // The server closed it (a restart): listen again at the next poll.
      if (this.listener === client) this.listener = undefined;
      client.release(true);
    });
    await client.query(`listen ${MAIL_CHANNEL}`);
    this.listener = client;
  }

  private async drain(): Promise<number> {
    if (!this.listener) await this.listen().catch(() => undefined);
    let sent = 0;
    for (;;) {
      const batch = await this.sendBatch();
      sent += batch.sent;
      if (batch.taken < 20 || this.stopped) return sent;
    }
  }

  private async sendBatch(): Promise<{ taken: number; sent: number }> {
    const tx = await this.pool.connect();
    let sent = 0;
    try {
      await tx.query('begin');
      const pending = await tx.query<PendingEmail>(
        `select notice_id, to_address, subject, body, attempts from notifications.emails
         where status = 'PENDING' and next_attempt_at <= now() order by next_attempt_at limit 20 for update skip locked`,
      );
      for (const email of pending.rows) {
        try {
          await this.transport!.sendMail({ from: this.settings.mailFrom, to: email.to_address, subject: email.subject, text: email.body });
          await tx.query(`update notifications.emails set status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = null where notice_id = $1`, [email.notice_id]);
          sent++;
        } catch (error) {
          const attempts = email.attempts + 1;
          const reason = error instanceof Error ? error.message.replace(/[^\s<>]+@[^\s<>]+/g, '…@…').slice(0, 500) : 'unknown error';
          const failed = attempts >= this.settings.mailMaxAttempts;
          await tx.query(
            `update notifications.emails set attempts = $2, last_error = $3, status = $4, next_attempt_at = now() + make_interval(secs => $5) where notice_id = $1`,
            [email.notice_id, attempts, reason, failed ? 'FAILED' : 'PENDING', retryDelaySeconds(attempts)],
          );
          this.logger.warn({ noticeId: email.notice_id, attempts, failed }, 'an e-mail could not be sent');
        }
      }
      await tx.query('commit');
      return { taken: pending.rows.length, sent };
    } catch (error) {
      await tx.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      tx.release();
    }
  }
}

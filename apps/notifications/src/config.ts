import { codedScaleFrom, ConfigurationError, integerFrom } from '@cnrms/service-kit';

/** What the notifications service is told by its environment (listed in apps/notifications/README.md). */
export interface NotificationSettings {
  /** `smtp://` or `smtps://` server the e-mails go through; null: notices in the dashboard's inbox only. */
  smtpUrl: string | null;
  /** The sender of the e-mails. */
  mailFrom: string;
  /** Where the dashboard answers, for the links in the e-mails. */
  dashboardUrl: string;
  /** The assessment timepoints after inclusion (the inclusions service's own setting), reminded when their window opens. */
  timepoints: { code: string; monthsAfterInclusion: number }[];
  /** Days either side of a timepoint's due date during which its assessment is due (the inclusions service's setting). */
  assessmentWindowDays: number;
  /** How often the due assessments are looked for. */
  reminderIntervalMs: number;
  /** How often the e-mails still to send are looked for (a notice also wakes the sender). */
  mailPollMs: number;
  /** Sending attempts before an e-mail is given up (then FAILED, its notice stays in the inbox). */
  mailMaxAttempts: number;
}

export function notificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const problems: string[] = [];
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^\s/]+/.test(smtpUrl)) problems.push(`SMTP_URL : « ${smtpUrl.replace(/\/\/[^@/]*@/, '//…@')} » doit être une adresse smtp://hôte:port ou smtps://hôte:port`);
  const mailFrom = env.NOTIFICATIONS_MAIL_FROM?.trim() || 'Microstructures médicales <notifications@cnrms.invalid>';
  if (!/<?[^\s<>@]+@[^\s<>@]+>?$/.test(mailFrom)) problems.push(`NOTIFICATIONS_MAIL_FROM : « ${mailFrom} » n’est pas une adresse électronique`);
  const dashboardUrl = (env.DASHBOARD_URL?.trim() || `http://localhost:${env.GATEWAY_PORT ?? 4000}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(dashboardUrl)) problems.push(`DASHBOARD_URL : « ${dashboardUrl} » doit commencer par http:// ou https://`);
  const settings: NotificationSettings = {
    smtpUrl,
    mailFrom,
    dashboardUrl,
    // Reminded when their window opens; the inclusion's own assessment (0 months) is recorded at inclusion.
    timepoints: codedScaleFrom(env, 'ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6,M12:12', 'mois', problems)
      .filter(({ value }) => value > 0)
      .map(({ code, value }) => ({ code, monthsAfterInclusion: value })),
    assessmentWindowDays: integerFrom(env, 'ASSESSMENT_WINDOW_DAYS', 30, 1, 180, problems),
    reminderIntervalMs: integerFrom(env, 'NOTIFICATIONS_REMINDER_INTERVAL_S', 3600, 1, 86_400, problems) * 1000,
    mailPollMs: integerFrom(env, 'NOTIFICATIONS_MAIL_POLL_MS', 5000, 50, 600_000, problems),
    mailMaxAttempts: integerFrom(env, 'NOTIFICATIONS_MAIL_MAX_ATTEMPTS', 8, 1, 100, problems),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

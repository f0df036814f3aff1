import { PoolClient } from 'pg';
import { emailOf, Notice } from './notices';

/** How notices leave the service besides the inbox: by e-mail when an SMTP server is configured. */
export interface MailSetting {
  enabled: boolean;
  dashboardUrl: string;
}

/**
 * Puts a notice in each recipient's inbox, once per `about` (a redelivered event or a second reminder
 * changes nothing), and queues its e-mail for the recipients whose work address is known — in the
 * caller's transaction, so that a notice and its e-mail are recorded together or not at all. Returns the
 * number of notices created.
 */
export async function deliver(tx: PoolClient, recipientIds: readonly string[], about: string, notice: Notice, mail: MailSetting): Promise<number> {
  if (recipientIds.length === 0) return 0;
  const email = emailOf(notice, mail.dashboardUrl);
  const result = await tx.query(
    `with created as (
       insert into notifications.notices (professional_id, about, kind, title, body, link)
       select distinct recipient, $2, $3, $4, $5, $6 from unnest($1::text[]) as r(recipient)
       on conflict (professional_id, about) do nothing
       returning id, professional_id
     ), queued as (
       insert into notifications.emails (notice_id, to_address, subject, body)
       select c.id, p.email, $7, $8 from created c join notifications.professionals p on p.id = c.professional_id
       where $9::boolean and p.email is not null
     )
     select count(*)::int as created from created`,
    [recipientIds, about, notice.kind, notice.title, notice.body, notice.link, email.subject, email.text, mail.enabled],
  );
  const created = (result.rows[0] as { created: number }).created;
  // Wakes the mail sender when the transaction commits (nothing is sent for a rolled-back notice).
  if (created > 0 && mail.enabled) await tx.query(`select pg_notify($1, '')`, [MAIL_CHANNEL]);
  return created;
}

/** The channel on which a committed notice wakes the mail sender. */
export const MAIL_CHANNEL = 'notifications_mail';

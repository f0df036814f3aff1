import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ValidationError } from '@cnrms/decider';
import { Identity } from '@cnrms/auth';
import { PG_POOL, pageSize } from '@cnrms/service-kit';
import { Pool } from 'pg';
import { NoticeKind } from './notices';

export interface NoticeRow {
  id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

export interface InboxPage {
  unreadCount: number;
  notices: NoticeRow[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_IDS = 100;

/**
 * A professional's inbox: their own notices, newest first, and how many are unread. Nobody reads another
 * person's inbox (no role opens it: coordinators included); a caller who is not a professional of the
 * directory has no notice, hence an empty inbox. A notice that is not the caller's is answered exactly as
 * one that does not exist.
 */
@Injectable()
export class Inbox {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async read(caller: Identity, options: { unreadOnly?: boolean | null; first?: number | null }): Promise<InboxPage> {
    const first = pageSize({ first: options.first ?? 30 });
    if (!caller.professionalId) return { unreadCount: 0, notices: [] };
    const [notices, unread] = await Promise.all([
      this.pool.query<NoticeRow>(
        `select id, kind, title, body, link, created_at, read_at from notifications.notices
         where professional_id = $1 and ($2::boolean is not true or read_at is null) order by created_at desc, id limit $3`,
        [caller.professionalId, options.unreadOnly ?? false, first],
      ),
      this.pool.query<{ count: number }>(`select count(*)::int as count from notifications.notices where professional_id = $1 and read_at is null`, [caller.professionalId]),
    ]);
    return { unreadCount: unread.rows[0].count, notices: notices.rows };
  }

  /** Marks the caller's notices read (all of them when `ids` is null); one unknown id and nothing is marked. */
  async markRead(caller: Identity, ids: readonly string[] | null): Promise<number> {
    if (ids !== null) {
      if (ids.length === 0 || ids.length > MAX_IDS) throw new ValidationError('INVALID_NOTIFICATION_IDS', `Indiquez de 1 à ${MAX_IDS} notifications à marquer comme lues.`, 'ids');
      const unique = [...new Set(ids)];
      const owned = caller.professionalId && unique.every((id) => UUID.test(id))
        ? await this.pool.query<{ count: number }>(`select count(*)::int as count from notifications.notices where professional_id = $1 and id = any($2::uuid[])`, [caller.professionalId, unique])
        : { rows: [{ count: -1 }] };
      if (owned.rows[0].count !== unique.length) throw new NotFoundError('NOTIFICATION_NOT_FOUND', 'Notification introuvable : elle n’existe pas ou ne vous est pas adressée.');
    }
    if (!caller.professionalId) return 0;
    const marked = await this.pool.query(
      `update notifications.notices set read_at = now() where professional_id = $1 and read_at is null and ($2::uuid[] is null or id = any($2::uuid[]))`,
      [caller.professionalId, ids === null ? null : [...new Set(ids)]],
    );
    return marked.rowCount ?? 0;
  }
}

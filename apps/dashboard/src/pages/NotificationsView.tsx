import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { ErrorMessage, Loading, Outcome, PageTitle, Section } from '../components/common';
import type { InboxQuery, InboxVariables, MarkReadMutation, MarkReadVariables } from '../generated/graphql';
import { NOTIFICATION_KIND } from '../lib/labels';

export const INBOX = `query Inbox($unreadOnly: Boolean) {
  myNotifications(unreadOnly: $unreadOnly) { unreadCount notifications { id kind title body link createdAt readAt } }
}`;
const MARK_READ = `mutation MarkRead($ids: [ID!]) { markNotificationsRead(ids: $ids) { unreadCount notifications { id readAt } } }`;

const when = (instant: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(instant));

/** « Mes notifications »: what the platform told the professional — a seat freed, a training changed, a meeting, an assessment due. */
export default function NotificationsView() {
  const [inbox, refetch] = useQuery<InboxQuery, InboxVariables>({ query: INBOX, variables: {}, requestPolicy: 'cache-and-network' });
  const [marked, markRead] = useCommand<MarkReadMutation, MarkReadVariables>(MARK_READ);
  const mark = async (ids: string[] | null) => {
    const result = await markRead({ ids });
    if (!result.error) refetch({ requestPolicy: 'network-only' });
  };
  const notices = inbox.data?.myNotifications.notifications ?? [];
  const unread = inbox.data?.myNotifications.unreadCount ?? 0;
  return (
    <>
      <PageTitle title="Mes notifications">Mes notifications</PageTitle>
      <p>
        Les places libérées sur une liste d’attente, les formations modifiées ou annulées, les réunions de concertation prévues et les évaluations à réaliser. Elles vous sont aussi
        envoyées par courriel si l’annuaire connaît votre adresse. Elles ne contiennent jamais l’identité d’un patient : ouvrez l’inclusion pour savoir de qui il s’agit.
      </p>
      <Section
        title={unread === 0 ? 'Tout est lu' : `${unread} non lue${unread > 1 ? 's' : ''}`}
        actions={
          unread > 0 ? (
            <button type="button" className="secondary" disabled={marked.fetching} onClick={() => void mark(null)}>
              Tout marquer comme lu
            </button>
          ) : null
        }
      >
        <Outcome error={marked.error} />
        {inbox.error ? <ErrorMessage error={inbox.error} retry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
        {inbox.fetching && !inbox.data ? <Loading what="vos notifications" /> : null}
        {inbox.data && notices.length === 0 ? <p data-testid="inbox-empty">Aucune notification pour l’instant.</p> : null}
        <ul className="inbox" data-testid="inbox">
          {notices.map((notice) => (
            <li key={notice.id} className={notice.readAt ? 'read' : 'unread'} data-testid="notification" data-kind={notice.kind}>
              <p className="meta">
                {NOTIFICATION_KIND[notice.kind] ?? notice.kind} · {when(notice.createdAt)}{' '}
                {notice.readAt ? null : <strong className="badge new">nouvelle</strong>}
              </p>
              <h3>{notice.title}</h3>
              <p>{notice.body}</p>
              <p className="actions">
                {notice.link ? <Link to={notice.link}>Ouvrir</Link> : null}{' '}
                {notice.readAt ? null : (
                  <button type="button" className="secondary" disabled={marked.fetching} onClick={() => void mark([notice.id])}>
                    Marquer comme lue
                  </button>
                )}
              </p>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

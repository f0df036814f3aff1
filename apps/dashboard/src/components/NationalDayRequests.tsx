import { useState } from 'react';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { frenchDate } from '../lib/dates';
import { useRefreshUntil } from '../lib/hooks';
import { formatNumber, label, PROFESSION } from '../lib/labels';
import { ErrorMessage, Outcome, Section } from './common';
import type { MyNationalDayRequestsQuery, MyNationalDayRequestsVariables, NationalDaySessionsQuery, NationalDaySessionsVariables, RequestSeatMutation, RequestSeatVariables } from '../generated/graphql';

// National days seen from a self-hosting network's own platform (docs/deployments.md): the professional asks for
// a seat here, the national level decides, the answer comes back here. Shown only where national days arrived
// from the national level (a regional platform).

type NationalDaySession = NationalDaySessionsQuery['nationalDaySessions'][number];

const SESSIONS = `query NationalDaySessions { nationalDaySessions { sessionId trainingId title audience date hours capacity registrationClosesOn } }`;
const MINE = `query MyNationalDayRequests { myNationalDayRequests { id sessionId status rank reason } }`;
const REQUEST = `mutation RequestSeat($sessionId: ID!) { requestNationalDaySeat(sessionId: $sessionId) { id sessionId status rank reason } }`;

export const NATIONAL_DAY_REQUEST_STATUS: Record<string, string> = {
  REQUESTED: 'Demande envoyée au niveau national',
  REGISTERED: 'Inscrit',
  WAITLISTED: 'Liste d’attente',
  REFUSED: 'Refusée',
  CANCELLED: 'Annulée',
};

export function NationalDayRequests({ today }: { today: string }) {
  const [sessions] = useQuery<NationalDaySessionsQuery, NationalDaySessionsVariables>({ query: SESSIONS });
  const [mine, refetchMine] = useQuery<MyNationalDayRequestsQuery, MyNationalDayRequestsVariables>({ query: MINE });
  const [requested, request] = useCommand<RequestSeatMutation, RequestSeatVariables>(REQUEST);
  const [done, setDone] = useState<string | null>(null);
  const requests = mine.data?.myNationalDayRequests ?? [];
  // The answer comes back through the national level: refreshed until no request of the professional waits.
  const refresh = useRefreshUntil(
    () => refetchMine({ requestPolicy: 'network-only' }),
    () => requests.every((r) => r.status !== 'REQUESTED'),
    150,
    1000,
  );
  const days = sessions.data?.nationalDaySessions ?? [];
  if (days.length === 0) return null;

  const onRequest = async (day: NationalDaySession) => {
    setDone(null);
    const answer = await request({ sessionId: day.sessionId });
    if (answer.data) {
      setDone(`Demande de place pour « ${day.title} » envoyée : la réponse nationale s’affichera ici.`);
      setTimeout(refresh, 0);
    }
  };

  return (
    <Section title="Journées nationales" id="national-days">
      <p className="muted">Les places sont attribuées par la coordination nationale ; votre demande y est transmise et la réponse revient ici.</p>
      {mine.error && <ErrorMessage error={mine.error} />}
      <Outcome error={requested.error} done={done} />
      <ul className="plain" data-testid="national-days">
        {days.map((day) => {
          const answers = requests.filter((r) => r.sessionId === day.sessionId);
          const current = answers.find((r) => r.status !== 'REFUSED' && r.status !== 'CANCELLED') ?? answers[answers.length - 1];
          return (
            <li key={day.sessionId}>
              <strong>{day.title}</strong>, {frenchDate(day.date)} · {formatNumber(day.hours)} h · {day.capacity} places · pour {day.audience.map((a) => label(PROFESSION, a)).join(', ')}{' '}
              {current ? (
                <span className="badge" data-testid="national-day-answer">
                  {label(NATIONAL_DAY_REQUEST_STATUS, current.status)}
                  {current.status === 'WAITLISTED' && current.rank && <> (rang {current.rank})</>}
                  {current.status === 'REFUSED' && current.reason && <> : {current.reason}</>}
                </span>
              ) : null}
              {(!current || current.status === 'REFUSED' || current.status === 'CANCELLED') &&
                (day.registrationClosesOn < today ? (
                  <span className="muted">inscriptions closes</span>
                ) : (
                  <button type="button" disabled={requested.fetching} onClick={() => void onRequest(day)}>
                    Demander une place
                  </button>
                ))}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

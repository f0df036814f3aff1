import { FormEvent, useState } from 'react';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { frenchDate, parisToday } from '../lib/dates';
import { formatNumber, label, TRAINING_THEME } from '../lib/labels';
import { ErrorMessage, Loading, Outcome } from './common';
import type { NetworkTrainingsQuery, NetworkTrainingsVariables, RecordAttendanceMutation, RecordAttendanceVariables, SessionRegistrationsQuery, SessionRegistrationsVariables } from '../generated/graphql';

const NETWORK_TRAININGS = `query NetworkTrainings($id: ID!, $from: String!) {
  network(id: $id) {
    id
    trainings(from: $from) { id title theme sessions { id date startTime capacity registeredCount waitListedCount seatsLeft attendedCount } }
    trainingHours { totalHours attendedSessionCount professionalCount }
  }
}`;

/** A network's trainings: upcoming sessions with registrations and wait list, and the hours its professionals attended. */
export function NetworkTrainings({ networkId, manage = false }: { networkId: string; manage?: boolean }) {
  const [signing, setSigning] = useState<{ trainingId: string; sessionId: string } | null>(null);
  const today = parisToday();
  const since = `${parisToday().slice(0, 4)}-01-01`;
  const [{ data, fetching, error }] = useQuery<NetworkTrainingsQuery, NetworkTrainingsVariables>({ query: NETWORK_TRAININGS, variables: { id: networkId, from: since } });
  if (fetching && !data) return <Loading what="les formations" />;
  if (error && !data) return <ErrorMessage error={error} />;
  const network = data!.network;
  return (
    <>
      {error && <ErrorMessage error={error} />}
      <p>
        Heures de formation suivies : <strong>{formatNumber(network.trainingHours.totalHours)} h</strong> par {network.trainingHours.professionalCount} professionnel(s),{' '}
        {network.trainingHours.attendedSessionCount} session(s).
      </p>
      {network.trainings.length === 0 ? (
        <p>Aucune formation du réseau cette année.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Formation</th>
                <th scope="col">Session</th>
                <th scope="col" className="num">
                  Inscrits / places
                </th>
                <th scope="col" className="num">
                  Liste d’attente
                </th>
                <th scope="col" className="num">
                  Présents
                </th>
                {manage && (
                  <th scope="col">
                    <span className="visually-hidden">Émargement</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {network.trainings.flatMap((t) =>
                t.sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {t.title} <span className="muted">({label(TRAINING_THEME, t.theme)})</span>
                    </th>
                    <td>
                      {frenchDate(s.date)} à {s.startTime}
                    </td>
                    <td className="num">
                      {s.registeredCount} / {s.capacity}
                    </td>
                    <td className="num">{s.waitListedCount}</td>
                    <td className="num">{s.attendedCount}</td>
                    {manage && (
                      <td>
                        {s.date <= today && s.registeredCount > 0 ? (
                          <button type="button" className="secondary" onClick={() => setSigning({ trainingId: t.id, sessionId: s.id })} aria-label={`Émargement : ${t.title}, ${frenchDate(s.date)}`}>
                            Émargement
                          </button>
                        ) : (
                          <span className="muted">{s.date > today ? 'à venir' : ''}</span>
                        )}
                      </td>
                    )}
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {manage && signing && <AttendanceForm key={signing.sessionId} networkId={networkId} {...signing} onDone={() => setSigning(null)} />}
    </>
  );
}

const REGISTRATIONS = `query SessionRegistrations($trainingId: ID!, $sessionId: ID!, $networkId: ID!) {
  training(id: $trainingId) { id title registrations(sessionId: $sessionId) { id professionalId status attended } }
  network(id: $networkId) { id microstructures(page: { first: 100 }) { nodes { id members { professionalId professional { firstName lastName } } } } }
}`;
const ATTENDANCE = `mutation RecordAttendance($input: RecordAttendanceInput!) { recordTrainingAttendance(input: $input) { id attendedCount } }`;

/** The sign-in sheet of a session: who of the registered attended. */
function AttendanceForm({ networkId, trainingId, sessionId, onDone }: { networkId: string; trainingId: string; sessionId: string; onDone: () => void }) {
  const [{ data, fetching, error }] = useQuery<SessionRegistrationsQuery, SessionRegistrationsVariables>({ query: REGISTRATIONS, variables: { trainingId, sessionId, networkId }, requestPolicy: 'network-only' });
  const [result, record] = useCommand<RecordAttendanceMutation, RecordAttendanceVariables>(ATTENDANCE);
  const [done, setDone] = useState<string | null>(null);
  if (fetching && !data) return <Loading what="les inscrits" />;
  if (!data) return <ErrorMessage error={error ?? 'Inscriptions introuvables.'} />;
  const names = new Map(data.network.microstructures.nodes.flatMap((m) => m.members.map((x) => [x.professionalId, `${x.professional.firstName} ${x.professional.lastName}`] as const)));
  const registered = data.training.registrations.filter((r) => r.status === 'REGISTERED');
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const professionalIds = new FormData(event.currentTarget).getAll('present').map(String);
    const answer = await record({ input: { sessionId, professionalIds } });
    if (answer.data) setDone(`Présences enregistrées : ${answer.data.recordTrainingAttendance.attendedCount} présent(s).`);
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Émargement">
      <h3>Émargement — {data.training.title}</h3>
      {registered.length === 0 && <p>Aucun inscrit.</p>}
      {registered.map((r) => (
        <label key={r.id} className="check-line">
          <input type="checkbox" name="present" value={r.professionalId} defaultChecked={r.attended} disabled={r.attended} />
          {names.get(r.professionalId) ?? 'Professionnel d’un autre réseau'}
          {r.attended && ' (présence déjà enregistrée)'}
        </label>
      ))}
      <div>
        <button type="submit" disabled={result.fetching || registered.length === 0}>
          Enregistrer les présences
        </button>{' '}
        <button type="button" className="secondary" onClick={onDone}>
          Fermer
        </button>
      </div>
      <Outcome error={result.error} done={done} />
    </form>
  );
}

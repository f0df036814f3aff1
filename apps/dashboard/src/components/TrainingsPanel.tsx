import { useQuery } from 'urql';
import { frenchDate, parisToday } from '../lib/dates';
import { formatNumber, label, TRAINING_THEME } from '../lib/labels';
import { ErrorMessage, Loading } from './common';

const NETWORK_TRAININGS = `query NetworkTrainings($id: ID!, $from: String!) {
  network(id: $id) {
    id
    trainings(from: $from) { id title theme sessions { id date startTime capacity registeredCount waitListedCount seatsLeft attendedCount } }
    trainingHours { totalHours attendedSessionCount professionalCount }
  }
}`;

/** A network's trainings: upcoming sessions with registrations and wait list, and the hours its professionals attended. */
export function NetworkTrainings({ networkId }: { networkId: string }) {
  const since = `${parisToday().slice(0, 4)}-01-01`;
  const [{ data, fetching, error }] = useQuery<{
    network: {
      trainings: { id: string; title: string; theme: string; sessions: { id: string; date: string; startTime: string; capacity: number; registeredCount: number; waitListedCount: number; seatsLeft: number; attendedCount: number }[] }[];
      trainingHours: { totalHours: number; attendedSessionCount: number; professionalCount: number };
    };
  }>({ query: NETWORK_TRAININGS, variables: { id: networkId, from: since } });
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
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

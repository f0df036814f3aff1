import { FormEvent, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { CodeSelect, ErrorMessage, Loading, Outcome, PageTitle, Section } from '../components/common';
import { NationalDayRequests } from '../components/NationalDayRequests';
import { TrainingEditor } from '../components/TrainingEditor';
import { useIdentity } from '../components/session';
import { addDays, frenchDate, parisToday } from '../lib/dates';
import { frenchError } from '../lib/errors';
import { useRefreshUntil } from '../lib/hooks';
import { formatNumber, label, PROFESSION, REGISTRATION_STATUS, TRAINING_CANCELLATION_REASON, TRAINING_FORMAT, TRAINING_KIND, TRAINING_THEME } from '../lib/labels';
import { hasRole, isNational } from '../lib/session';
import type { CertificateQuery, CertificateVariables, TrainingAudience, TrainingFormat, TrainingKind, TrainingTheme, CancelRegistrationMutation, CancelRegistrationVariables, CatalogueQuery, CatalogueVariables, MyTrainingsQuery, MyTrainingsVariables, PublishTrainingMutation, PublishTrainingVariables, RegisterMutation, RegisterVariables } from '../generated/graphql';

type TrainingSession = CatalogueQuery['trainings'][number]['sessions'][number];
type Training = CatalogueQuery['trainings'][number];

const CATALOGUE = `query Catalogue($from: String!) {
  trainings(filter: { from: $from }) {
    id networkId kind title theme audience format registrationClosesOn status cancellationReason
    sessions { id date startTime endTime place capacity hours registeredCount waitListedCount seatsLeft }
  }
}`;
const MINE = `query MyTrainings($id: ID!, $from: String!) {
  professional(id: $id) {
    id
    profession
    trainingHours(from: $from) { totalHours attendedSessionCount }
    trainingRegistrations { id sessionId status waitListRank attended attendedHours training { title status } session { date startTime } }
  }
}`;
const REGISTER = `mutation Register($sessionId: ID!) { registerForTraining(sessionId: $sessionId) { id status waitListRank } }`;
const CANCEL = `mutation CancelRegistration($id: ID!) { cancelTrainingRegistration(registrationId: $id) { id status } }`;
const CERTIFICATE = `query Certificate($id: ID!) { certificate(registrationId: $id) { fileName contentType contentBase64 } }`;
const PUBLISH = `mutation PublishTraining($input: PublishTrainingInput!) { publishTraining(input: $input) { id title } }`;

export default function TrainingsView() {
  const identity = useIdentity();
  const today = parisToday();
  const [catalogue, refetchCatalogue] = useQuery<CatalogueQuery, CatalogueVariables>({ query: CATALOGUE, variables: { from: today } });
  const professionalId = hasRole(identity, 'professional') ? identity.professionalId : undefined;
  const [mine, refetchMine] = useQuery<MyTrainingsQuery, MyTrainingsVariables>({
    query: MINE,
    variables: { id: professionalId ?? '', from: `${today.slice(0, 4)}-01-01` },
    pause: !professionalId,
  });
  const registrations = mine.data?.professional.trainingRegistrations ?? [];
  // A professional sees the trainings meant for their profession (and those they already registered to).
  const profession = mine.data?.professional.profession ?? null;
  const forMe = (training: Training) => profession === null || training.audience.includes(profession) || registrations.some((r) => training.sessions.some((s) => s.id === r.sessionId));
  const offered = (catalogue.data?.trainings ?? []).filter(forMe);
  const hidden = (catalogue.data?.trainings.length ?? 0) - offered.length;
  const [expected, setExpected] = useState<{ id: string; status: string } | null>(null);
  const refresh = useRefreshUntil(
    () => {
      refetchMine({ requestPolicy: 'network-only' });
      refetchCatalogue({ requestPolicy: 'network-only' });
    },
    () => Boolean(expected && registrations.some((r) => r.id === expected.id && r.status === expected.status)),
  );
  const [registered, register] = useCommand<RegisterMutation, RegisterVariables>(REGISTER);
  const [cancelled, cancel] = useCommand<CancelRegistrationMutation, CancelRegistrationVariables>(CANCEL);
  const [done, setDone] = useState<string | null>(null);
  const canPublish = isNational(identity) || hasRole(identity, 'regional_coordinator');
  // Who organises a training edits and cancels it: the national coordination, or the coordination of its network.
  const organises = (training: Training) => isNational(identity) || (hasRole(identity, 'regional_coordinator') && training.networkId !== null && identity.networkIds.includes(training.networkId));
  const organised = (catalogue.data?.trainings ?? []).filter((t) => t.status === 'PUBLISHED' && organises(t));
  const [editing, setEditing] = useState<string | null>(null);

  const onRegister = async (session: TrainingSession, training: Training) => {
    setDone(null);
    const answer = await register({ sessionId: session.id });
    if (answer.data) {
      const r = answer.data.registerForTraining;
      setDone(r.status === 'WAITLISTED' ? `« ${training.title} » est complète : vous êtes sur la liste d’attente (rang ${r.waitListRank}).` : `Vous êtes inscrit(e) à « ${training.title} ».`);
      setExpected({ id: r.id, status: r.status });
      setTimeout(refresh, 0);
    }
  };

  return (
    <>
      <PageTitle title="Formations">Formations</PageTitle>
      {professionalId && (
        <Section title="Mes formations" id="mine">
          {mine.fetching && !mine.data && <Loading what="vos formations" />}
          {mine.error && <ErrorMessage error={mine.error} />}
          {mine.data && (
            <>
              <p data-testid="my-hours">
                Cette année : <strong>{formatNumber(mine.data.professional.trainingHours.totalHours)} h</strong> de formation suivies ({mine.data.professional.trainingHours.attendedSessionCount} session(s)).
              </p>
              {registrations.length === 0 ? (
                <p>Aucune inscription.</p>
              ) : (
                <ul className="plain" data-testid="my-registrations">
                  {registrations.map((r) => (
                    <li key={r.id}>
                      <strong>{r.training.title}</strong>, {frenchDate(r.session.date)} à {r.session.startTime} : {label(REGISTRATION_STATUS, r.status)}
                      {r.status === 'WAITLISTED' && r.waitListRank && <> (rang {r.waitListRank})</>}
                      {r.training.status === 'CANCELLED' && <> (formation annulée)</>}
                      {r.attended && <> · présent(e), {formatNumber(r.attendedHours)} h</>}{' '}
                      {r.attended && <CertificateButton registrationId={r.id} />}
                      {r.status !== 'CANCELLED' && !r.attended && (
                        <button
                          type="button"
                          className="secondary"
                          disabled={cancelled.fetching}
                          onClick={async () => {
                            const answer = await cancel({ id: r.id });
                            if (answer.data) {
                              setDone(`Inscription à « ${r.training.title} » annulée.`);
                              setExpected({ id: r.id, status: 'CANCELLED' });
                              setTimeout(refresh, 0);
                            }
                          }}
                        >
                          Annuler
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Section>
      )}
      {professionalId && <NationalDayRequests today={today} />}
      <Outcome error={registered.error ?? cancelled.error} done={done} />
      <Section title="Catalogue" id="catalogue">
        {catalogue.fetching && !catalogue.data && <Loading what="le catalogue" />}
        {catalogue.error && <ErrorMessage error={catalogue.error} retry={() => refetchCatalogue({ requestPolicy: 'network-only' })} />}
        {catalogue.data && offered.length === 0 && <p>Aucune formation à venir{hidden > 0 ? ' pour votre profession' : ''}.</p>}
        {catalogue.data && hidden > 0 && profession && (
          <p className="muted" data-testid="catalogue-hidden">
            {hidden} formation(s) destinée(s) à d’autres professions que la vôtre ({label(PROFESSION, profession)}) ne sont pas affichée(s).
          </p>
        )}
        {catalogue.data && offered.length > 0 && (
          <div className="table-wrap">
            <table data-testid="catalogue">
              <thead>
                <tr>
                  <th scope="col">Formation</th>
                  <th scope="col">Pour</th>
                  <th scope="col">Session</th>
                  <th scope="col" className="num">
                    Places restantes
                  </th>
                  <th scope="col" className="num">
                    Liste d’attente
                  </th>
                  {professionalId && (
                    <th scope="col">
                      <span className="visually-hidden">Inscription</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {offered.flatMap((training) =>
                  training.sessions.map((session) => {
                    const mineHere = registrations.find((r) => r.sessionId === session.id && r.status !== 'CANCELLED');
                    const closed = training.registrationClosesOn < today;
                    const trainingCancelled = training.status === 'CANCELLED';
                    return (
                      <tr key={session.id}>
                        <th scope="row">
                          {training.title}
                          {trainingCancelled && (
                            <span className="badge alert" data-testid="training-cancelled">
                              Annulée · {label(TRAINING_CANCELLATION_REASON, training.cancellationReason ?? 'OTHER')}
                            </span>
                          )}
                          <div className="muted">
                            {label(TRAINING_KIND, training.kind)} · {label(TRAINING_THEME, training.theme)} · {label(TRAINING_FORMAT, training.format)} · inscriptions jusqu’au {frenchDate(training.registrationClosesOn)}
                          </div>
                        </th>
                        <td>{training.audience.map((a) => label(PROFESSION, a)).join(', ')}</td>
                        <td>
                          {frenchDate(session.date)}, {session.startTime}–{session.endTime}
                          {session.place && <> · {session.place}</>} · {formatNumber(session.hours)} h
                        </td>
                        <td className="num">
                          {session.seatsLeft} / {session.capacity}
                        </td>
                        <td className="num">{session.waitListedCount}</td>
                        {professionalId && (
                          <td>
                            {trainingCancelled ? (
                              <span className="muted">formation annulée</span>
                            ) : mineHere ? (
                              <span className="badge">{label(REGISTRATION_STATUS, mineHere.status)}</span>
                            ) : closed ? (
                              <span className="muted">inscriptions closes</span>
                            ) : (
                              <button type="button" disabled={registered.fetching} onClick={() => void onRegister(session, training)}>
                                {session.seatsLeft > 0 ? 'S’inscrire' : 'Liste d’attente'}
                              </button>
                            )}
                          </td>
                        )}
                      </tr>
                    );
                  }),
                )}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {organised.length > 0 && (
        <Section title="Formations que vous organisez" id="organised">
          <ul className="plain" data-testid="organised-trainings">
            {organised.map((training) => (
              <li key={training.id}>
                <strong>{training.title}</strong> · {training.sessions.length} session(s), la première le {frenchDate(training.sessions[0]?.date ?? today)}{' '}
                <button type="button" className="secondary" aria-expanded={editing === training.id} onClick={() => setEditing(editing === training.id ? null : training.id)}>
                  {editing === training.id ? 'Fermer' : 'Modifier ou annuler'}
                </button>
                {editing === training.id && (
                  <TrainingEditor
                    training={training}
                    today={today}
                    onChanged={(message) => {
                      setDone(message);
                      refetchCatalogue({ requestPolicy: 'network-only' });
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {canPublish && (
        <Section title="Publier une formation" id="publish">
          <PublishForm networkId={isNational(identity) ? undefined : identity.networkIds[0]} onPublished={() => refetchCatalogue({ requestPolicy: 'network-only' })} />
        </Section>
      )}
    </>
  );
}

function CertificateButton({ registrationId }: { registrationId: string }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          setError(null);
          const answer = await client.query<CertificateQuery, CertificateVariables>(CERTIFICATE, { id: registrationId }, { requestPolicy: 'network-only' }).toPromise();
          if (answer.error || !answer.data) return setError(answer.error ? frenchError(answer.error) : 'Attestation indisponible.');
          const { fileName, contentType, contentBase64 } = answer.data.certificate;
          const bytes = Uint8Array.from(atob(contentBase64), (c) => c.charCodeAt(0));
          const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
          const link = document.createElement('a');
          link.href = url;
          link.download = fileName;
          link.click();
          setTimeout(() => URL.revokeObjectURL(url), 1_000);
        }}
      >
        Attestation (PDF)
      </button>
      {error && <ErrorMessage error={error} />}
    </>
  );
}

function PublishForm({ networkId, onPublished }: { networkId?: string; onPublished: () => void }) {
  const [result, publish] = useCommand<PublishTrainingMutation, PublishTrainingVariables>(PUBLISH);
  const [done, setDone] = useState<string | null>(null);
  const today = parisToday();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    // The form's selects and boxes offer the enumerations' values only; the service checks them anyway.
    const format = text('format') as TrainingFormat;
    setDone(null);
    const answer = await publish({
      input: {
        ...(networkId ? { networkId } : {}),
        kind: networkId ? 'TRAINING' : (text('kind') as TrainingKind),
        title: text('title'),
        theme: text('theme') as TrainingTheme,
        audience: f.getAll('audience').map(String) as TrainingAudience[],
        format,
        registrationClosesOn: text('closesOn'),
        sessions: [{ date: text('date'), startTime: text('start'), endTime: text('end'), place: format === 'IN_PERSON' ? text('place') : undefined, capacity: Number(text('capacity')) }],
      },
    });
    if (answer.data) {
      setDone(`« ${answer.data.publishTraining.title} » est publiée.`);
      form.reset();
      onPublished();
    }
  };
  return (
    <form onSubmit={submit} className="form-grid" aria-label="Publier une formation">
      <label>
        Titre
        <input name="title" required />
      </label>
      {!networkId && (
        <label>
          Nature
          <CodeSelect name="kind" labels={TRAINING_KIND} defaultValue="TRAINING" />
        </label>
      )}
      <label>
        Thème
        <CodeSelect name="theme" labels={TRAINING_THEME} defaultValue="HEPATITIS_C" />
      </label>
      <label>
        Format
        <CodeSelect name="format" labels={TRAINING_FORMAT} defaultValue="IN_PERSON" />
      </label>
      <fieldset>
        <legend>Pour</legend>
        {['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'].map((p) => (
          <label key={p} className="check-line">
            <input type="checkbox" name="audience" value={p} defaultChecked />
            {label(PROFESSION, p)}
          </label>
        ))}
      </fieldset>
      <label>
        Date de la session
        <input type="date" name="date" defaultValue={addDays(today, 30)} min={today} required />
      </label>
      <label>
        Début
        <input type="time" name="start" defaultValue="09:00" required />
      </label>
      <label>
        Fin
        <input type="time" name="end" defaultValue="12:00" required />
      </label>
      <label>
        Lieu (présentiel)
        <input name="place" defaultValue="Salle du réseau" />
      </label>
      <label>
        Places
        <input type="number" name="capacity" defaultValue={12} min={1} max={500} required />
      </label>
      <label>
        Inscriptions jusqu’au
        <input type="date" name="closesOn" defaultValue={addDays(today, 25)} min={today} required />
      </label>
      <div className="form-actions">
        <button type="submit" disabled={result.fetching}>
          Publier
        </button>
      </div>
      <Outcome error={result.error} done={done} />
    </form>
  );
}

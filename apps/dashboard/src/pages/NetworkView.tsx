import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { Check, CodeSelect, ErrorMessage, Loading, Outcome, PageTitle, Section } from '../components/common';
import { useIdentity } from '../components/session';
import { NetworkTrainings } from '../components/TrainingsPanel';
import { monthLabel, parisToday, periodRange } from '../lib/dates';
import { frenchError } from '../lib/errors';
import { useRefreshUntil } from '../lib/hooks';
import { label, MICROSTRUCTURE_KIND, MICROSTRUCTURE_STATUS, PRACTICE_SITE } from '../lib/labels';
import { canManageNetwork } from '../lib/session';
import type { CreateMicrostructureMutation, MicrostructureKind, PracticeSiteType, CreateMicrostructureVariables, MicrostructureActivityQuery, MicrostructureActivityVariables, NetworkDirectoryQuery, NetworkDirectoryVariables, NetworkMeetingsQuery, NetworkMeetingsVariables } from '../generated/graphql';

type MicrostructureRow = NetworkDirectoryQuery['network']['microstructures']['nodes'][number];

const NETWORK = `query NetworkDirectory($id: ID!) {
  network(id: $id) {
    id name region departments coordinators { name role }
    microstructures(page: { first: 100 }) {
      totalCount
      nodes { id name kind status department openedOn completeness { complete hasGeneralPractitioner hasPsychologist hasSocialWorker } }
    }
  }
}`;

// One query per microstructure: a team the inclusions service does not know yet (just created) fails alone.
const ACTIVITY = `query MicrostructureActivity($id: ID!) {
  microstructure(id: $id) { id caseloadSummary { active exited dueAssessments overdueAssessments } }
}`;

const MEETINGS = `query NetworkMeetings($id: ID!, $from: String!, $to: String!) {
  microstructures(filter: { networkId: $id }, page: { first: 100 }) {
    nodes { id meetings(from: $from, to: $to) { id status heldOn } monthsWithoutMeeting(from: $from, to: $to) }
  }
}`;

const CREATE = `mutation CreateMicrostructure($input: CreateMicrostructureInput!) {
  createMicrostructure(input: $input) { id name status }
}`;

export default function NetworkView() {
  const { networkId = '' } = useParams();
  const identity = useIdentity();
  const [directory, refetchDirectory] = useQuery<NetworkDirectoryQuery, NetworkDirectoryVariables>({
    query: NETWORK,
    variables: { id: networkId },
  });
  const range = periodRange(12);
  const [meetings] = useQuery<NetworkMeetingsQuery, NetworkMeetingsVariables>({
    query: MEETINGS,
    variables: { id: networkId, from: range.from, to: range.to },
  });
  const network = directory.data?.network;
  const rows = network?.microstructures.nodes ?? [];
  const manage = canManageNetwork(identity, networkId);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const refreshUntilListed = useRefreshUntil(
    () => refetchDirectory({ requestPolicy: 'network-only' }),
    () => rows.some((r) => r.id === createdId),
  );

  if (directory.fetching && !network) return <Loading what="le réseau" />;
  if (!network) return <ErrorMessage error={directory.error ?? 'Réseau introuvable.'} retry={() => refetchDirectory({ requestPolicy: 'network-only' })} />;

  return (
    <>
      <PageTitle title={network.name}>{network.name}</PageTitle>
      <p className="subtitle">
        {network.region} · départements {network.departments.join(', ')} · {network.microstructures.totalCount} microstructure(s)
        {network.coordinators.length > 0 && <> · coordination : {network.coordinators.map((c) => c.name).join(', ')}</>}
      </p>
      {directory.error && <ErrorMessage error={directory.error} />}

      <Section title="Microstructures" id="microstructures">
        <div className="table-wrap">
          <table data-testid="microstructures">
            <caption className="visually-hidden">Microstructures du réseau, complétude de l’équipe et activité</caption>
            <thead>
              <tr>
                <th scope="col">Microstructure</th>
                <th scope="col">Type</th>
                <th scope="col">Statut</th>
                <th scope="col">Dépt</th>
                <th scope="col">
                  <abbr title="Médecin généraliste">MG</abbr>
                </th>
                <th scope="col">
                  <abbr title="Psychologue">Psy</abbr>
                </th>
                <th scope="col">
                  <abbr title="Travailleur social">TS</abbr>
                </th>
                <th scope="col" className="num">
                  File active
                </th>
                <th scope="col" className="num">
                  Évaluations à faire / en retard
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                return (
                  <tr key={row.id}>
                    <th scope="row">{manage ? <Link to={`/reseaux/${networkId}/microstructures/${row.id}`}>{row.name}</Link> : row.name}</th>
                    <td>{label(MICROSTRUCTURE_KIND, row.kind)}</td>
                    <td>
                      <span className={`badge status-${row.status.toLowerCase()}`}>{label(MICROSTRUCTURE_STATUS, row.status)}</span>
                    </td>
                    <td>{row.department}</td>
                    <td>
                      <Check ok={row.completeness.hasGeneralPractitioner} label="Médecin généraliste" />
                    </td>
                    <td>
                      <Check ok={row.completeness.hasPsychologist} label="Psychologue" />
                    </td>
                    <td>
                      <Check ok={row.completeness.hasSocialWorker} label="Travailleur social" />
                    </td>
                    <ActivityCells id={row.id} />
                  </tr>
                );
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={9}>Aucune microstructure dans ce réseau pour l’instant.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </Section>

      <Section title="Réunions de synthèse tenues par mois (12 mois)" id="heatmap">
        {meetings.fetching && !meetings.data && <Loading what="les réunions" />}
        {meetings.error && <ErrorMessage error={meetings.error} />}
        {meetings.data && <MeetingsHeatmap rows={rows} data={meetings.data.microstructures.nodes} months={range.months} />}
      </Section>

      <Section title="Formations du réseau" id="trainings">
        <NetworkTrainings networkId={networkId} manage={manage} />
      </Section>

      {manage && (
        <Section title="Créer une microstructure" id="create">
          <CreateMicrostructureForm
            networkId={networkId}
            departments={network.departments}
            onCreated={(id) => {
              setCreatedId(id);
              refreshUntilListed();
            }}
          />
        </Section>
      )}
    </>
  );
}

/** File active and assessments of one microstructure (counts only, from the inclusions service). */
function ActivityCells({ id }: { id: string }) {
  const [{ data, fetching, error }] = useQuery<MicrostructureActivityQuery, MicrostructureActivityVariables>({ query: ACTIVITY, variables: { id } });
  const summary = data?.microstructure?.caseloadSummary;
  // Outside the team, counts below the confidentiality threshold are not given (null).
  const count = (value: number | null) => (value === null ? <span title="Nombre inférieur au seuil de confidentialité : non donné hors de l’équipe">masqué</span> : value);
  if (summary)
    return (
      <>
        <td className="num">{count(summary.active)}</td>
        <td className="num">
          {count(summary.dueAssessments)} / {count(summary.overdueAssessments)}
        </td>
      </>
    );
  const text = fetching ? '…' : '—';
  const title = error ? frenchError(error) : undefined;
  return (
    <>
      <td className="num" title={title}>
        {text}
        {title && <span className="visually-hidden"> {title}</span>}
      </td>
      <td className="num">{text}</td>
    </>
  );
}

/** Month × microstructure: meetings held, and the months that passed without one (meetings service's monthsWithoutMeeting). */
function MeetingsHeatmap({ rows, data, months }: { rows: MicrostructureRow[]; data: { id: string; meetings: { status: string; heldOn: string | null }[]; monthsWithoutMeeting: string[] }[]; months: string[] }) {
  const byId = new Map(data.map((d) => [d.id, d]));
  const current = parisToday().slice(0, 7);
  return (
    <div className="table-wrap">
      <table className="heatmap" data-testid="heatmap">
        <caption className="visually-hidden">Nombre de réunions tenues par mois et par microstructure ; « manquée » pour un mois révolu sans réunion</caption>
        <thead>
          <tr>
            <th scope="col">Microstructure</th>
            {months.map((m) => (
              <th scope="col" key={m}>
                {monthLabel(m)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const entry = byId.get(row.id);
            const missed = new Set(entry?.monthsWithoutMeeting ?? []);
            return (
              <tr key={row.id}>
                <th scope="row">{row.name}</th>
                {months.map((m) => {
                  const held = entry?.meetings.filter((x) => x.status === 'HELD' && x.heldOn?.startsWith(m)).length ?? 0;
                  const state = held > 0 ? 'held' : missed.has(m) ? 'missed' : m === current ? 'current' : 'none';
                  const text = held > 0 ? `${held} réunion(s) tenue(s)` : state === 'missed' ? 'mois manqué' : state === 'current' ? 'mois en cours' : 'pas ouverte';
                  return (
                    <td key={m} className={`cell-${state}`} title={`${row.name}, ${monthLabel(m)} : ${text}`}>
                      <span aria-hidden="true">{held > 0 ? held : state === 'missed' ? '✗' : ''}</span>
                      <span className="visually-hidden">{text}</span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="legend">
        <span className="swatch cell-held" /> réunion tenue <span className="swatch cell-missed" /> mois révolu sans réunion <span className="swatch cell-none" /> microstructure pas encore
        ouverte ou mois en cours
      </p>
    </div>
  );
}

function CreateMicrostructureForm({ networkId, departments, onCreated }: { networkId: string; departments: string[]; onCreated: (id: string) => void }) {
  const [result, create] = useCommand<CreateMicrostructureMutation, CreateMicrostructureVariables>(CREATE);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    setDone(null);
    const answer = await create({
      input: {
        networkId,
        name: text('name'),
        // The selects offer the enumeration's values only; the service checks them anyway.
        kind: text('kind') as MicrostructureKind,
        department: text('department'),
        practiceSite: { name: text('siteName'), type: text('siteType') as PracticeSiteType, address: { street: text('street'), postalCode: text('postalCode'), city: text('city') } },
      },
    });
    if (answer.data) {
      setDone(`« ${answer.data.createMicrostructure.name} » est créée (en création jusqu’à son ouverture).`);
      form.reset();
      onCreated(answer.data.createMicrostructure.id);
    }
  };
  return (
    <form onSubmit={submit} className="form-grid" aria-label="Créer une microstructure">
      <label>
        Nom
        <input name="name" required minLength={2} />
      </label>
      <label>
        Type
        <CodeSelect name="kind" labels={MICROSTRUCTURE_KIND} defaultValue="ADDICTION" />
      </label>
      <label>
        Département
        <select name="department" required>
          {departments.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </label>
      <label>
        Lieu d’exercice
        <input name="siteName" required placeholder="Cabinet, MSP…" />
      </label>
      <label>
        Type de lieu
        <CodeSelect name="siteType" labels={PRACTICE_SITE} defaultValue="GROUP_PRACTICE" />
      </label>
      <label>
        Adresse
        <input name="street" required />
      </label>
      <label>
        Code postal
        <input name="postalCode" required pattern="[0-9]{5}" inputMode="numeric" />
      </label>
      <label>
        Commune
        <input name="city" required />
      </label>
      <div className="form-actions">
        <button type="submit" disabled={result.fetching}>
          {result.fetching ? 'Création…' : 'Créer la microstructure'}
        </button>
      </div>
      <Outcome error={result.error} done={done} />
    </form>
  );
}


import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { Check, CodeSelect, ErrorMessage, Loading, Outcome, PageTitle, Section } from '../components/common';
import { frenchDate, parisToday } from '../lib/dates';
import { useRefreshUntil } from '../lib/hooks';
import { label, MICROSTRUCTURE_KIND, MICROSTRUCTURE_STATUS, PRACTICE_SITE, PROFESSION } from '../lib/labels';
import type { Profession, AddMemberMutation, AddMemberVariables, EndMembershipMutation, EndMembershipVariables, FindProfessionalsQuery, FindProfessionalsVariables, MicrostructureDirectoryQuery, MicrostructureDirectoryVariables, OpenMicrostructureMutation, OpenMicrostructureVariables, RegisterProfessionalMutation, RegisterProfessionalVariables } from '../generated/graphql';

type Member = MicrostructureDirectoryQuery['microstructure']['members'][number];

const MICROSTRUCTURE = `query MicrostructureDirectory($id: ID!) {
  microstructure(id: $id) {
    id networkId name kind status department openedOn closedOn
    practiceSite { name type address { street postalCode city } }
    completeness { complete hasGeneralPractitioner hasPsychologist hasSocialWorker }
    members(includeEnded: true) { professionalId profession role startedOn endedOn active professional { firstName lastName } }
    partners { id name type }
  }
}`;
const PROFESSIONALS = `query FindProfessionals($prefix: String) {
  professionals(filter: { lastNameStartsWith: $prefix }, page: { first: 20 }) { nodes { id firstName lastName profession } }
}`;
const REGISTER = `mutation RegisterProfessional($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id firstName lastName profession } }`;
const ADD_MEMBER = `mutation AddMember($input: AddMemberInput!) { addMember(input: $input) { professionalId microstructureId active } }`;
const END_MEMBERSHIP = `mutation EndMembership($input: EndMembershipInput!) { endMembership(input: $input) { professionalId microstructureId active } }`;
const OPEN = `mutation OpenMicrostructure($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { id status openedOn } }`;

export default function MicrostructureAdmin() {
  const { networkId = '', microstructureId = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery<MicrostructureDirectoryQuery, MicrostructureDirectoryVariables>({ query: MICROSTRUCTURE, variables: { id: microstructureId } });
  const ms = data?.microstructure;
  const [expect, setExpect] = useState<((m: NonNullable<typeof ms>) => boolean) | null>(null);
  const refresh = useRefreshUntil(
    () => refetch({ requestPolicy: 'network-only' }),
    () => Boolean(ms && expect?.(ms)),
  );
  const after = (check: (m: NonNullable<typeof ms>) => boolean) => {
    setExpect(() => check);
    setTimeout(refresh, 0);
  };

  if (fetching && !ms) return <Loading what="la microstructure" />;
  if (!ms) return <ErrorMessage error={error ?? 'Microstructure introuvable.'} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (ms.networkId !== networkId) return <ErrorMessage error="Cette microstructure n’appartient pas à ce réseau." />;
  const active = ms.members.filter((m) => m.active);
  const ended = ms.members.filter((m) => !m.active);

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/reseaux/${networkId}`}>← Retour au réseau</Link>
      </p>
      <PageTitle title={ms.name}>{ms.name}</PageTitle>
      <p className="subtitle">
        <span className={`badge status-${ms.status.toLowerCase()}`}>{label(MICROSTRUCTURE_STATUS, ms.status)}</span> · {label(MICROSTRUCTURE_KIND, ms.kind)} · {ms.practiceSite.name} (
        {label(PRACTICE_SITE, ms.practiceSite.type)}), {ms.practiceSite.address.street}, {ms.practiceSite.address.postalCode} {ms.practiceSite.address.city}
        {ms.openedOn && <> · ouverte le {frenchDate(ms.openedOn)}</>}
      </p>
      {error && <ErrorMessage error={error} />}

      <Section title="Équipe" id="team">
        <p>
          Complétude : <Check ok={ms.completeness.hasGeneralPractitioner} label="Médecin généraliste" /> médecin généraliste · <Check ok={ms.completeness.hasPsychologist} label="Psychologue" />{' '}
          psychologue · <Check ok={ms.completeness.hasSocialWorker} label="Travailleur social" /> travailleur social
        </p>
        <MembersTable microstructureId={ms.id} members={active} onEnded={(id) => after((m) => m.members.some((x) => x.professionalId === id && !x.active))} />
        {ended.length > 0 && (
          <details>
            <summary>Anciens membres ({ended.length})</summary>
            <ul>
              {ended.map((m) => (
                <li key={m.professionalId + m.startedOn}>
                  {m.professional.firstName} {m.professional.lastName} ({label(PROFESSION, m.profession)}), du {frenchDate(m.startedOn)} au {frenchDate(m.endedOn)}
                </li>
              ))}
            </ul>
          </details>
        )}
      </Section>

      <Section title="Ajouter un professionnel" id="add">
        <AddProfessional microstructureId={ms.id} onAdded={(id) => after((m) => m.members.some((x) => x.professionalId === id && x.active))} />
      </Section>

      {ms.status === 'IN_CREATION' && (
        <Section title="Ouvrir la microstructure" id="open">
          <OpenForm id={ms.id} onOpened={() => after((m) => m.status === 'ACTIVE')} />
        </Section>
      )}

      <Section title="Partenaires" id="partners">
        {ms.partners.length === 0 ? (
          <p>Aucun partenaire enregistré.</p>
        ) : (
          <ul>
            {ms.partners.map((p) => (
              <li key={p.id}>
                {p.name} ({p.type})
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function MembersTable({ microstructureId, members, onEnded }: { microstructureId: string; members: Member[]; onEnded: (professionalId: string) => void }) {
  const [result, end] = useCommand<EndMembershipMutation, EndMembershipVariables>(END_MEMBERSHIP);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Professionnel</th>
              <th scope="col">Profession</th>
              <th scope="col">Depuis le</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.professionalId}>
                <th scope="row">
                  {m.professional.firstName} {m.professional.lastName}
                </th>
                <td>{label(PROFESSION, m.profession)}</td>
                <td>{frenchDate(m.startedOn)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={result.fetching}
                    onClick={async () => {
                      if (!window.confirm(`Mettre fin à l’appartenance de ${m.professional.firstName} ${m.professional.lastName} aujourd’hui ?`)) return;
                      const answer = await end({ input: { microstructureId, professionalId: m.professionalId, endedOn: parisToday() } });
                      if (answer.data) {
                        setDone(`${m.professional.firstName} ${m.professional.lastName} ne fait plus partie de l’équipe.`);
                        onEnded(m.professionalId);
                      }
                    }}
                  >
                    Mettre fin
                  </button>
                </td>
              </tr>
            ))}
            {members.length === 0 && (
              <tr>
                <td colSpan={4}>Aucun membre pour l’instant.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Outcome error={result.error} done={done} />
    </>
  );
}

function AddProfessional({ microstructureId, onAdded }: { microstructureId: string; onAdded: (professionalId: string) => void }) {
  const [prefix, setPrefix] = useState('');
  const [found] = useQuery<FindProfessionalsQuery, FindProfessionalsVariables>({
    query: PROFESSIONALS,
    variables: { prefix: prefix.trim() },
    pause: prefix.trim().length < 2,
  });
  const [registered, register] = useCommand<RegisterProfessionalMutation, RegisterProfessionalVariables>(REGISTER);
  const [added, add] = useCommand<AddMemberMutation, AddMemberVariables>(ADD_MEMBER);
  const [done, setDone] = useState<string | null>(null);

  const addMember = async (id: string, name: string) => {
    setDone(null);
    const answer = await add({ input: { microstructureId, professionalId: id, startedOn: parisToday() } });
    if (answer.data) {
      setDone(`${name} fait maintenant partie de l’équipe.`);
      onAdded(id);
    }
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim() || undefined;
    const identifier = text('identifier');
    // Name and profession are required by the form (and checked by the service).
    const profession = (text('profession') ?? '') as Profession;
    const input = { firstName: text('firstName') ?? '', lastName: text('lastName') ?? '', profession, email: text('email'), ...(identifier ? (identifier.length === 11 ? { rpps: identifier } : { adeli: identifier }) : {}) };
    setDone(null);
    const answer = await register({ input });
    if (answer.data) {
      form.reset();
      const p = answer.data.registerProfessional;
      await addMember(p.id, `${p.firstName} ${p.lastName}`);
    }
  };

  return (
    <div className="two-columns">
      <div>
        <h3>Un professionnel déjà enregistré</h3>
        <label>
          Nom de famille (début)
          <input value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="au moins 2 lettres" />
        </label>
        {found.fetching && <Loading what="les professionnels" />}
        {found.error && <ErrorMessage error={found.error} />}
        <ul className="plain">
          {found.data?.professionals.nodes.map((p) => (
            <li key={p.id}>
              {p.firstName} {p.lastName} ({label(PROFESSION, p.profession)}){' '}
              <button type="button" className="secondary" disabled={added.fetching} onClick={() => void addMember(p.id, `${p.firstName} ${p.lastName}`)}>
                Ajouter à l’équipe
              </button>
            </li>
          ))}
          {found.data && found.data.professionals.nodes.length === 0 && <li>Aucun professionnel trouvé.</li>}
        </ul>
      </div>
      <form onSubmit={submit} aria-label="Enregistrer un professionnel et l’ajouter à l’équipe">
        <h3>Un nouveau professionnel</h3>
        <label>
          Prénom
          <input name="firstName" required />
        </label>
        <label>
          Nom
          <input name="lastName" required />
        </label>
        <label>
          Profession
          <CodeSelect name="profession" labels={PROFESSION} defaultValue="SOCIAL_WORKER" />
        </label>
        <label>
          RPPS (11 chiffres) ou ADELI (9 caractères)
          <input name="identifier" pattern="[0-9A-Za-z]{9}|[0-9]{11}" aria-describedby="identifier-hint" />
        </label>
        <p className="hint" id="identifier-hint">
          Obligatoire pour les médecins et les psychologues.
        </p>
        <label>
          Courriel
          <input name="email" type="email" />
        </label>
        <div className="form-actions">
          <button type="submit" disabled={registered.fetching || added.fetching}>
            Enregistrer et ajouter
          </button>
        </div>
      </form>
      <div className="full">
        <Outcome error={registered.error ?? added.error} done={done} />
      </div>
    </div>
  );
}

function OpenForm({ id, onOpened }: { id: string; onOpened: () => void }) {
  const [result, open] = useCommand<OpenMicrostructureMutation, OpenMicrostructureVariables>(OPEN);
  const [on, setOn] = useState(parisToday());
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      className="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const answer = await open({ id, on });
        if (answer.data) {
          setDone('La microstructure est ouverte.');
          onOpened();
        }
      }}
    >
      <label>
        Date d’ouverture
        <input type="date" value={on} onChange={(e) => setOn(e.target.value)} required />
      </label>
      <button type="submit" disabled={result.fetching}>
        Ouvrir
      </button>
      <Outcome error={result.error} done={done} />
    </form>
  );
}

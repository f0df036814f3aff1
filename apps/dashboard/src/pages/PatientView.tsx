import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { CodeSelect, ErrorMessage, Loading, Outcome, PageTitle, Section } from '../components/common';
import { useIdentity } from '../components/session';
import { frenchDate, parisToday } from '../lib/dates';
import { useRefreshUntil } from '../lib/hooks';
import { ASSESSMENT_STATUS, EMPLOYMENT, HEALTH_COVERAGE, HOUSING, INCLUSION_REASON, label, SESSION_KIND, SESSION_OF_PROFESSION } from '../lib/labels';
import type { EmploymentSituation, HealthCoverage, HousingSituation, SessionKind, RecordAssessmentMutation, RecordAssessmentVariables, RecordSessionMutation, RecordSessionVariables, InclusionQuery, InclusionVariables, MeQuery, MeVariables, PatientQuery, PatientVariables } from '../generated/graphql';

const INCLUSION = `query Inclusion($id: ID!) {
  inclusion(id: $id) {
    id patientId status includedOn reasons lastContactOn
    carePlan { goals nextSteps updatedOn }
    assessmentSchedule { timepoint dueOn windowStartOn windowEndOn status assessedOn }
    timeline { occurredOn kind summary }
  }
}`;
const PATIENT = `query Patient($id: ID!) { patient(id: $id) { id sex birthYear erased identity { lastName firstName birthDate contact } } }`;
const ME = `query Me($id: ID!) { professional(id: $id) { id profession } }`;
const SESSION = `mutation RecordSession($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id heldOn kind } }`;
const ASSESSMENT = `mutation RecordAssessment($input: RecordAssessmentInput!) { recordAssessment(input: $input) { id } }`;

const KIND_LABEL: Record<string, string> = { INCLUSION: 'Inclusion', SESSION: 'Séance', ASSESSMENT: 'Évaluation', CARE_PLAN: 'Parcours', EXIT: 'Sortie', ERASURE: 'Effacement' };

export default function PatientView() {
  const { microstructureId = '', inclusionId = '' } = useParams();
  const identity = useIdentity();
  const [inclusionResult, refetch] = useQuery<InclusionQuery, InclusionVariables>({ query: INCLUSION, variables: { id: inclusionId } });
  const inclusion = inclusionResult.data?.inclusion;
  const [patientResult] = useQuery<PatientQuery, PatientVariables>({
    query: PATIENT,
    variables: { id: inclusion?.patientId ?? '' },
    pause: !inclusion,
  });
  const [me] = useQuery<MeQuery, MeVariables>({ query: ME, variables: { id: identity.professionalId ?? '' }, pause: !identity.professionalId });
  const [timelineLength, setTimelineLength] = useState<number | null>(null);
  const refresh = useRefreshUntil(
    () => refetch({ requestPolicy: 'network-only' }),
    () => timelineLength !== null && (inclusion?.timeline.length ?? 0) > timelineLength,
  );
  const changed = () => {
    setTimelineLength(inclusion?.timeline.length ?? 0);
    setTimeout(refresh, 0);
  };

  if (inclusionResult.fetching && !inclusion) return <Loading what="le parcours du patient" />;
  if (!inclusion) return <ErrorMessage error={inclusionResult.error ?? 'Inclusion introuvable.'} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  const person = patientResult.data?.patient;
  const name = person?.identity ? `${person.identity.firstName} ${person.identity.lastName}` : person?.erased ? 'Identité effacée' : 'Patient';
  const open = inclusion.status === 'OPEN';

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/equipe/${microstructureId}`}>← Retour à la file active</Link>
      </p>
      <PageTitle title={name}>{name}</PageTitle>
      <p className="subtitle">
        {person?.identity && <>né(e) le {frenchDate(person.identity.birthDate)} · </>}
        inclus(e) le {frenchDate(inclusion.includedOn)} pour {inclusion.reasons.map((r) => label(INCLUSION_REASON, r).toLowerCase()).join(', ')} · {open ? 'suivi en cours' : 'sorti(e)'}
        {inclusion.lastContactOn && <> · dernier contact le {frenchDate(inclusion.lastContactOn)}</>}
      </p>
      {patientResult.error && <ErrorMessage error={patientResult.error} />}
      <div className="columns">
        <Section title="Parcours" id="timeline">
          <ol className="timeline" data-testid="timeline">
            {[...inclusion.timeline].reverse().map((entry, index) => (
              <li key={`${entry.occurredOn}-${index}`} className={`kind-${entry.kind.toLowerCase()}`}>
                <time dateTime={entry.occurredOn}>{frenchDate(entry.occurredOn)}</time>
                <span className="badge">{KIND_LABEL[entry.kind] ?? entry.kind}</span> {entry.summary}
              </li>
            ))}
          </ol>
        </Section>
        <div>
          <Section title="Évaluations" id="assessments">
            <ul className="plain">
              {inclusion.assessmentSchedule.map((a) => (
                <li key={a.timepoint}>
                  <strong>{a.timepoint}</strong> : {label(ASSESSMENT_STATUS, a.status)}
                  {a.assessedOn ? ` le ${frenchDate(a.assessedOn)}` : ` — prévue le ${frenchDate(a.dueOn)}`}
                </li>
              ))}
            </ul>
          </Section>
          {inclusion.carePlan && (
            <Section title="Parcours de soins" id="care-plan">
              <p>Objectifs : {inclusion.carePlan.goals.join(' ; ')}</p>
              {inclusion.carePlan.nextSteps.length > 0 && <p>Prochaines étapes : {inclusion.carePlan.nextSteps.join(' ; ')}</p>}
            </Section>
          )}
          {open && (
            <Section title="Enregistrer une séance" id="session">
              {me.fetching && <Loading what="votre profession" />}
              <SessionForm inclusionId={inclusion.id} profession={me.data?.professional.profession} onRecorded={changed} />
            </Section>
          )}
          {open && (
            <Section title="Enregistrer une évaluation" id="assessment">
              <AssessmentForm inclusionId={inclusion.id} timepoints={inclusion.assessmentSchedule.filter((a) => a.status !== 'DONE' && a.status !== 'NOT_APPLICABLE').map((a) => a.timepoint)} onRecorded={changed} />
            </Section>
          )}
        </div>
      </div>
    </>
  );
}

function SessionForm({ inclusionId, profession, onRecorded }: { inclusionId: string; profession?: string; onRecorded: () => void }) {
  const [result, record] = useCommand<RecordSessionMutation, RecordSessionVariables>(SESSION);
  const [done, setDone] = useState<string | null>(null);
  const kind = profession ? SESSION_OF_PROFESSION[profession] : undefined;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setDone(null);
    const answer = await record({ input: { inclusionId, kind: String(f.get('kind')) as SessionKind, heldOn: String(f.get('heldOn')), durationMinutes: Number(f.get('duration')) } });
    if (answer.data) {
      setDone('Séance enregistrée.');
      onRecorded();
    }
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Enregistrer une séance">
      <label>
        Type de séance
        <CodeSelect name="kind" labels={SESSION_KIND} defaultValue={kind} key={kind} />
      </label>
      <label>
        Date
        <input type="date" name="heldOn" defaultValue={parisToday()} max={parisToday()} required />
      </label>
      <label>
        Durée (minutes)
        <input type="number" name="duration" defaultValue={45} min={5} max={480} required />
      </label>
      <button type="submit" disabled={result.fetching}>
        {result.fetching ? 'Enregistrement…' : 'Enregistrer la séance'}
      </button>
      <Outcome error={result.error} done={done} />
    </form>
  );
}

function AssessmentForm({ inclusionId, timepoints, onRecorded }: { inclusionId: string; timepoints: string[]; onRecorded: () => void }) {
  const [result, record] = useCommand<RecordAssessmentMutation, RecordAssessmentVariables>(ASSESSMENT);
  const [done, setDone] = useState<string | null>(null);
  if (timepoints.length === 0) return <p>Toutes les évaluations prévues sont faites.</p>;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setDone(null);
    const answer = await record({
      input: {
        inclusionId,
        timepoint: String(f.get('timepoint')),
        assessedOn: String(f.get('assessedOn')),
        daysOfUseLast30: Number(f.get('days')),
        qualityOfLifeScore: Number(f.get('qol')),
        housing: String(f.get('housing')) as HousingSituation,
        employment: String(f.get('employment')) as EmploymentSituation,
        healthCoverage: String(f.get('coverage')) as HealthCoverage,
      },
    });
    if (answer.data) {
      setDone('Évaluation enregistrée.');
      onRecorded();
    }
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Enregistrer une évaluation">
      <label>
        Temps d’évaluation
        <select name="timepoint">
          {timepoints.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Date
        <input type="date" name="assessedOn" defaultValue={parisToday()} max={parisToday()} required />
      </label>
      <label>
        Jours de consommation (30 derniers jours)
        <input type="number" name="days" min={0} max={30} defaultValue={0} required />
      </label>
      <label>
        Score de qualité de vie (0 à 100)
        <input type="number" name="qol" min={0} max={100} defaultValue={50} required />
      </label>
      <label>Logement <CodeSelect name="housing" labels={HOUSING} defaultValue="STABLE" /></label>
      <label>Emploi <CodeSelect name="employment" labels={EMPLOYMENT} defaultValue="UNKNOWN" /></label>
      <label>Couverture maladie <CodeSelect name="coverage" labels={HEALTH_COVERAGE} defaultValue="FULL" /></label>
      <button type="submit" disabled={result.fetching}>
        Enregistrer l’évaluation
      </button>
      <Outcome error={result.error} done={done} />
    </form>
  );
}

import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useCommand } from '../lib/command';
import { CodeSelect, ErrorMessage, Loading, Outcome, PageTitle, Section } from '../components/common';
import { addDays, frenchDate, parisToday, shortDate } from '../lib/dates';
import { useRefreshUntil } from '../lib/hooks';
import { ASSESSMENT_STATUS, INCLUSION_REASON, label, MEETING_FORMAT, MEETING_STATUS, PROFESSION, REVIEW_DECISION, REVIEW_REASON } from '../lib/labels';
import type { MeetingFormat, ReviewDecision, CaseloadFilter, CaseloadQuery, CaseloadVariables, HoldMeetingMutation, HoldMeetingVariables, ScheduleMeetingMutation, ScheduleMeetingVariables, TeamMeetingsQuery, TeamMeetingsVariables, TeamQuery, TeamVariables } from '../generated/graphql';

type CaseloadNode = CaseloadQuery['caseload']['nodes'][number];
type Meeting = TeamMeetingsQuery['meetings'][number];

const TEAM = `query Team($id: ID!) {
  microstructure(id: $id) {
    id name networkId
    members { professionalId profession professional { firstName lastName } }
    caseloadSummary { active exited dueAssessments overdueAssessments lostToFollowUpSuggested }
  }
}`;
const CASELOAD = `query Caseload($id: ID!, $filter: CaseloadFilter) {
  caseload(microstructureId: $id, filter: $filter, page: { first: 100 }) {
    totalCount
    nodes {
      patient { id birthYear identity { lastName firstName } }
      inclusion { id includedOn reasons lastContactOn assessmentSchedule { timepoint dueOn status } lostToFollowUp { suggested } }
    }
  }
}`;
const MEETINGS = `query TeamMeetings($id: ID!, $from: String!, $to: String!, $on: String) {
  meetings(microstructureId: $id, from: $from, to: $to) { id status scheduledOn heldOn format place reviewedCount }
  reviewSuggestions(microstructureId: $id, on: $on) { patientId reasons includedOn lastReviewedOn overdueTimepoints }
}`;
const SCHEDULE = `mutation ScheduleMeeting($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id status scheduledOn } }`;
const HOLD = `mutation HoldMeeting($input: HoldMeetingInput!) { holdMeeting(input: $input) { id status heldOn reviewedCount } }`;

const FILTERS: { key: string; label: string; filter: CaseloadFilter }[] = [
  { key: 'all', label: 'Toute la file active', filter: { status: 'ACTIVE' } },
  { key: 'due', label: 'Évaluations à faire ou en retard', filter: { status: 'ACTIVE', assessmentDue: true } },
  { key: 'lost', label: 'Perdus de vue (suggestion)', filter: { status: 'ACTIVE', lostToFollowUp: true } },
  { key: 'exited', label: 'Sortis', filter: { status: 'EXITED' } },
];

const nameOf = (node: CaseloadNode | undefined) => (node?.patient.identity ? `${node.patient.identity.lastName} ${node.patient.identity.firstName}` : 'Identité effacée');

export default function TeamView() {
  const { microstructureId = '' } = useParams();
  const [team] = useQuery<TeamQuery, TeamVariables>({ query: TEAM, variables: { id: microstructureId } });
  const [filterKey, setFilterKey] = useState('all');
  const filter = FILTERS.find((f) => f.key === filterKey)!.filter;
  const [caseload, refetchCaseload] = useQuery<CaseloadQuery, CaseloadVariables>({ query: CASELOAD, variables: { id: microstructureId, filter } });
  // Everyone followed, for the names of the suggested patients.
  const [everyone] = useQuery<CaseloadQuery, CaseloadVariables>({ query: CASELOAD, variables: { id: microstructureId, filter: { status: 'ACTIVE' } } });
  const today = parisToday();
  const [meetings, refetchMeetings] = useQuery<TeamMeetingsQuery, TeamMeetingsVariables>({
    query: MEETINGS,
    variables: { id: microstructureId, from: addDays(today, -90), to: addDays(today, 180), on: today },
  });
  const ms = team.data?.microstructure;
  const summary = ms?.caseloadSummary;
  const byPatient = new Map((everyone.data?.caseload.nodes ?? []).map((n) => [n.patient.id, n]));

  return (
    <>
      <PageTitle title={ms?.name ?? 'Mon équipe'}>{ms?.name ?? 'Mon équipe'}</PageTitle>
      {team.fetching && !ms && <Loading what="l’équipe" />}
      {team.error && <ErrorMessage error={team.error} />}
      {ms && (
        <p className="subtitle">
          Équipe : {ms.members.map((m) => `${m.professional.firstName} ${m.professional.lastName} (${label(PROFESSION, m.profession)})`).join(', ')}
        </p>
      )}
      {summary && (
        <ul className="kpis" aria-label="File active en chiffres">
          <li>
            <strong>{summary.active}</strong> patients suivis
          </li>
          <li className={summary.dueAssessments ? 'warn' : ''}>
            <strong>{summary.dueAssessments}</strong> évaluations à faire
          </li>
          <li className={summary.overdueAssessments ? 'alert' : ''}>
            <strong>{summary.overdueAssessments}</strong> évaluations en retard
          </li>
          <li>
            <strong>{summary.lostToFollowUpSuggested}</strong> perdus de vue (suggestion)
          </li>
          <li>
            <strong>{summary.exited}</strong> sortis
          </li>
        </ul>
      )}

      <div className="columns">
        <Section title="File active" id="caseload">
          <fieldset className="filters">
            <legend className="visually-hidden">Filtrer la file active</legend>
            {FILTERS.map((f) => (
              <label key={f.key} className={filterKey === f.key ? 'chip selected' : 'chip'}>
                <input type="radio" name="caseload-filter" value={f.key} checked={filterKey === f.key} onChange={() => setFilterKey(f.key)} />
                {f.label}
              </label>
            ))}
          </fieldset>
          {caseload.fetching && !caseload.data && <Loading what="la file active" />}
          {caseload.error && <ErrorMessage error={caseload.error} retry={() => refetchCaseload({ requestPolicy: 'network-only' })} />}
          {caseload.data && (
            <div className="table-wrap">
              <table data-testid="caseload">
                <thead>
                  <tr>
                    <th scope="col">Patient</th>
                    <th scope="col">Inclus le</th>
                    <th scope="col">Motifs</th>
                    <th scope="col">Dernier contact</th>
                    <th scope="col">Évaluations</th>
                  </tr>
                </thead>
                <tbody>
                  {caseload.data.caseload.nodes.map((node) => {
                    const pending = node.inclusion.assessmentSchedule.filter((a) => a.status === 'DUE' || a.status === 'OVERDUE');
                    return (
                      <tr key={node.inclusion.id}>
                        <th scope="row">
                          <Link to={`/equipe/${microstructureId}/inclusions/${node.inclusion.id}`}>{nameOf(node)}</Link>
                          <span className="muted"> · né(e) en {node.patient.birthYear}</span>
                        </th>
                        <td>{shortDate(node.inclusion.includedOn)}</td>
                        <td>{node.inclusion.reasons.map((r) => label(INCLUSION_REASON, r)).join(', ')}</td>
                        <td>
                          {shortDate(node.inclusion.lastContactOn)}
                          {node.inclusion.lostToFollowUp.suggested && <span className="badge alert"> perdu de vue ?</span>}
                        </td>
                        <td>
                          {pending.length === 0
                            ? '—'
                            : pending.map((a) => (
                                <span key={a.timepoint} className={`badge ${a.status === 'OVERDUE' ? 'alert' : 'warn'}`}>
                                  {a.timepoint} {label(ASSESSMENT_STATUS, a.status).toLowerCase()} ({shortDate(a.dueOn)})
                                </span>
                              ))}
                        </td>
                      </tr>
                    );
                  })}
                  {caseload.data.caseload.nodes.length === 0 && (
                    <tr>
                      <td colSpan={5}>Aucun patient pour ce filtre.</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          )}
        </Section>

        <Section title="Prochaine réunion de synthèse" id="meeting">
          {meetings.fetching && !meetings.data && <Loading what="les réunions" />}
          {meetings.error && <ErrorMessage error={meetings.error} retry={() => refetchMeetings({ requestPolicy: 'network-only' })} />}
          {meetings.data && ms && (
            <MeetingPanel
              microstructureId={microstructureId}
              meetings={meetings.data.meetings}
              suggestions={meetings.data.reviewSuggestions}
              members={ms.members}
              patientName={(id) => nameOf(byPatient.get(id))}
              refetch={() => refetchMeetings({ requestPolicy: 'network-only' })}
            />
          )}
        </Section>
      </div>
    </>
  );
}

function MeetingPanel({
  microstructureId,
  meetings,
  suggestions,
  members,
  patientName,
  refetch,
}: {
  microstructureId: string;
  meetings: Meeting[];
  suggestions: { patientId: string; reasons: string[]; lastReviewedOn: string | null; overdueTimepoints: string[] }[];
  members: { professionalId: string; profession: string; professional: { firstName: string; lastName: string } }[];
  patientName: (id: string) => string;
  refetch: () => void;
}) {
  const today = parisToday();
  const next = meetings.filter((m) => m.status === 'SCHEDULED').sort((a, b) => a.scheduledOn.localeCompare(b.scheduledOn))[0];
  const held = meetings.filter((m) => m.status === 'HELD').sort((a, b) => (b.heldOn ?? '').localeCompare(a.heldOn ?? ''));
  const [expected, setExpected] = useState<{ id: string; status: string } | null>(null);
  const refresh = useRefreshUntil(refetch, () => Boolean(expected && meetings.some((m) => m.id === expected.id && m.status === expected.status)));
  const [scheduled, schedule] = useCommand<ScheduleMeetingMutation, ScheduleMeetingVariables>(SCHEDULE);
  const [holding, hold] = useCommand<HoldMeetingMutation, HoldMeetingVariables>(HOLD);
  const [done, setDone] = useState<string | null>(null);
  const [reviewed, setReviewed] = useState<Record<string, ReviewDecision>>({});
  // The situation summary of each reviewed patient: encrypted by the meetings service with the patient's key.
  const [summaries, setSummaries] = useState<Record<string, string>>({});

  const submitSchedule = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const format = String(f.get('format')) as MeetingFormat;
    const answer = await schedule({
      input: { microstructureId, scheduledOn: String(f.get('scheduledOn')), format, place: format === 'IN_PERSON' ? String(f.get('place') ?? '') || undefined : undefined, expectedAttendeeIds: members.map((m) => m.professionalId) },
    });
    if (answer.data) {
      setDone('Réunion prévue.');
      setExpected({ id: answer.data.scheduleMeeting.id, status: 'SCHEDULED' });
      setTimeout(refresh, 0);
    }
  };
  const submitHold = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!next) return;
    const f = new FormData(event.currentTarget);
    const attendeeIds = f.getAll('attendee').map(String);
    const reviews = Object.entries(reviewed).map(([patientId, decision]) => ({
      patientId,
      decisions: [decision],
      nextReviewOn: addDays(String(f.get('heldOn')), 90),
      ...(summaries[patientId]?.trim() && { summary: summaries[patientId].trim() }),
    }));
    const answer = await hold({ input: { meetingId: next.id, heldOn: String(f.get('heldOn')), durationMinutes: Number(f.get('duration')), attendeeIds, reviews } });
    if (answer.data) {
      setDone(`Réunion enregistrée : ${answer.data.holdMeeting.reviewedCount} situation(s) examinée(s).`);
      setReviewed({});
      setSummaries({});
      setExpected({ id: next.id, status: 'HELD' });
      setTimeout(refresh, 0);
    }
  };

  return (
    <>
      {next ? (
        <p data-testid="next-meeting">
          <strong>{frenchDate(next.scheduledOn)}</strong> · {label(MEETING_FORMAT, next.format)}
          {next.place && <> · {next.place}</>}
        </p>
      ) : (
        <p data-testid="next-meeting">Aucune réunion prévue.</p>
      )}
      <h3>Patients à examiner ({suggestions.length})</h3>
      {suggestions.length === 0 ? (
        <p>Aucun patient suggéré.</p>
      ) : (
        <ul className="plain suggestions" data-testid="suggestions">
          {suggestions.map((s) => (
            <li key={s.patientId}>
              <label className="check-line">
                <input
                  type="checkbox"
                  disabled={!next}
                  checked={s.patientId in reviewed}
                  onChange={(e) =>
                    setReviewed((r) => {
                      const copy = { ...r };
                      if (e.target.checked) copy[s.patientId] = 'NO_CHANGE';
                      else delete copy[s.patientId];
                      return copy;
                    })
                  }
                />
                <span>
                  <strong>{patientName(s.patientId)}</strong> — {s.reasons.map((r) => label(REVIEW_REASON, r)).join(', ')}
                  {s.overdueTimepoints.length > 0 && <> ({s.overdueTimepoints.join(', ')})</>}
                </span>
              </label>
              {s.patientId in reviewed && (
                <label className="indent">
                  Décision
                  <select value={reviewed[s.patientId]} onChange={(e) => setReviewed((r) => ({ ...r, [s.patientId]: e.target.value as ReviewDecision }))}>
                    {Object.entries(REVIEW_DECISION).map(([value, text]) => (
                      <option key={value} value={value}>
                        {text}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {s.patientId in reviewed && (
                <label className="indent">
                  Synthèse de la situation (facultative, chiffrée, visible de l’équipe seulement)
                  <textarea
                    data-testid={`summary-${s.patientId}`}
                    rows={3}
                    maxLength={4000}
                    value={summaries[s.patientId] ?? ''}
                    onChange={(e) => setSummaries((all) => ({ ...all, [s.patientId]: e.target.value }))}
                  />
                </label>
              )}
            </li>
          ))}
        </ul>
      )}
      {next && (
        <form onSubmit={submitHold} aria-label="Enregistrer la réunion tenue" className="stack">
          <h3>Enregistrer la réunion</h3>
          <label>
            Tenue le
            <input type="date" name="heldOn" defaultValue={today} max={today} required />
          </label>
          <label>
            Durée (minutes)
            <input type="number" name="duration" defaultValue={60} min={10} max={480} required />
          </label>
          <fieldset>
            <legend>Participants</legend>
            {members.map((m) => (
              <label key={m.professionalId} className="check-line">
                <input type="checkbox" name="attendee" value={m.professionalId} defaultChecked />
                {m.professional.firstName} {m.professional.lastName} ({label(PROFESSION, m.profession)})
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={holding.fetching}>
            Enregistrer la réunion ({Object.keys(reviewed).length} situation(s))
          </button>
        </form>
      )}
      <form onSubmit={submitSchedule} aria-label="Prévoir une réunion" className="stack">
        <h3>Prévoir une réunion</h3>
        <label>
          Date
          <input type="date" name="scheduledOn" defaultValue={addDays(today, 14)} min={today} required />
        </label>
        <label>
          Format
          <CodeSelect name="format" labels={MEETING_FORMAT} defaultValue="IN_PERSON" />
        </label>
        <label>
          Lieu (sur place)
          <input name="place" defaultValue="Cabinet" />
        </label>
        <button type="submit" className="secondary" disabled={scheduled.fetching}>
          Prévoir
        </button>
      </form>
      <Outcome error={scheduled.error ?? holding.error} done={done} />
      {held.length > 0 && (
        <>
          <h3>Réunions tenues récemment</h3>
          <ul className="plain">
            {held.slice(0, 5).map((m) => (
              <li key={m.id}>
                {frenchDate(m.heldOn)} · {label(MEETING_STATUS, m.status)} · {m.reviewedCount} situation(s)
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

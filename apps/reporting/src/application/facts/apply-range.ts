import {
  AssessmentRecorded,
  CaseReviewed,
  ExitRecorded,
  FollowUpSessionRecorded,
  MeetingCancelled,
  MeetingHeld,
  MembershipEnded,
  MembershipStarted,
  MicrostructureClosed,
  MicrostructureCreated,
  MicrostructureOpened,
  NetworkCreated,
  NetworkDepartmentsChanged,
  PatientIncluded,
  ProfessionalRegistered,
  TrainingAttendanceRecorded,
} from '@cnrms/contracts';
import { Queryable } from './apply-event';
import { refreshCells } from './cells';
import { patientKeyAndTagSql } from './cell-keys';
import { CLEAR_INCREMENTS_LOG_SQL, CREATE_INCREMENTS_LOG_SQL, LOGGED_INCREMENTS_SQL, upsertPatientMonths } from './patient-month-increments';
import { hcvScreeningsOfRange, refreshHcvScreeningWindows } from './hcv-screening-windows';
import { exitCellsNow, exitsOfRange, inclusionsOfRange, refreshInclusionCells, retentionFlipsOfRange } from './inclusion-cells';
import { exitSinceSql, MonthEndChanges, refreshMonthEnds } from './month-end-cells';
import { refreshReferralCells } from './referral-cells';
import { refreshTreatingGpSpans, spanChangesOfRange } from './treating-gp-spans';
import { inboxRangeSql, NetworkPart } from './network-parts';

/**
 * The set-based twin of `applyEvent`, for rebuilds: applies every inbox event with `from < seq <= to` to
 * the fact set of `schema` in a few statements per event type instead of a few per event (a rebuild of
 * millions of events takes minutes, not hours). Same result as applying the events one by one in seq
 * order (the rebuild spec compares both), same idempotency: contacts are counted only for sessions,
 * assessments and inclusions newly recorded, the last exit, opening or closing of a range wins.
 */

/** The events of one type in the range, of one part of the networks when given (`seq`, payload `p`). */
const eventsOfRange = (type: string, part?: NetworkPart) => `(select seq, payload as p from reporting.inbox where ${inboxRangeSql(part)} and type = '${type}')`;
const text = (field: string) => `p->>'${field}'`;
const day = (field: string) => `(p->>'${field}')::date`;

/**
 * A range's fact statements in three groups, applied in this order by `applyRange`, each reading the inbox range
 * (`$1`, `$2`): the reference data and the inclusions; the follow-up, which moves the inclusions' own columns (last
 * and first contacts, first screening and right, exit); the outcomes, meetings and trainings, which write tables of
 * their own and read the inclusions only for their sex and age band. Once the first group is applied, the other two
 * touch no common row: a rebuild runs them side by side, on two connections (`rebuild.ts`). With `logIncrements` (the
 * default), the contact statements log what they add to the patient-months, which the cells then move by
 * (`patient-month-increments.ts`); a rebuild's chunks, whose cells are computed once after them, log nothing.
 */
export interface FactStatements {
  reference: string[];
  followUp: string[];
  outcomes: string[];
}

export function factStatementGroups(s: string, { logIncrements = true, part }: { logIncrements?: boolean; part?: NetworkPart } = {}): FactStatements {
  const events = (type: string) => eventsOfRange(type, part);
  /** The last event of a type per key expression (over `p`), in the range. */
  const lastPer = (type: string, key: string) => `(select distinct on (${key}) seq, p from ${events(type)} e order by ${key}, seq desc)`;
  /** The first event of a type per key expression, in the range. */
  const firstPer = (type: string, key: string) => `(select distinct on (${key}) seq, p from ${events(type)} e order by ${key}, seq)`;
  const attributes = (inclusionId: string) =>
    `coalesce((select sex from ${s}.inclusions where inclusion_id = ${inclusionId}), 'UNKNOWN'), coalesce((select age_band from ${s}.inclusions where inclusion_id = ${inclusionId}), 'UNKNOWN')`;
  const countContacts = (extra: readonly string[] = []) => upsertPatientMonths(s, 'counted', extra, logIncrements);
  return {
    reference: [
      // Directory: reference data.
      `insert into ${s}.networks (id, name, region, departments)
         select ${text('networkId')}, ${text('name')}, ${text('region')}, array(select jsonb_array_elements_text(p->'departments')) from ${firstPer(NetworkCreated.type, text('networkId'))} x
         on conflict (id) do nothing`,
      `update ${s}.networks n set departments = array(select jsonb_array_elements_text(x.p->'departments')) from ${lastPer(NetworkDepartmentsChanged.type, text('networkId'))} x where n.id = x.p->>'networkId'`,
      `insert into ${s}.microstructures (id, network_id, name, kind, department)
         select ${text('microstructureId')}, ${text('networkId')}, ${text('name')}, ${text('kind')}, ${text('department')} from ${firstPer(MicrostructureCreated.type, text('microstructureId'))} x
         on conflict (id) do nothing`,
      `update ${s}.microstructures m set opened_on = (x.p->>'openedOn')::date, kind = x.p->>'kind', department = coalesce(nullif(x.p->>'department', ''), m.department)
         from ${lastPer(MicrostructureOpened.type, text('microstructureId'))} x where m.id = x.p->>'microstructureId'`,
      `update ${s}.microstructures m set closed_on = (x.p->>'closedOn')::date from ${lastPer(MicrostructureClosed.type, text('microstructureId'))} x where m.id = x.p->>'microstructureId'`,
      `insert into ${s}.professionals (id, profession) select ${text('professionalId')}, ${text('profession')} from ${firstPer(ProfessionalRegistered.type, text('professionalId'))} x on conflict (id) do nothing`,
      `insert into ${s}.memberships (microstructure_id, professional_id, started_on, network_id, profession)
         select ${text('microstructureId')}, ${text('professionalId')}, ${day('startedOn')}, ${text('networkId')}, ${text('profession')}
         from ${firstPer(MembershipStarted.type, `${text('microstructureId')}, ${text('professionalId')}, ${text('startedOn')}`)} x on conflict do nothing`,
      `update ${s}.memberships m set ended_on = (x.p->>'endedOn')::date
         from ${lastPer(MembershipEnded.type, `${text('microstructureId')}, ${text('professionalId')}, ${text('startedOn')}`)} x
         where m.microstructure_id = x.p->>'microstructureId' and m.professional_id = x.p->>'professionalId' and m.started_on = (x.p->>'startedOn')::date`,

      // Inclusions: the inclusion is a contact of its month.
      `with ins as (
         insert into ${s}.inclusions (inclusion_id, patient_id, microstructure_id, network_id, included_on, reinclusion, sex, age_band, treating_gp_id, initial_days_of_use, last_contact_on)
         select ${text('inclusionId')}, ${text('patientId')}, ${text('microstructureId')}, ${text('networkId')}, ${day('includedOn')}, (p->>'reinclusion')::boolean, ${text('sex')}, ${text('ageBand')},
           ${text('treatingGpId')}, (p->'initialSituation'->>'daysOfUseLast30')::int, ${day('includedOn')}
         from ${firstPer(PatientIncluded.type, text('inclusionId'))} x
         on conflict (inclusion_id) do nothing returning inclusion_id, patient_id, microstructure_id, network_id, included_on, sex, age_band
       ), counted as (
         select date_trunc('month', included_on)::date as month, microstructure_id, patient_id, min(network_id) as network_id, min(sex) as sex, min(age_band) as age_band,
           count(*)::int as contacts, 0 as psychologist_sessions, 0 as social_work_interviews
         from ins group by 1, 2, 3
       ), ${countContacts()}
       select count(*) from months`,

    ],
    followUp: [
      // Sessions: contacts by kind, last contact, first psychologist or social-work contact.
      `with ins as (
         insert into ${s}.sessions (session_id, inclusion_id, patient_id, microstructure_id, network_id, kind, held_on, duration_minutes)
         select ${text('sessionId')}, ${text('inclusionId')}, ${text('patientId')}, ${text('microstructureId')}, ${text('networkId')}, ${text('kind')}, ${day('heldOn')}, (p->>'durationMinutes')::int
         from ${firstPer(FollowUpSessionRecorded.type, text('sessionId'))} x
         on conflict (session_id) do nothing returning inclusion_id, patient_id, microstructure_id, network_id, kind, held_on
       ), counted as (
         select date_trunc('month', x.held_on)::date as month, x.microstructure_id, x.patient_id, min(x.network_id) as network_id,
           coalesce(min(i.sex), 'UNKNOWN') as sex, coalesce(min(i.age_band), 'UNKNOWN') as age_band, count(*)::int as contacts,
           (count(*) filter (where x.kind = 'PSYCHOLOGIST_SESSION'))::int as psychologist_sessions, (count(*) filter (where x.kind = 'SOCIAL_WORK_INTERVIEW'))::int as social_work_interviews,
           count(*) filter (where x.kind = 'GP_CONSULTATION') as gp_sessions, count(*) filter (where x.kind = 'PSYCHIATRIST_SESSION') as psychiatrist_sessions
         from ins x left join ${s}.inclusions i on i.inclusion_id = x.inclusion_id group by 1, 2, 3
       ), ${countContacts(['gp_sessions', 'psychiatrist_sessions'])}
       update ${s}.inclusions i set last_contact_on = greatest(i.last_contact_on, x.last_on), first_team_contact_on = least(coalesce(i.first_team_contact_on, x.first_team), x.first_team)
       from (select inclusion_id, max(held_on) as last_on, min(held_on) filter (where kind in ('PSYCHOLOGIST_SESSION', 'SOCIAL_WORK_INTERVIEW')) as first_team from ins group by inclusion_id) x
       where i.inclusion_id = x.inclusion_id`,
      `update ${s}.inclusions i set first_screened_on = least(coalesce(i.first_screened_on, x.on_day), x.on_day)
         from (select e.p->>'inclusionId' as id, min((e.p->>'heldOn')::date) as on_day from ${events(FollowUpSessionRecorded.type)} e cross join jsonb_array_elements(e.p->'outcomes'->'screenings') o
               where o->>'status' = 'DONE' group by 1) x where i.inclusion_id = x.id`,
      `update ${s}.inclusions i set first_right_granted_on = least(coalesce(i.first_right_granted_on, x.on_day), x.on_day)
         from (select e.p->>'inclusionId' as id, min((e.p->>'heldOn')::date) as on_day from ${events(FollowUpSessionRecorded.type)} e cross join jsonb_array_elements(e.p->'outcomes'->'rights') o
               where o->>'status' = 'GRANTED' and o->>'right' in ('CSS', 'AME', 'HOUSING') group by 1) x where i.inclusion_id = x.id`,
      // Assessments: a contact of their month.
      `with a as (
         select ${text('inclusionId')} as inclusion_id, ${text('timepoint')} as timepoint, ${text('patientId')} as patient_id, ${text('microstructureId')} as microstructure_id,
           ${text('networkId')} as network_id, ${day('assessedOn')} as assessed_on, (p->>'daysOfUseLast30')::int as days, (p->>'qualityOfLifeScore')::int as score
         from ${firstPer(AssessmentRecorded.type, `${text('inclusionId')}, ${text('timepoint')}`)} x
       ), ins as (
         insert into ${s}.assessments (inclusion_id, timepoint, patient_id, assessed_on, days_of_use, quality_of_life_score)
         select inclusion_id, timepoint, patient_id, assessed_on, days, score from a on conflict do nothing returning inclusion_id, timepoint
       ), added as (select a.* from a join ins using (inclusion_id, timepoint)), counted as (
         select date_trunc('month', x.assessed_on)::date as month, x.microstructure_id, x.patient_id, min(x.network_id) as network_id,
           coalesce(min(i.sex), 'UNKNOWN') as sex, coalesce(min(i.age_band), 'UNKNOWN') as age_band, count(*)::int as contacts, 0 as psychologist_sessions, 0 as social_work_interviews
         from added x left join ${s}.inclusions i on i.inclusion_id = x.inclusion_id group by 1, 2, 3
       ), ${countContacts()}
       update ${s}.inclusions i set last_contact_on = greatest(i.last_contact_on, x.last_on) from (select inclusion_id, max(assessed_on) as last_on from added group by 1) x where i.inclusion_id = x.inclusion_id`,
      `update ${s}.inclusions i set exited_on = (x.p->>'exitedOn')::date, exit_reason = x.p->>'reason' from ${lastPer(ExitRecorded.type, text('inclusionId'))} x where i.inclusion_id = x.p->>'inclusionId'`,

    ],
    outcomes: [
      `insert into ${s}.screenings (session_id, disease, status, result, patient_id, inclusion_id, microstructure_id, network_id, sex, age_band, held_on)
         select x.p->>'sessionId', o->>'disease', o->>'status', o->>'result', x.p->>'patientId', x.p->>'inclusionId', x.p->>'microstructureId', x.p->>'networkId', ${attributes(`x.p->>'inclusionId'`)}, (x.p->>'heldOn')::date
         from ${events(FollowUpSessionRecorded.type)} x cross join jsonb_array_elements(x.p->'outcomes'->'screenings') o on conflict do nothing`,
      // Treatment outcomes (contract v2; an upcast v1 has none, a v1 stored as it came has no list).
      `insert into ${s}.treatments (session_id, disease, status, patient_id, inclusion_id, microstructure_id, network_id, sex, age_band, held_on)
         select x.p->>'sessionId', o->>'disease', o->>'status', x.p->>'patientId', x.p->>'inclusionId', x.p->>'microstructureId', x.p->>'networkId', ${attributes(`x.p->>'inclusionId'`)}, (x.p->>'heldOn')::date
         from ${events(FollowUpSessionRecorded.type)} x cross join jsonb_array_elements(coalesce(x.p->'outcomes'->'treatments', '[]'::jsonb)) o on conflict do nothing`,
      `insert into ${s}.rights (session_id, right_code, status, patient_id, inclusion_id, held_on)
         select x.p->>'sessionId', o->>'right', o->>'status', x.p->>'patientId', x.p->>'inclusionId', (x.p->>'heldOn')::date
         from ${events(FollowUpSessionRecorded.type)} x cross join jsonb_array_elements(x.p->'outcomes'->'rights') o on conflict do nothing`,
      `insert into ${s}.referrals (session_id, partner_id, partner_type, patient_id, inclusion_id, held_on, microstructure_id, network_id, sex, age_band, patient_key, key_tag)
         select x.p->>'sessionId', o->>'partnerId', o->>'partnerType', x.p->>'patientId', x.p->>'inclusionId', (x.p->>'heldOn')::date, x.p->>'microstructureId', x.p->>'networkId', ${attributes(`x.p->>'inclusionId'`)},
           ${patientKeyAndTagSql(`(x.p->>'patientId')`)}
         from ${events(FollowUpSessionRecorded.type)} x cross join jsonb_array_elements(x.p->'outcomes'->'referrals') o on conflict do nothing`,


      // Meetings: a meeting counts once, when first held.
      `with ins as (
         insert into ${s}.meetings as m (meeting_id, microstructure_id, network_id, held_on, duration_minutes, attendee_count, reviewed_count)
         select ${text('meetingId')}, ${text('microstructureId')}, ${text('networkId')}, ${day('heldOn')}, (p->>'durationMinutes')::int, (p->>'attendeeCount')::int, (p->>'reviewedCount')::int
         from ${firstPer(MeetingHeld.type, text('meetingId'))} x
         on conflict (meeting_id) do update set held_on = excluded.held_on, duration_minutes = excluded.duration_minutes, attendee_count = excluded.attendee_count, reviewed_count = excluded.reviewed_count
         where m.held_on is null returning microstructure_id, network_id, held_on
       )
       insert into ${s}.microstructure_months as mm (month, microstructure_id, network_id, meetings_held)
       select date_trunc('month', held_on)::date, microstructure_id, min(network_id), count(*) from ins group by 1, 2
       on conflict (month, microstructure_id) do update set meetings_held = mm.meetings_held + excluded.meetings_held`,
      `insert into ${s}.meetings (meeting_id, microstructure_id, network_id, cancelled_on)
         select ${text('meetingId')}, ${text('microstructureId')}, ${text('networkId')}, ${day('cancelledOn')} from ${lastPer(MeetingCancelled.type, text('meetingId'))} x
         on conflict (meeting_id) do update set cancelled_on = excluded.cancelled_on`,
      `insert into ${s}.case_reviews (meeting_id, patient_id, microstructure_id, network_id, held_on)
         select ${text('meetingId')}, ${text('patientId')}, ${text('microstructureId')}, ${text('networkId')}, ${day('heldOn')}
         from ${firstPer(CaseReviewed.type, `${text('meetingId')}, ${text('patientId')}`)} x on conflict do nothing`,

      // Training: the last record of an attendance wins.
      `insert into ${s}.training_attendances (registration_id, session_id, training_id, professional_id, network_id, attended_on, hours, microstructure_id)
         select ${text('registrationId')}, ${text('sessionId')}, ${text('trainingId')}, ${text('professionalId')}, ${text('networkId')}, ${day('sessionDate')}, (p->>'hours')::numeric, ${text('microstructureId')}
         from ${lastPer(TrainingAttendanceRecorded.type, `${text('registrationId')}, ${text('sessionId')}`)} x
         on conflict (registration_id, session_id) do update set hours = excluded.hours, attended_on = excluded.attended_on, microstructure_id = excluded.microstructure_id`,
    ],
  };
}

/** The day of an inbox row that is a contact (an inclusion, a session, an assessment). */
export const CONTACT_DAY_SQL = `(payload->>(case type when '${PatientIncluded.type}' then 'includedOn' when '${FollowUpSessionRecorded.type}' then 'heldOn' else 'assessedOn' end))::date`;
/** The types of those rows. */
export const CONTACT_TYPES_SQL = `('${PatientIncluded.type}', '${FollowUpSessionRecorded.type}', '${AssessmentRecorded.type}')`;

/** The range's contacts (inclusions, sessions, assessments): their month, microstructure and patient. */
export const contactsOfRange = (part?: NetworkPart): string => `select ${CONTACT_DAY_SQL} as month,
    payload->>'microstructureId' as microstructure_id, payload->>'patientId' as patient_id
  from reporting.inbox where ${inboxRangeSql(part)} and type in ${CONTACT_TYPES_SQL}`;

/**
 * Applies the inbox events with `from < seq <= to` (of one part of the networks when `part` is given) to the fact set
 * in `schema`, inside the caller's transaction, and the cells of their contacts and inclusions (`cells.ts`,
 * `inclusion-cells.ts`). A rebuild applies the facts alone (`factStatementGroups`) and computes the cells all at once
 * after them.
 */
export async function applyRange(db: Queryable, schema: string, from: string, to: string, part?: NetworkPart): Promise<void> {
  // An exit recorded again with another day leaves the exit cell it was in: which one, before the facts move.
  const formerExitCells = await exitCellsNow(db, schema, exitsOfRange(part), [from, to]);
  // Inclusions a contact of the range takes past a retention's days, before the last contacts move.
  const retentionFlips = ((await db.query(retentionFlipsOfRange(schema, part), [from, to])).rows as { inclusion_id: string }[]).map((row) => row.inclusion_id);
  const { reference, followUp, outcomes } = factStatementGroups(schema, { part });
  await db.query(CREATE_INCREMENTS_LOG_SQL);
  for (const sql of [...reference, ...followUp, ...outcomes]) await db.query(sql, [from, to]);
  await refreshCells(db, schema, LOGGED_INCREMENTS_SQL, []);
  await db.query(CLEAR_INCREMENTS_LOG_SQL);
  // The inclusions whose cells the range changed, found once (each of the statements that recompute them read them again).
  const changed = (await db.query(`select array(${inclusionsOfRange(schema, part)} union select unnest($3::text[])) as ids`, [from, to, retentionFlips])).rows as { ids: string[] }[];
  await refreshInclusionCells(db, schema, 'select unnest($1::text[])', [changed[0].ids], formerExitCells);
  await refreshMonthEnds(db, schema, monthEndChangesOfRange(schema, part), [from, to]);
  await refreshTreatingGpSpans(db, schema, spanChangesOfRange(part), [from, to]);
  await refreshHcvScreeningWindows(db, schema, hcvScreeningsOfRange(part), [from, to]);
  await refreshReferralCells(db, schema, referralsOfRange(part), [from, to]);
}

/** The range's sessions with referrals: their patients and days. */
const referralsOfRange = (part?: NetworkPart) => `select payload->>'patientId' as patient_id, payload->>'heldOn' as held_on from reporting.inbox
  where ${inboxRangeSql(part)} and type = '${FollowUpSessionRecorded.type}' and jsonb_array_length(payload->'outcomes'->'referrals') > 0`;

/** The range's inclusions and exits (their patients' month-end rows are recomputed from their months on), contacts and case reviews. */
const monthEndChangesOfRange = (s: string, part?: NetworkPart): MonthEndChanges => ({
  patients: `select payload->>'patientId' as patient_id,
      case when type = '${PatientIncluded.type}' then date_trunc('month', (payload->>'includedOn')::date)::date
        else ${exitSinceSql(s, "payload->>'patientId'", "payload->>'inclusionId'", "(payload->>'exitedOn')::date")} end as since
    from reporting.inbox where ${inboxRangeSql(part)} and type in ('${PatientIncluded.type}', '${ExitRecorded.type}')`,
  contacts: contactsOfRange(part),
  reviews: `select payload->>'patientId' as patient_id, payload->>'heldOn' as held_on from reporting.inbox where ${inboxRangeSql(part)} and type = '${CaseReviewed.type}'`,
});

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
  Contract,
  PatientIncluded,
  PayloadOf,
  ProfessionalRegistered,
  TrainingAttendanceRecorded,
} from '@cnrms/contracts';
import { payloadOf } from '@cnrms/messaging';
import { CountedContact, refreshCellsOfContact } from './cells';
import { exitCellsNow, refreshInclusionCells, sessionChangingCells } from './inclusion-cells';
import { refreshHcvScreeningWindows } from './hcv-screening-windows';
import { patientKeyAndTagSql } from './cell-keys';
import { exitSinceSql, refreshMonthEnds } from './month-end-cells';
import { refreshReferralCells } from './referral-cells';
import { refreshTreatingGpSpans } from './treating-gp-spans';

/** Anything that runs SQL: a pool client inside the caller's transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

/** An integration event as the facts need it (already checked against its contract). */
export interface FactEvent {
  type: string;
  payload: unknown;
}

type Handler = (db: Queryable, s: string, event: FactEvent) => Promise<void>;

/** What the facts do with one contract's events: the payload typed by the contract, read through `payloadOf`. */
function on<Payload, Input>(contract: Contract<Payload, Input>, handle: (db: Queryable, s: string, payload: Payload) => Promise<void>): [string, Handler] {
  return [contract.type, (db, s, event) => handle(db, s, payloadOf(contract, event))];
}

/** Rights that count as "opened" for rights_opened_within_12m (docs/domain.md: CSS, AME, housing). */
const OPENED_RIGHTS = ['CSS', 'AME', 'HOUSING'];
const SESSION_COLUMN: Record<string, string> = {
  GP_CONSULTATION: 'gp_sessions',
  PSYCHOLOGIST_SESSION: 'psychologist_sessions',
  SOCIAL_WORK_INTERVIEW: 'social_work_interviews',
  PSYCHIATRIST_SESSION: 'psychiatrist_sessions',
};

/**
 * A contact (inclusion, session, assessment) counted once in the patient's month, with the sex and age
 * band of the inclusion it belongs to. Runs only when `guard` (a CTE that inserted the contact's own
 * row) returned a row: a contact seen twice counts once.
 */
function countContact(s: string, column: string | null) {
  const kind = column ? `, ${column}` : '';
  const one = column ? ', 1' : '';
  const increment = column ? `, ${column} = pm.${column} + 1` : '';
  return `
    insert into ${s}.patient_months as pm (month, microstructure_id, patient_id, network_id, sex, age_band, contacts${kind})
    select date_trunc('month', $contactOn::date)::date, $ms::text, $patient::text, $network::text,
      coalesce((select sex from ${s}.inclusions where inclusion_id = $inclusion::text), 'UNKNOWN'),
      coalesce((select age_band from ${s}.inclusions where inclusion_id = $inclusion::text), 'UNKNOWN'), 1${one}
    where exists (select 1 from guard)
    on conflict (month, microstructure_id, patient_id) do update set contacts = pm.contacts + 1${increment}
    ${COMBINATION_RETURNED}`;
}

/** What a contact's statement returns when it counted the contact: the combination its patient-month keeps. */
const COMBINATION_RETURNED = 'returning pm.network_id, pm.sex, pm.age_band';

/** The cells of a contact, when its statement counted it (a contact seen before changes nothing). */
async function refreshCellsIfCounted(db: Queryable, s: string, counted: { rows: unknown[] }, contact: Omit<CountedContact, 'combination'>): Promise<void> {
  const combination = counted.rows[0] as CountedContact['combination'] | undefined;
  if (combination) await refreshCellsOfContact(db, s, { ...contact, combination });
}

/** Names `$name` parameters in order; `pg` wants `$1…$n`. */
function named(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const names = Object.keys(values);
  for (const [, name] of sql.matchAll(/\$([a-zA-Z]+)/g)) if (!names.includes(name)) throw new Error(`SQL parameter $${name} has no value`);
  return [sql.replace(/\$([a-zA-Z]+)/g, (_, name: string) => `$${names.indexOf(name) + 1}`), names.map((name) => values[name])];
}

const handlers: Record<string, Handler> = Object.fromEntries([
  on(NetworkCreated, async (db, s, p) => {
    await db.query(`insert into ${s}.networks (id, name, region, departments) values ($1, $2, $3, $4) on conflict (id) do nothing`, [p.networkId, p.name, p.region, p.departments]);
  }),
  on(NetworkDepartmentsChanged, async (db, s, p) => {
    await db.query(`update ${s}.networks set departments = $2 where id = $1`, [p.networkId, p.departments]);
  }),
  on(MicrostructureCreated, async (db, s, p) => {
    await db.query(`insert into ${s}.microstructures (id, network_id, name, kind, department) values ($1, $2, $3, $4, $5) on conflict (id) do nothing`, [
      p.microstructureId,
      p.networkId,
      p.name,
      p.kind,
      p.department,
    ]);
  }),
  on(MicrostructureOpened, async (db, s, p) => {
    await db.query(`update ${s}.microstructures set opened_on = $2, kind = $3, department = coalesce(nullif($4, ''), department) where id = $1`, [p.microstructureId, p.openedOn, p.kind, p.department]);
  }),
  on(MicrostructureClosed, async (db, s, p) => {
    await db.query(`update ${s}.microstructures set closed_on = $2 where id = $1`, [p.microstructureId, p.closedOn]);
  }),
  on(ProfessionalRegistered, async (db, s, p) => {
    // Only the profession: reporting needs no professional's name.
    await db.query(`insert into ${s}.professionals (id, profession) values ($1, $2) on conflict (id) do nothing`, [p.professionalId, p.profession]);
  }),
  on(MembershipStarted, async (db, s, p) => {
    await db.query(`insert into ${s}.memberships (microstructure_id, professional_id, started_on, network_id, profession) values ($1, $2, $3, $4, $5) on conflict do nothing`, [
      p.microstructureId,
      p.professionalId,
      p.startedOn,
      p.networkId,
      p.profession,
    ]);
  }),
  on(MembershipEnded, async (db, s, p) => {
    await db.query(`update ${s}.memberships set ended_on = $4 where microstructure_id = $1 and professional_id = $2 and started_on = $3`, [p.microstructureId, p.professionalId, p.startedOn, p.endedOn]);
  }),
  on(PatientIncluded, async (db, s, p) => {
    const [sql, values] = named(
      `with guard as (
        insert into ${s}.inclusions (inclusion_id, patient_id, microstructure_id, network_id, included_on, reinclusion, sex, age_band, treating_gp_id, initial_days_of_use, last_contact_on)
        values ($inclusion, $patient, $ms, $network, $contactOn, $reinclusion, $sex, $ageBand, $gp, $days, $contactOn)
        on conflict (inclusion_id) do nothing returning 1
      )
      insert into ${s}.patient_months as pm (month, microstructure_id, patient_id, network_id, sex, age_band, contacts)
      select date_trunc('month', $contactOn::date)::date, $ms::text, $patient::text, $network::text, $sex::text, $ageBand::text, 1 where exists (select 1 from guard)
      on conflict (month, microstructure_id, patient_id) do update set contacts = pm.contacts + 1
      ${COMBINATION_RETURNED}`,
      {
        inclusion: p.inclusionId,
        patient: p.patientId,
        ms: p.microstructureId,
        network: p.networkId,
        contactOn: p.includedOn,
        reinclusion: p.reinclusion,
        sex: p.sex,
        ageBand: p.ageBand,
        gp: p.treatingGpId,
        days: p.initialSituation.daysOfUseLast30,
      },
    );
    const counted = await db.query(sql, values);
    await refreshCellsIfCounted(db, s, counted, { on: p.includedOn, microstructureId: p.microstructureId, patientId: p.patientId });
    await refreshInclusionCells(db, s, 'select $1::text', [p.inclusionId]);
    await refreshMonthEnds(db, s, { patients: `select $1::text as patient_id, date_trunc('month', $2::date)::date as since` }, [p.patientId, p.includedOn]);
    await refreshTreatingGpSpans(db, s, 'select $1::text', [p.inclusionId]);
  }),
  on(FollowUpSessionRecorded, async (db, s, p) => {
    const teamContact = p.kind === 'PSYCHOLOGIST_SESSION' || p.kind === 'SOCIAL_WORK_INTERVIEW';
    const [sql, values] = named(
      `with guard as (
        insert into ${s}.sessions (session_id, inclusion_id, patient_id, microstructure_id, network_id, kind, held_on, duration_minutes)
        values ($session, $inclusion, $patient, $ms, $network, $kind, $contactOn, $duration)
        on conflict (session_id) do nothing returning 1
      ), touched as (
        update ${s}.inclusions set last_contact_on = greatest(last_contact_on, $contactOn::date),
          first_team_contact_on = case when $team::boolean then least(coalesce(first_team_contact_on, $contactOn::date), $contactOn::date) else first_team_contact_on end
        where inclusion_id = $inclusion and exists (select 1 from guard)
      )${countContact(s, SESSION_COLUMN[p.kind])}`,
      { session: p.sessionId, inclusion: p.inclusionId, patient: p.patientId, ms: p.microstructureId, network: p.networkId, kind: p.kind, contactOn: p.heldOn, duration: p.durationMinutes, team: teamContact },
    );
    const counted = await db.query(sql, values);
    await refreshCellsIfCounted(db, s, counted, { on: p.heldOn, microstructureId: p.microstructureId, patientId: p.patientId, kind: p.kind });
    await recordOutcomes(db, s, p);
    // Only a session that is now its inclusion's first team contact, screening done or right opened, or its last contact past a retention's days, changes its cells.
    await refreshInclusionCells(db, s, sessionChangingCells(s), [p.inclusionId, p.heldOn]);
    await refreshMonthEnds(db, s, { contacts: 'select $1::text as patient_id, $2::date as month' }, [p.patientId, p.heldOn]);
    if (p.outcomes.screenings.some((screening) => screening.disease === 'HCV')) await refreshHcvScreeningWindows(db, s, 'select $1::text', [p.patientId]);
  }),
  on(AssessmentRecorded, async (db, s, p) => {
    const [sql, values] = named(
      `with guard as (
        insert into ${s}.assessments (inclusion_id, timepoint, patient_id, assessed_on, days_of_use, quality_of_life_score)
        values ($inclusion, $timepoint, $patient, $contactOn, $days, $score) on conflict do nothing returning 1
      ), touched as (
        update ${s}.inclusions set last_contact_on = greatest(last_contact_on, $contactOn::date) where inclusion_id = $inclusion and exists (select 1 from guard)
      )${countContact(s, null)}`,
      { inclusion: p.inclusionId, timepoint: p.timepoint, patient: p.patientId, contactOn: p.assessedOn, days: p.daysOfUseLast30, score: p.qualityOfLifeScore, ms: p.microstructureId, network: p.networkId },
    );
    const counted = await db.query(sql, values);
    await refreshCellsIfCounted(db, s, counted, { on: p.assessedOn, microstructureId: p.microstructureId, patientId: p.patientId });
    await refreshInclusionCells(db, s, 'select $1::text', [p.inclusionId]);
    await refreshMonthEnds(db, s, { contacts: 'select $1::text as patient_id, $2::date as month' }, [p.patientId, p.assessedOn]);
  }),
  on(ExitRecorded, async (db, s, p) => {
    const formerExitCells = await exitCellsNow(db, s, 'select $1::text', [p.inclusionId]);
    await db.query(`update ${s}.inclusions set exited_on = $2, exit_reason = $3 where inclusion_id = $1`, [p.inclusionId, p.exitedOn, p.reason]);
    await refreshInclusionCells(db, s, 'select $1::text', [p.inclusionId], formerExitCells);
    await refreshMonthEnds(db, s, { patients: `select $1::text as patient_id, ${exitSinceSql(s, '$1::text', '$2::text', '$3::date')} as since` }, [p.patientId, p.inclusionId, p.exitedOn]);
    await refreshTreatingGpSpans(db, s, 'select $1::text', [p.inclusionId]);
  }),
  // inclusions.PatientErased: reporting holds a pseudonymous id and codes only, nothing to drop; counts stay (docs/domain.md).
  on(MeetingHeld, async (db, s, p) => {
    await db.query(
      `with guard as (
        insert into ${s}.meetings as m (meeting_id, microstructure_id, network_id, held_on, duration_minutes, attendee_count, reviewed_count) values ($1, $2, $3, $4, $5, $6, $7)
        on conflict (meeting_id) do update set held_on = excluded.held_on, duration_minutes = excluded.duration_minutes, attendee_count = excluded.attendee_count, reviewed_count = excluded.reviewed_count
        where m.held_on is null returning 1
      )
      insert into ${s}.microstructure_months as mm (month, microstructure_id, network_id, meetings_held) select date_trunc('month', $4::date)::date, $2, $3, 1 where exists (select 1 from guard)
      on conflict (month, microstructure_id) do update set meetings_held = mm.meetings_held + 1`,
      [p.meetingId, p.microstructureId, p.networkId, p.heldOn, p.durationMinutes, p.attendeeCount, p.reviewedCount],
    );
  }),
  on(MeetingCancelled, async (db, s, p) => {
    await db.query(`insert into ${s}.meetings (meeting_id, microstructure_id, network_id, cancelled_on) values ($1, $2, $3, $4) on conflict (meeting_id) do update set cancelled_on = excluded.cancelled_on`, [
      p.meetingId,
      p.microstructureId,
      p.networkId,
      p.cancelledOn,
    ]);
  }),
  on(CaseReviewed, async (db, s, p) => {
    await db.query(`insert into ${s}.case_reviews (meeting_id, patient_id, microstructure_id, network_id, held_on) values ($1, $2, $3, $4, $5) on conflict do nothing`, [
      p.meetingId,
      p.patientId,
      p.microstructureId,
      p.networkId,
      p.heldOn,
    ]);
    await refreshMonthEnds(db, s, { reviews: 'select $1::text as patient_id, $2::date as held_on' }, [p.patientId, p.heldOn]);
  }),
  on(TrainingAttendanceRecorded, async (db, s, p) => {
    // An attendance recorded again (a correction) replaces the hours credited.
    await db.query(
      `insert into ${s}.training_attendances (registration_id, session_id, training_id, professional_id, network_id, attended_on, hours, microstructure_id) values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (registration_id, session_id) do update set hours = excluded.hours, attended_on = excluded.attended_on, microstructure_id = excluded.microstructure_id`,
      [p.registrationId, p.sessionId, p.trainingId, p.professionalId, p.networkId, p.sessionDate, p.hours, p.microstructureId],
    );
  }),
]);

async function recordOutcomes(db: Queryable, s: string, p: PayloadOf<typeof FollowUpSessionRecorded>): Promise<void> {
  const { screenings, rights, referrals, treatments } = p.outcomes;
  const placed = [p.sessionId, p.patientId, p.inclusionId, p.heldOn];
  const attributes = `coalesce((select sex from ${s}.inclusions where inclusion_id = $3), 'UNKNOWN'), coalesce((select age_band from ${s}.inclusions where inclusion_id = $3), 'UNKNOWN')`;
  if (screenings.length > 0) {
    await db.query(
      `insert into ${s}.screenings (session_id, disease, status, result, patient_id, inclusion_id, microstructure_id, network_id, sex, age_band, held_on)
       select $1, x.disease, x.status, x.result, $2, $3, $6, $7, ${attributes}, $4::date from jsonb_to_recordset($5::jsonb) as x(disease text, status text, result text) on conflict do nothing`,
      [...placed, JSON.stringify(screenings), p.microstructureId, p.networkId],
    );
    if (screenings.some((screening) => screening.status === 'DONE')) {
      await db.query(`update ${s}.inclusions set first_screened_on = least(coalesce(first_screened_on, $2::date), $2::date) where inclusion_id = $1`, [p.inclusionId, p.heldOn]);
    }
  }
  if (rights.length > 0) {
    await db.query(
      `insert into ${s}.rights (session_id, right_code, status, patient_id, inclusion_id, held_on) select $1, x.right, x.status, $2, $3, $4::date from jsonb_to_recordset($5::jsonb) as x("right" text, status text) on conflict do nothing`,
      [...placed, JSON.stringify(rights)],
    );
    if (rights.some((right) => right.status === 'GRANTED' && OPENED_RIGHTS.includes(right.right))) {
      await db.query(`update ${s}.inclusions set first_right_granted_on = least(coalesce(first_right_granted_on, $2::date), $2::date) where inclusion_id = $1`, [p.inclusionId, p.heldOn]);
    }
  }
  if (treatments.length > 0) {
    await db.query(
      `insert into ${s}.treatments (session_id, disease, status, patient_id, inclusion_id, microstructure_id, network_id, sex, age_band, held_on)
       select $1, x.disease, x.status, $2, $3, $6, $7, ${attributes}, $4::date from jsonb_to_recordset($5::jsonb) as x(disease text, status text) on conflict do nothing`,
      [...placed, JSON.stringify(treatments), p.microstructureId, p.networkId],
    );
  }
  if (referrals.length > 0) {
    await db.query(
      `insert into ${s}.referrals (session_id, partner_id, partner_type, patient_id, inclusion_id, held_on, microstructure_id, network_id, sex, age_band, patient_key, key_tag)
       select $1, x."partnerId", x."partnerType", $2, $3, $4::date, $6, $7, ${attributes}, ${patientKeyAndTagSql('$2::text')} from jsonb_to_recordset($5::jsonb) as x("partnerId" text, "partnerType" text) on conflict do nothing`,
      [...placed, JSON.stringify(referrals), p.microstructureId, p.networkId],
    );
    await refreshReferralCells(db, s, 'select $1::text as patient_id, $2::date as held_on', [p.patientId, p.heldOn]);
  }
}

/** Event types the facts use; every other accepted event is kept in the inbox only (for indicators to come). */
export const FACT_EVENT_TYPES = Object.keys(handlers);

/**
 * Applies one integration event to the fact tables of schema `schema`, inside the caller's transaction.
 * Idempotent: applying an event twice changes nothing (each contact, session, assessment, meeting and
 * review is recorded under its own id before anything is counted).
 */
export async function applyEvent(db: Queryable, schema: string, event: FactEvent): Promise<void> {
  const handler = handlers[event.type];
  if (handler) await handler(db, schema, event);
}

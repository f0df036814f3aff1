import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotFoundError, ValidationError } from '@cnrms/decider';
import { monthsWithoutMeeting, NetworkAttendee, requireDate, ReviewSuggestion, suggestReviews } from '@cnrms/domain-meetings';
import { DataSource } from 'typeorm';
import { MeetingsSettings } from '../config';
import { SUMMARY_VAULT, SummaryVault } from './summary-vault';
import { MEETINGS_SETTINGS } from './tokens';

export interface MicrostructureRow {
  id: string;
  network_id: string;
  name: string;
  status: string;
  opened_on: string | null;
  closed_on: string | null;
}

export interface MeetingRow {
  id: string;
  microstructure_id: string;
  network_id: string;
  status: 'SCHEDULED' | 'HELD' | 'CANCELLED';
  scheduled_on: string;
  format: string;
  place: string | null;
  expected_attendee_ids: string[];
  held_on: string | null;
  duration_minutes: number | null;
  attendee_ids: string[];
  cancelled_on: string | null;
  cancellation_reason: string | null;
  reviewed_count: number;
}

export interface CaseReviewRow {
  meeting_id: string;
  patient_id: string;
  microstructure_id: string;
  held_on: string;
  decisions: string[];
  next_review_on: string;
  summary_ciphertext: string | null;
}

/** A review as the team reads it: the summary in clear, `null` without one, and `summaryErased` once the patient's key is destroyed. */
export type CaseReviewView = CaseReviewRow & { summary: string | null; summaryErased: boolean };

export interface NetworkMeetingRow {
  id: string;
  network_id: string;
  held_on: string;
  topics: string[];
  note: string | null;
  format: string;
  duration_minutes: number;
  attendees: NetworkAttendee[];
  microstructure_ids: string[];
}

const MEETING_COLUMNS = `m.id, m.microstructure_id, m.network_id, m.status, m.scheduled_on::text, m.format, m.place, m.expected_attendee_ids, m.held_on::text,
  m.duration_minutes, m.attendee_ids, m.cancelled_on::text, m.cancellation_reason,
  (select count(*)::int from meetings.case_reviews r where r.meeting_id = m.id) as reviewed_count`;
const REVIEW_COLUMNS = 'meeting_id, patient_id, microstructure_id, held_on::text, decisions, next_review_on::text, summary_ciphertext';

/** The meetings service's read side; summaries are decrypted here, for the team only (callers check who asks). */
@Injectable()
export class MeetingsQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SUMMARY_VAULT) private readonly vault: SummaryVault,
    @Inject(MEETINGS_SETTINGS) private readonly settings: MeetingsSettings,
  ) {}

  async microstructure(id: string): Promise<MicrostructureRow> {
    const [row] = await this.db.query(`select id, network_id, name, status, opened_on::text, closed_on::text from meetings.microstructures where id = $1`, [id]);
    if (!row) throw new NotFoundError('MICROSTRUCTURE_NOT_FOUND', `Aucune microstructure ne porte l’identifiant « ${id} ».`);
    return row;
  }

  /** Whether the professional is in the team on `onDate`, after the directory's memberships (`MembershipLookup`). */
  async isMember(microstructureId: string, professionalId: string, onDate: string): Promise<boolean> {
    const [row] = await this.db.query(
      `select 1 from meetings.memberships where microstructure_id = $1 and professional_id = $2 and started_on <= $3 and (ended_on is null or ended_on >= $3) limit 1`,
      [microstructureId, professionalId, onDate],
    );
    return Boolean(row);
  }

  /** Whether the professional is in the team of a microstructure of the network on `onDate`. */
  async isMemberInNetwork(networkId: string, professionalId: string, onDate: string): Promise<boolean> {
    const [row] = await this.db.query(
      `select 1 from meetings.memberships where network_id = $1 and professional_id = $2 and started_on <= $3 and (ended_on is null or ended_on >= $3) limit 1`,
      [networkId, professionalId, onDate],
    );
    return Boolean(row);
  }

  /** The microstructures whose team counts the professional on `onDate`. */
  async microstructuresOf(professionalId: string, onDate: string): Promise<string[]> {
    const rows: { microstructure_id: string }[] = await this.db.query(
      `select distinct microstructure_id from meetings.memberships where professional_id = $1 and started_on <= $2 and (ended_on is null or ended_on >= $2)`,
      [professionalId, onDate],
    );
    return rows.map((r) => r.microstructure_id);
  }

  /** The team's members on `onDate`. */
  async memberIds(microstructureId: string, onDate: string): Promise<string[]> {
    const rows: { professional_id: string }[] = await this.db.query(
      `select distinct professional_id from meetings.memberships where microstructure_id = $1 and started_on <= $2 and (ended_on is null or ended_on >= $2)`,
      [microstructureId, onDate],
    );
    return rows.map((r) => r.professional_id);
  }

  /** Members on `onDate` of every microstructure of the network. */
  networkMembers(networkId: string, onDate: string): Promise<NetworkAttendee[]> {
    return this.db.query(
      `select distinct professional_id as "professionalId", microstructure_id as "microstructureId" from meetings.memberships
        where network_id = $1 and started_on <= $2 and (ended_on is null or ended_on >= $2)`,
      [networkId, onDate],
    );
  }

  async requireKnownNetwork(networkId: string): Promise<void> {
    const [row] = await this.db.query(`select 1 from meetings.microstructures where network_id = $1 limit 1`, [networkId]);
    if (!row) throw new NotFoundError('NETWORK_NOT_FOUND', `Aucune microstructure connue n’appartient au réseau « ${networkId} ».`);
  }

  /** Patients with an open inclusion in the microstructure on `onDate` (included on or before, not exited before). */
  async includedPatientIds(microstructureId: string, onDate: string): Promise<string[]> {
    const rows: { patient_id: string }[] = await this.db.query(
      `select distinct patient_id from meetings.followed_inclusions where microstructure_id = $1 and included_on <= $2 and (exited_on is null or exited_on >= $2)`,
      [microstructureId, onDate],
    );
    return rows.map((r) => r.patient_id);
  }

  async meeting(id: string): Promise<MeetingRow> {
    const [row] = await this.db.query(`select ${MEETING_COLUMNS} from meetings.meetings m where m.id = $1`, [id]);
    if (!row) throw new NotFoundError('MEETING_NOT_FOUND', `Aucune réunion ne porte l’identifiant « ${id} ».`);
    return row;
  }

  /** Meetings dated (held, or else scheduled) within the period, in date order. */
  meetings(microstructureId: string, from: string, to: string): Promise<MeetingRow[]> {
    const [start, end] = period(from, to);
    return this.db.query(
      `select ${MEETING_COLUMNS} from meetings.meetings m
        where m.microstructure_id = $1 and coalesce(m.held_on, m.scheduled_on) between $2 and $3 order by coalesce(m.held_on, m.scheduled_on), m.id`,
      [microstructureId, start, end],
    );
  }

  /** Every meeting of the network's microstructures within the period, by date then microstructure. */
  meetingsOfNetwork(networkId: string, from: string, to: string): Promise<MeetingRow[]> {
    const [start, end] = period(from, to);
    return this.db.query(
      `select ${MEETING_COLUMNS} from meetings.meetings m
        where m.network_id = $1 and coalesce(m.held_on, m.scheduled_on) between $2 and $3 order by coalesce(m.held_on, m.scheduled_on), m.microstructure_id, m.id`,
      [networkId, start, end],
    );
  }

  async reviewsOfMeeting(meetingId: string): Promise<CaseReviewView[]> {
    return this.opened(await this.db.query(`select ${REVIEW_COLUMNS} from meetings.case_reviews where meeting_id = $1 order by patient_id`, [meetingId]));
  }

  /** The patient's microstructure, from the inclusions' events (or their reviews). */
  async microstructureOfPatient(patientId: string): Promise<string> {
    const [row] = await this.db.query(
      `select microstructure_id from meetings.followed_inclusions where patient_id = $1
       union all select microstructure_id from meetings.case_reviews where patient_id = $1 limit 1`,
      [patientId],
    );
    if (!row) throw new NotFoundError('PATIENT_NOT_FOUND', `Aucun patient suivi ne porte l’identifiant « ${patientId} ».`);
    return row.microstructure_id;
  }

  async reviewHistory(patientId: string): Promise<CaseReviewView[]> {
    return this.opened(await this.db.query(`select ${REVIEW_COLUMNS} from meetings.case_reviews where patient_id = $1 order by held_on desc, meeting_id`, [patientId]));
  }

  /** The patients due for review at a meeting on `on`. */
  async suggestions(microstructureId: string, on: string): Promise<ReviewSuggestion[]> {
    const patients = await this.db.query(
      `select patient_id as "patientId", included_on::text as "includedOn", assessed_timepoints as "assessedTimepoints" from meetings.followed_inclusions
        where microstructure_id = $1 and included_on <= $2 and (exited_on is null or exited_on >= $2)`,
      [microstructureId, on],
    );
    const lastReviews = await this.db.query(
      `select distinct on (patient_id) patient_id as "patientId", held_on::text as "heldOn", next_review_on::text as "nextReviewOn"
         from meetings.case_reviews where microstructure_id = $1 and held_on <= $2 order by patient_id, held_on desc`,
      [microstructureId, on],
    );
    const [previous] = await this.db.query(`select max(held_on)::text as held_on from meetings.meetings where microstructure_id = $1 and status = 'HELD' and held_on < $2`, [microstructureId, on]);
    return suggestReviews(patients, lastReviews, previous?.held_on ?? null, on, this.settings);
  }

  /** Calendar months of the period, over and while the microstructure was open, without any meeting held. */
  async gaps(microstructure: MicrostructureRow, from: string, to: string, today: string): Promise<string[]> {
    const [start, end] = period(from, to);
    const rows: { held_on: string }[] = await this.db.query(`select held_on::text from meetings.meetings where microstructure_id = $1 and status = 'HELD' and held_on between $2 and $3`, [
      microstructure.id,
      start,
      end,
    ]);
    return monthsWithoutMeeting(
      rows.map((r) => r.held_on),
      { openedOn: microstructure.opened_on, closedOn: microstructure.closed_on },
      start,
      end,
      today,
    );
  }

  networkMeetings(networkId: string, from: string, to: string): Promise<NetworkMeetingRow[]> {
    const [start, end] = period(from, to);
    return this.db.query(
      `select id, network_id, held_on::text, topics, note, format, duration_minutes, attendees, microstructure_ids from meetings.network_meetings where network_id = $1 and held_on between $2 and $3 order by held_on, id`,
      [networkId, start, end],
    );
  }

  async networkMeeting(id: string): Promise<NetworkMeetingRow> {
    const [row] = await this.db.query(`select id, network_id, held_on::text, topics, note, format, duration_minutes, attendees, microstructure_ids from meetings.network_meetings where id = $1`, [id]);
    if (!row) throw new NotFoundError('NETWORK_MEETING_NOT_FOUND', `Aucune réunion de réseau ne porte l’identifiant « ${id} ».`);
    return row;
  }

  private async opened(rows: CaseReviewRow[]): Promise<CaseReviewView[]> {
    const sealed = rows.filter((r) => r.summary_ciphertext !== null);
    const clear = await this.vault.openMany(sealed.map((r) => ({ patientId: r.patient_id, meetingId: r.meeting_id, ciphertext: r.summary_ciphertext! })));
    return rows.map((row) => {
      const index = sealed.indexOf(row);
      const summary = index >= 0 ? clear[index] : null;
      return { ...row, summary, summaryErased: index >= 0 && summary === null };
    });
  }
}

function period(from: string, to: string): [string, string] {
  const start = requireDate(from, 'from');
  const end = requireDate(to, 'to');
  if (end < start) throw new ValidationError('INVALID_PERIOD', 'La fin de la période ne peut pas précéder son début.', 'to');
  return [start, end];
}

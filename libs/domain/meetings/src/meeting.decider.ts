import { assertNever, Command, Decider, DomainError, DomainEvent, ForbiddenError, NotFoundError, requirePlannedDate, requirePlausibleDate, ValidationError } from '@cnrms/decider';
import {
  MEETING_DURATION_RULE,
  MeetingFormat,
  PLACE_MAX_LENGTH,
  REASON_MAX_LENGTH,
  requireDate,
  requireId,
  requireIdList,
  requireInteger,
  requireMeetingFormat,
  requireReviewDecisions,
  requireText,
  ReviewDecision,
} from './values';

// A case-review meeting (réunion de synthèse) of one microstructure, stream `meeting-<meetingId>`:
// scheduled, then held (attendance, patients reviewed) or cancelled. What the decider cannot know
// arrives on the command from the application's read models: the team's members at the meeting date
// (from the directory's events), the patients with an open inclusion in the microstructure that day
// (from the inclusions' events), and "today" (Europe/Paris). The situation summaries arrive already
// encrypted with each patient's key: the decider never sees them in clear. Time rules
// (docs/time-rules.md): a meeting is dated while its microstructure is open (its opening and closing come
// from the service's copy of the directory), by members of the team on the meeting's date; it may be
// planned ahead, up to a horizon, but is recorded as held only on a day that has come.

/** The microstructure's opening and closing, from the directory's events (null: not opened / not closed). */
export interface MicrostructureLife {
  openedOn: string | null;
  closedOn: string | null;
}

type Of<Data> = { meetingId: string } & Data;
type Placed = { meetingId: string; microstructureId: string; networkId: string };

export type ScheduleMeeting = Command<
  'ScheduleMeeting',
  Of<{
    microstructureId: string;
    networkId: string;
    scheduledOn: string;
    format: MeetingFormat;
    /** Required in person (the room, the practice), optional by video. */
    place?: string | null;
    expectedAttendeeIds: string[];
    scheduledBy: string;
    /** From the care-team read model: the actor is a member of the team today. */
    actorIsMember: boolean;
    /** From the care-team read model: the team's members on `scheduledOn`. */
    memberIds: readonly string[];
    /** From the directory's events. */
    microstructure: MicrostructureLife;
    today: string;
    /** How many years ahead a meeting may be planned (`DEFAULT_PLANNING_HORIZON_YEARS` when absent). */
    horizonYears?: number;
  }>
>;

export interface CaseReviewInput {
  patientId: string;
  decisions: ReviewDecision[];
  nextReviewOn: string;
  /** The situation summary encrypted with the patient's key, or null without a summary. */
  summaryCiphertext: string | null;
}

export type HoldMeeting = Command<
  'HoldMeeting',
  Of<{
    heldOn: string;
    durationMinutes: number;
    attendeeIds: string[];
    reviews: CaseReviewInput[];
    recordedBy: string;
    actorIsMember: boolean;
    /** The team's members on `heldOn`. */
    memberIds: readonly string[];
    /** The patients with an open inclusion in the microstructure on `heldOn`. */
    includedPatientIds: readonly string[];
    /** From the directory's events. */
    microstructure: MicrostructureLife;
    today: string;
  }>
>;

export type CancelMeeting = Command<'CancelMeeting', Of<{ reason: string; cancelledBy: string; actorIsMember: boolean; today: string }>>;
export type MeetingCommand = ScheduleMeeting | HoldMeeting | CancelMeeting;

export type MeetingScheduled = DomainEvent<
  'MeetingScheduled',
  Placed & { scheduledOn: string; format: MeetingFormat; place: string | null; expectedAttendeeIds: string[]; scheduledBy: string }
>;
export type MeetingHeld = DomainEvent<
  'MeetingHeld',
  Placed & { heldOn: string; durationMinutes: number; attendeeIds: string[]; reviewedPatientIds: string[]; recordedBy: string }
>;
/** One per patient reviewed, right after MeetingHeld. The summary is a ciphertext: erasing the patient's key erases it. */
export type CaseReviewed = DomainEvent<
  'CaseReviewed',
  Placed & { patientId: string; heldOn: string; decisions: ReviewDecision[]; nextReviewOn: string; summaryCiphertext: string | null }
>;
/** The reason is free text of the team: it stays in this service. */
export type MeetingCancelled = DomainEvent<'MeetingCancelled', Placed & { scheduledOn: string; cancelledOn: string; reason: string; cancelledBy: string }>;
export type MeetingEvent = MeetingScheduled | MeetingHeld | CaseReviewed | MeetingCancelled;

type Scheduled = Placed & { scheduledOn: string; format: MeetingFormat; place: string | null; expectedAttendeeIds: string[] };
export type MeetingState =
  | { status: 'NONE' }
  | ({ status: 'SCHEDULED' } & Scheduled)
  | ({ status: 'HELD'; heldOn: string; attendeeIds: string[]; reviewedPatientIds: string[] } & Scheduled)
  | ({ status: 'CANCELLED'; cancelledOn: string } & Scheduled);

const placed = ({ meetingId, microstructureId, networkId }: Placed): Placed => ({ meetingId, microstructureId, networkId });

function requireMember(isMember: unknown): void {
  if (isMember !== true) throw new ForbiddenError('Seul un membre de l’équipe de la microstructure peut organiser ses réunions de synthèse.', 'NOT_A_MEMBER');
}

/** Every id of `ids` must be a member of the team that day. */
function requireMembers(ids: string[], memberIds: readonly string[], field: string, code: string, what: string): void {
  const index = ids.findIndex((id) => !memberIds.includes(id));
  if (index >= 0) throw new ValidationError(code, `${what} « ${ids[index]} » n’est pas membre de l’équipe de la microstructure à la date de la réunion.`, `${field}[${index}]`);
}

/** A meeting is dated while its microstructure is open: from its opening, before its closing. */
function withinMicrostructureLife(value: unknown, date: string, field: string): void {
  const life = (value ?? {}) as Partial<MicrostructureLife>;
  if (typeof life.closedOn === 'string' && life.closedOn <= date) {
    throw new DomainError('MICROSTRUCTURE_CLOSED', `Cette microstructure a fermé le ${life.closedOn} : aucune réunion ne peut y être datée de ce jour ou d’après.`);
  }
  if (typeof life.openedOn !== 'string') {
    throw new DomainError('MICROSTRUCTURE_NOT_OPEN', 'Cette microstructure n’est pas encore ouverte : ses réunions ne peuvent être datées qu’à partir de son ouverture.');
  }
  if (date < life.openedOn) {
    throw new ValidationError('MEETING_BEFORE_OPENING', `La microstructure a ouvert le ${life.openedOn} : datez la réunion de ce jour ou d’après.`, field);
  }
}

function schedule(command: ScheduleMeeting, state: MeetingState): MeetingEvent[] {
  if (state.status !== 'NONE') throw new DomainError('MEETING_ALREADY_EXISTS', 'Une réunion existe déjà avec cet identifiant.', 'CONFLICT');
  const { data } = command;
  requireMember(data.actorIsMember);
  const scheduledBy = requireId(data.scheduledBy, 'scheduledBy', 'L’identifiant du professionnel');
  const today = requireDate(data.today, 'today');
  const scheduledOn = requirePlannedDate(data.scheduledOn, 'scheduledOn', today, data.horizonYears);
  const format = requireMeetingFormat(data.format);
  const place = format === 'IN_PERSON' || (typeof data.place === 'string' && data.place.trim() !== '') ? requireText(data.place, 'place', 'Le lieu de la réunion', PLACE_MAX_LENGTH) : null;
  withinMicrostructureLife(data.microstructure, scheduledOn, 'scheduledOn');
  if (!(data.memberIds ?? []).includes(scheduledBy)) {
    throw new ValidationError(
      'NOT_A_MEMBER_ON_MEETING_DATE',
      `Vous ne faites pas partie de l’équipe de la microstructure le ${scheduledOn} : choisissez une date à laquelle vous en êtes membre.`,
      'scheduledOn',
    );
  }
  const expectedAttendeeIds = requireIdList(data.expectedAttendeeIds, 'expectedAttendeeIds', 'Le participant attendu');
  requireMembers(expectedAttendeeIds, data.memberIds ?? [], 'expectedAttendeeIds', 'ATTENDEE_NOT_MEMBER', 'Le participant attendu');
  const event: MeetingScheduled = {
    type: 'MeetingScheduled',
    data: {
      meetingId: requireId(data.meetingId, 'meetingId', 'L’identifiant de la réunion'),
      microstructureId: requireId(data.microstructureId, 'microstructureId', 'L’identifiant de la microstructure'),
      networkId: requireId(data.networkId, 'networkId', 'L’identifiant du réseau'),
      scheduledOn,
      format,
      place,
      expectedAttendeeIds,
      scheduledBy,
    },
  };
  return [event];
}

function scheduled(state: MeetingState): Extract<MeetingState, { status: 'SCHEDULED' }> {
  switch (state.status) {
    case 'NONE':
      throw new NotFoundError('MEETING_NOT_FOUND', 'Cette réunion n’existe pas.');
    case 'HELD':
      throw new DomainError('MEETING_ALREADY_HELD', `Cette réunion a déjà été tenue (le ${state.heldOn}).`, 'CONFLICT');
    case 'CANCELLED':
      throw new DomainError('MEETING_CANCELLED', `Cette réunion a été annulée (le ${state.cancelledOn}).`, 'CONFLICT');
    default:
      return state;
  }
}

function requireReviews(value: unknown, includedPatientIds: readonly string[], heldOn: string): CaseReviewInput[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError('INVALID_LIST', 'Les situations examinées doivent être une liste.', 'reviews');
  const reviews = value.map((raw, index) => {
    const review = (raw ?? {}) as Partial<Record<keyof CaseReviewInput, unknown>>;
    const field = `reviews[${index}]`;
    const patientId = requireId(review.patientId, `${field}.patientId`, 'L’identifiant du patient');
    if (!includedPatientIds.includes(patientId)) {
      throw new ValidationError('PATIENT_NOT_INCLUDED', `Le patient « ${patientId} » n’est pas inclus dans la microstructure à la date de la réunion (${heldOn}).`, `${field}.patientId`);
    }
    const decisions = requireReviewDecisions(review.decisions, `${field}.decisions`);
    const nextReviewOn = requireDate(review.nextReviewOn, `${field}.nextReviewOn`);
    if (nextReviewOn <= heldOn) throw new ValidationError('NEXT_REVIEW_NOT_AFTER_MEETING', `La prochaine révision doit être datée après la réunion (${heldOn}).`, `${field}.nextReviewOn`);
    const summaryCiphertext = review.summaryCiphertext;
    if (summaryCiphertext !== null && summaryCiphertext !== undefined && (typeof summaryCiphertext !== 'string' || summaryCiphertext === '')) {
      throw new ValidationError('INVALID_SUMMARY', 'La synthèse doit être chiffrée avant d’être enregistrée.', `${field}.summary`);
    }
    return { patientId, decisions, nextReviewOn, summaryCiphertext: (summaryCiphertext as string | undefined) ?? null };
  });
  const duplicate = reviews.findIndex((review, index) => reviews.findIndex((other) => other.patientId === review.patientId) !== index);
  if (duplicate >= 0) throw new ValidationError('DUPLICATE_VALUE', `Le patient « ${reviews[duplicate].patientId} » est examiné deux fois dans la même réunion.`, `reviews[${duplicate}].patientId`);
  return reviews;
}

function hold(command: HoldMeeting, state: MeetingState): MeetingEvent[] {
  const meeting = scheduled(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  const recordedBy = requireId(data.recordedBy, 'recordedBy', 'L’identifiant du professionnel');
  const today = requireDate(data.today, 'today');
  const heldOn = requirePlausibleDate(data.heldOn, 'heldOn');
  if (heldOn > today) throw new ValidationError('MEETING_IN_FUTURE', `Une réunion ne peut pas être enregistrée comme tenue dans le futur (${heldOn} est après le ${today}).`, 'heldOn');
  withinMicrostructureLife(data.microstructure, heldOn, 'heldOn');
  const durationMinutes = requireInteger(data.durationMinutes, 'durationMinutes', MEETING_DURATION_RULE);
  const attendeeIds = requireIdList(data.attendeeIds, 'attendeeIds', 'Le participant');
  if (attendeeIds.length === 0) throw new ValidationError('ATTENDEES_REQUIRED', 'Au moins un participant doit être indiqué.', 'attendeeIds');
  requireMembers(attendeeIds, data.memberIds ?? [], 'attendeeIds', 'ATTENDEE_NOT_MEMBER', 'Le participant');
  const reviews = requireReviews(data.reviews, data.includedPatientIds ?? [], heldOn);
  const at = placed(meeting);
  return [
    { type: 'MeetingHeld', data: { ...at, heldOn, durationMinutes, attendeeIds, reviewedPatientIds: reviews.map((r) => r.patientId), recordedBy } },
    ...reviews.map((review): CaseReviewed => ({ type: 'CaseReviewed', data: { ...at, heldOn, ...review } })),
  ];
}

function cancel(command: CancelMeeting, state: MeetingState): MeetingEvent[] {
  if (state.status === 'CANCELLED') return [];
  const meeting = scheduled(state);
  const { data } = command;
  requireMember(data.actorIsMember);
  const cancelledBy = requireId(data.cancelledBy, 'cancelledBy', 'L’identifiant du professionnel');
  const reason = requireText(data.reason, 'reason', 'Le motif d’annulation', REASON_MAX_LENGTH);
  return [{ type: 'MeetingCancelled', data: { ...placed(meeting), scheduledOn: meeting.scheduledOn, cancelledOn: requireDate(data.today, 'today'), reason, cancelledBy } }];
}

function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  switch (command.type) {
    case 'ScheduleMeeting':
      return schedule(command, state);
    case 'HoldMeeting':
      return hold(command, state);
    case 'CancelMeeting':
      return cancel(command, state);
    default:
      return assertNever(command, 'meeting command');
  }
}

function evolve(state: MeetingState, event: MeetingEvent): MeetingState {
  switch (event.type) {
    case 'MeetingScheduled': {
      const { meetingId, microstructureId, networkId, scheduledOn, format, place, expectedAttendeeIds } = event.data;
      return { status: 'SCHEDULED', meetingId, microstructureId, networkId, scheduledOn, format, place, expectedAttendeeIds };
    }
    case 'MeetingHeld':
      return state.status === 'SCHEDULED' ? { ...state, status: 'HELD', heldOn: event.data.heldOn, attendeeIds: event.data.attendeeIds, reviewedPatientIds: event.data.reviewedPatientIds } : state;
    case 'CaseReviewed':
      return state;
    case 'MeetingCancelled':
      return state.status === 'SCHEDULED' ? { ...state, status: 'CANCELLED', cancelledOn: event.data.cancelledOn } : state;
    default:
      return assertNever(event, 'meeting event');
  }
}

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};

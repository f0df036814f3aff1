import { assertNever, Command, Decider, DomainError, DomainEvent, requirePlausibleDate, ValidationError } from '@cnrms/decider';
import {
  isBlank,
  MEETING_DURATION_RULE,
  MeetingFormat,
  nameLikeParts,
  NETWORK_MEETING_TOPICS,
  NetworkMeetingTopic,
  NOTE_MAX_LENGTH,
  requireCodeSet,
  requireDate,
  requireId,
  requireInteger,
  requireMeetingFormat,
  requireText,
} from './values';

// A network's exchange meeting between microstructures (réunion d'échange de pratiques du réseau),
// stream `networkmeeting-<networkMeetingId>`, recorded once held. Situations are discussed without
// patient identity: the meeting records a topic, the attendance and the microstructures represented,
// never a patient id. Who belongs to which microstructure of the network arrives on the command.
// What was discussed is a set of coded topics; a free-text note may add to it, scanned for what looks
// like a person's name: then the command is refused (`NOTE_MAY_NAME_A_PERSON`) until the person removes
// it or confirms the note names nobody (`noteChecked`). Events recorded before the topics were coded
// carry a free-text `topic`: `networkMeetingTopicsOf` reads them as OTHER with that text as the note.

export interface NetworkAttendee {
  professionalId: string;
  microstructureId: string;
}

export type RecordNetworkMeeting = Command<
  'RecordNetworkMeeting',
  {
    networkMeetingId: string;
    networkId: string;
    heldOn: string;
    topics: NetworkMeetingTopic[];
    note?: string | null;
    /** The person confirms that the note names nobody, despite what the scan found. */
    noteChecked?: boolean;
    format: MeetingFormat;
    durationMinutes: number;
    attendees: NetworkAttendee[];
    recordedBy: string;
    /** From the care-team read model: members on `heldOn` of the network's microstructures. */
    networkMembers: readonly NetworkAttendee[];
    today: string;
  }
>;
export type NetworkMeetingCommand = RecordNetworkMeeting;

export type NetworkMeetingHeld = DomainEvent<
  'NetworkMeetingHeld',
  {
    networkMeetingId: string;
    networkId: string;
    heldOn: string;
    /** Coded topics (events recorded before them carry `topic` instead: read them with `networkMeetingTopicsOf`). */
    topics?: NetworkMeetingTopic[];
    note?: string | null;
    /** Free text of the events recorded before the topics were coded. */
    topic?: string;
    format: MeetingFormat;
    durationMinutes: number;
    attendees: NetworkAttendee[];
    microstructureIds: string[];
    recordedBy: string;
  }
>;
export type NetworkMeetingEvent = NetworkMeetingHeld;

export type NetworkMeetingState = { status: 'NONE' } | { status: 'HELD'; networkMeetingId: string; networkId: string; heldOn: string };

function requireAttendees(value: unknown, members: readonly NetworkAttendee[]): NetworkAttendee[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('ATTENDEES_REQUIRED', 'Au moins un participant doit être indiqué.', 'attendees');
  const attendees = value.map((raw, index) => {
    const attendee = (raw ?? {}) as Partial<Record<keyof NetworkAttendee, unknown>>;
    const professionalId = requireId(attendee.professionalId, `attendees[${index}].professionalId`, 'L’identifiant du participant');
    const microstructureId = requireId(attendee.microstructureId, `attendees[${index}].microstructureId`, 'L’identifiant de la microstructure du participant');
    if (!members.some((m) => m.professionalId === professionalId && m.microstructureId === microstructureId)) {
      throw new ValidationError(
        'ATTENDEE_NOT_IN_NETWORK',
        `Le participant « ${professionalId} » n’est pas membre de la microstructure « ${microstructureId} » du réseau à la date de la réunion.`,
        `attendees[${index}]`,
      );
    }
    return { professionalId, microstructureId };
  });
  const duplicate = attendees.findIndex((a, index) => attendees.findIndex((b) => b.professionalId === a.professionalId) !== index);
  if (duplicate >= 0) throw new ValidationError('DUPLICATE_VALUE', `Le participant « ${attendees[duplicate].professionalId} » est indiqué plusieurs fois.`, 'attendees');
  return attendees;
}

function requireTopics(value: unknown): NetworkMeetingTopic[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('TOPICS_REQUIRED', 'Choisissez au moins un thème de la réunion.', 'topics');
  return requireCodeSet(NETWORK_MEETING_TOPICS, value, 'topics', 'le thème de la réunion');
}

/** The topics and note of a recorded meeting, whichever version of the event recorded it. */
export function networkMeetingTopicsOf(data: NetworkMeetingHeld['data']): { topics: NetworkMeetingTopic[]; note: string | null } {
  if (data.topics !== undefined) return { topics: data.topics, note: data.note ?? null };
  return { topics: ['OTHER'], note: data.topic ?? null };
}

function record(command: RecordNetworkMeeting, state: NetworkMeetingState): NetworkMeetingEvent[] {
  const { data } = command;
  if (state.status === 'HELD') throw new DomainError('NETWORK_MEETING_ALREADY_RECORDED', 'Une réunion de réseau est déjà enregistrée avec cet identifiant.', 'CONFLICT');
  const today = requireDate(data.today, 'today');
  const heldOn = requirePlausibleDate(data.heldOn, 'heldOn');
  if (heldOn > today) throw new ValidationError('MEETING_IN_FUTURE', `Une réunion ne peut pas être enregistrée comme tenue dans le futur (${heldOn} est après le ${today}).`, 'heldOn');
  const attendees = requireAttendees(data.attendees, data.networkMembers ?? []);
  const topics = requireTopics(data.topics);
  const note = isBlank(data.note) ? null : requireText(data.note, 'note', 'La note', NOTE_MAX_LENGTH);
  if (note !== null && data.noteChecked !== true) {
    const suspects = nameLikeParts(note);
    if (suspects.length > 0) {
      throw new DomainError(
        'NOTE_MAY_NAME_A_PERSON',
        `La note semble contenir un nom de personne (${suspects.map((s) => `« ${s} »`).join(', ')}) : retirez-le, ou confirmez que la note ne nomme personne.`,
        'BAD_USER_INPUT',
        { field: 'note', suspects },
      );
    }
  }
  return [
    {
      type: 'NetworkMeetingHeld',
      data: {
        networkMeetingId: requireId(data.networkMeetingId, 'networkMeetingId', 'L’identifiant de la réunion de réseau'),
        networkId: requireId(data.networkId, 'networkId', 'L’identifiant du réseau'),
        heldOn,
        topics,
        note,
        format: requireMeetingFormat(data.format),
        durationMinutes: requireInteger(data.durationMinutes, 'durationMinutes', MEETING_DURATION_RULE),
        attendees,
        microstructureIds: [...new Set(attendees.map((a) => a.microstructureId))].sort(),
        recordedBy: requireId(data.recordedBy, 'recordedBy', 'L’identifiant de l’auteur'),
      },
    },
  ];
}

function decide(command: NetworkMeetingCommand, state: NetworkMeetingState): NetworkMeetingEvent[] {
  switch (command.type) {
    case 'RecordNetworkMeeting':
      return record(command, state);
    default:
      return assertNever(command.type, 'network meeting command');
  }
}

function evolve(_state: NetworkMeetingState, event: NetworkMeetingEvent): NetworkMeetingState {
  const { networkMeetingId, networkId, heldOn } = event.data;
  return { status: 'HELD', networkMeetingId, networkId, heldOn };
}

export const networkMeetingDecider: Decider<NetworkMeetingCommand, NetworkMeetingEvent, NetworkMeetingState> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};

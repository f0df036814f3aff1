import { CaseReviewed, MeetingCancelled, MeetingHeld, MeetingScheduled, messageOf, NetworkMeetingHeld } from '@cnrms/contracts';
import { assertNever } from '@cnrms/decider';
import { isMeetingsEvent, MEETINGS_STREAM_CATEGORIES, MeetingsEvent } from '@cnrms/domain-meetings';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { RelayDefinition } from '@cnrms/service-kit';

/**
 * What the other services learn from the meetings service: dates, counts, a pseudonymous patient id and
 * coded decisions. Each field is copied by name, never by spreading a domain event. The situation
 * summary (even encrypted), the cancellation reason, the place, the network meeting's topic and the
 * attendees' ids stay here. Every message is keyed by its meeting id, so MeetingHeld precedes its reviews.
 */
export function translateMeetingsEvent(recorded: RecordedEvent) {
  if (!isMeetingsEvent(recorded)) return null;
  const event = { type: recorded.type, data: recorded.data } as MeetingsEvent;
  switch (event.type) {
    case 'MeetingHeld': {
      const { meetingId, microstructureId, networkId, heldOn, durationMinutes, attendeeIds, reviewedPatientIds } = event.data;
      return messageOf(MeetingHeld, meetingId, { meetingId, microstructureId, networkId, heldOn, durationMinutes, attendeeCount: attendeeIds.length, reviewedCount: reviewedPatientIds.length });
    }
    case 'CaseReviewed': {
      const { meetingId, microstructureId, networkId, patientId, heldOn, decisions, nextReviewOn } = event.data;
      return messageOf(CaseReviewed, meetingId, { meetingId, microstructureId, networkId, patientId, heldOn, decisions, nextReviewOn });
    }
    case 'MeetingCancelled': {
      const { meetingId, microstructureId, networkId, scheduledOn, cancelledOn } = event.data;
      return messageOf(MeetingCancelled, meetingId, { meetingId, microstructureId, networkId, scheduledOn, cancelledOn });
    }
    case 'NetworkMeetingHeld': {
      const { networkMeetingId, networkId, heldOn, format, durationMinutes, attendees, microstructureIds } = event.data;
      return messageOf(NetworkMeetingHeld, networkMeetingId, { networkMeetingId, networkId, heldOn, format, durationMinutes, attendeeCount: attendees.length, microstructureIds });
    }
    // A plan is not a fact yet (reporting counts meetings held and cancelled), but the team is told of it.
    case 'MeetingScheduled': {
      const { meetingId, microstructureId, networkId, scheduledOn, format } = event.data;
      return messageOf(MeetingScheduled, meetingId, { meetingId, microstructureId, networkId, scheduledOn, format });
    }
    default:
      return assertNever(event, 'meetings event');
  }
}

export const meetingsRelay: RelayDefinition = {
  categories: [MEETINGS_STREAM_CATEGORIES.meeting, MEETINGS_STREAM_CATEGORIES.networkMeeting],
  translate: translateMeetingsEvent,
};

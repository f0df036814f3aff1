import { Injectable } from '@nestjs/common';
import { assertNever } from '@cnrms/decider';
import { isMeetingsEvent, MEETINGS_STREAM_CATEGORIES, MeetingsEvent, networkMeetingTopicsOf } from '@cnrms/domain-meetings';
import { Projection, RecordedEvent } from '@cnrms/eventsourcing';
import { EntityManager } from 'typeorm';

export const MEETINGS_PROJECTION = 'meetings.meetings.v1';

/**
 * The meetings read models: each meeting with its attendance, the patients reviewed (the summary as its
 * ciphertext only) and the networks' exchange meetings. Inserts skip what exists and updates set values,
 * so that applying an event twice changes nothing.
 */
@Injectable()
export class MeetingsProjection implements Projection {
  readonly name = MEETINGS_PROJECTION;
  readonly categories = [MEETINGS_STREAM_CATEGORIES.meeting, MEETINGS_STREAM_CATEGORIES.networkMeeting];

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    if (!isMeetingsEvent(recorded)) return;
    const event = { type: recorded.type, data: recorded.data } as MeetingsEvent;
    switch (event.type) {
      case 'MeetingScheduled': {
        const d = event.data;
        await manager.query(
          `insert into meetings.meetings (id, microstructure_id, network_id, status, scheduled_on, format, place, expected_attendee_ids)
           values ($1, $2, $3, 'SCHEDULED', $4, $5, $6, $7) on conflict (id) do nothing`,
          [d.meetingId, d.microstructureId, d.networkId, d.scheduledOn, d.format, d.place, d.expectedAttendeeIds],
        );
        return;
      }
      case 'MeetingHeld': {
        const d = event.data;
        await manager.query(`update meetings.meetings set status = 'HELD', held_on = $2, duration_minutes = $3, attendee_ids = $4 where id = $1`, [d.meetingId, d.heldOn, d.durationMinutes, d.attendeeIds]);
        return;
      }
      case 'CaseReviewed': {
        const d = event.data;
        await manager.query(
          `insert into meetings.case_reviews (meeting_id, patient_id, microstructure_id, held_on, decisions, next_review_on, summary_ciphertext)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
          [d.meetingId, d.patientId, d.microstructureId, d.heldOn, d.decisions, d.nextReviewOn, d.summaryCiphertext],
        );
        return;
      }
      case 'MeetingCancelled': {
        const d = event.data;
        await manager.query(`update meetings.meetings set status = 'CANCELLED', cancelled_on = $2, cancellation_reason = $3 where id = $1`, [d.meetingId, d.cancelledOn, d.reason]);
        return;
      }
      case 'NetworkMeetingHeld': {
        const d = event.data;
        const { topics, note } = networkMeetingTopicsOf(d);
        await manager.query(
          `insert into meetings.network_meetings (id, network_id, held_on, topics, note, format, duration_minutes, attendees, microstructure_ids, recorded_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing`,
          [d.networkMeetingId, d.networkId, d.heldOn, topics, note, d.format, d.durationMinutes, JSON.stringify(d.attendees), d.microstructureIds, d.recordedBy],
        );
        return;
      }
      default:
        assertNever(event, 'meetings event');
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('truncate meetings.case_reviews, meetings.meetings, meetings.network_meetings');
  }
}

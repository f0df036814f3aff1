import { given } from '@cnrms/decider/testing';
import { CancelMeeting, CaseReviewed, HoldMeeting, MeetingCancelled, MeetingHeld, meetingDecider, MeetingScheduled, ScheduleMeeting } from './meeting.decider';

const at = { meetingId: 'meet-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace' };
const today = '2025-03-20';
const members = ['gp-1', 'psy-1', 'sw-1'];
const open = { openedOn: '2024-03-01', closedOn: null };

const schedule = (data: Partial<ScheduleMeeting['data']> = {}): ScheduleMeeting => ({
  type: 'ScheduleMeeting',
  data: { ...at, scheduledOn: '2025-03-14', format: 'IN_PERSON', place: 'Salle de réunion du cabinet', expectedAttendeeIds: ['gp-1', 'psy-1'], scheduledBy: 'gp-1', actorIsMember: true, memberIds: members, microstructure: open, today, ...data },
});
const scheduledEvent: MeetingScheduled = {
  type: 'MeetingScheduled',
  data: { ...at, scheduledOn: '2025-03-14', format: 'IN_PERSON', place: 'Salle de réunion du cabinet', expectedAttendeeIds: ['gp-1', 'psy-1'], scheduledBy: 'gp-1' },
};
const review = (patientId: string, data: object = {}) => ({ patientId, decisions: ['SOCIAL_ACTION' as const, 'ADJUST_CARE_PLAN' as const], nextReviewOn: '2025-06-14', summaryCiphertext: 'v1.aa.bb.cc', ...data });
const hold = (data: Partial<HoldMeeting['data']> = {}): HoldMeeting => ({
  type: 'HoldMeeting',
  data: {
    meetingId: 'meet-1',
    heldOn: '2025-03-14',
    durationMinutes: 90,
    attendeeIds: ['gp-1', 'psy-1', 'sw-1'],
    reviews: [review('pat-1'), review('pat-2', { decisions: ['NO_CHANGE'], summaryCiphertext: null })],
    recordedBy: 'psy-1',
    actorIsMember: true,
    memberIds: members,
    includedPatientIds: ['pat-1', 'pat-2', 'pat-3'],
    microstructure: open,
    today,
    ...data,
  },
});
const heldEvent: MeetingHeld = { type: 'MeetingHeld', data: { ...at, heldOn: '2025-03-14', durationMinutes: 90, attendeeIds: ['gp-1', 'psy-1', 'sw-1'], reviewedPatientIds: ['pat-1', 'pat-2'], recordedBy: 'psy-1' } };
const reviewed = (patientId: string, data: Partial<CaseReviewed['data']> = {}): CaseReviewed => ({
  type: 'CaseReviewed',
  data: { ...at, patientId, heldOn: '2025-03-14', decisions: ['ADJUST_CARE_PLAN', 'SOCIAL_ACTION'], nextReviewOn: '2025-06-14', summaryCiphertext: 'v1.aa.bb.cc', ...data },
});
const cancel = (data: Partial<CancelMeeting['data']> = {}): CancelMeeting => ({
  type: 'CancelMeeting',
  data: { meetingId: 'meet-1', reason: 'Médecin absent', cancelledBy: 'gp-1', actorIsMember: true, today, ...data },
});
const cancelledEvent: MeetingCancelled = { type: 'MeetingCancelled', data: { ...at, scheduledOn: '2025-03-14', cancelledOn: today, reason: 'Médecin absent', cancelledBy: 'gp-1' } };

describe('Case-review meeting', () => {
  describe('ScheduleMeeting', () => {
    it('schedules a meeting in person with the expected attendees', () => {
      given(meetingDecider).when(schedule()).then([scheduledEvent]);
    });

    it('schedules a meeting by video without a place', () => {
      given(meetingDecider)
        .when(schedule({ format: 'VIDEO', place: null }))
        .then([{ ...scheduledEvent, data: { ...scheduledEvent.data, format: 'VIDEO', place: null } }]);
    });

    it('requires a place for a meeting in person', () => {
      given(meetingDecider).when(schedule({ place: '  ' })).thenThrows('TEXT_REQUIRED', /lieu/);
    });

    it('refuses an unknown format', () => {
      given(meetingDecider).when(schedule({ format: 'PHONE' as never })).thenThrows('INVALID_CODE');
    });

    it('refuses an expected attendee who is not a member of the team', () => {
      given(meetingDecider).when(schedule({ expectedAttendeeIds: ['gp-1', 'outsider'] })).thenThrows('ATTENDEE_NOT_MEMBER', /outsider/);
    });

    it('refuses an actor who is not a member of the team', () => {
      given(meetingDecider).when(schedule({ actorIsMember: false })).thenThrows('NOT_A_MEMBER');
    });

    describe('when the microstructure is closed', () => {
      it('refuses to schedule a meeting', () => {
        given(meetingDecider).when(schedule({ microstructure: { openedOn: '2024-03-01', closedOn: '2025-03-14' } })).thenThrows('MICROSTRUCTURE_CLOSED');
      });
    });

    it('refuses a second meeting under the same id', () => {
      given(meetingDecider, [scheduledEvent]).when(schedule()).thenThrows('MEETING_ALREADY_EXISTS');
    });

    it('refuses a date that does not exist', () => {
      given(meetingDecider).when(schedule({ scheduledOn: '2025-02-30' })).thenThrows('INVALID_DATE');
    });
  });

  describe('HoldMeeting', () => {
    it('records the attendance, the duration and one case review per patient reviewed', () => {
      given(meetingDecider, [scheduledEvent])
        .when(hold())
        .then([heldEvent, reviewed('pat-1'), reviewed('pat-2', { decisions: ['NO_CHANGE'], summaryCiphertext: null })]);
    });

    it('records a meeting held without any patient reviewed', () => {
      given(meetingDecider, [scheduledEvent])
        .when(hold({ reviews: [] }))
        .then([{ ...heldEvent, data: { ...heldEvent.data, reviewedPatientIds: [] } }]);
    });

    describe('when the meeting date is after today', () => {
      it('refuses to record it as held', () => {
        given(meetingDecider, [scheduledEvent]).when(hold({ heldOn: '2025-03-21' })).thenThrows('MEETING_IN_FUTURE');
      });
    });

    it('records it as held today', () => {
      const events = given(meetingDecider, [scheduledEvent]).when(hold({ heldOn: today })).events();
      expect(events[0]).toMatchObject({ type: 'MeetingHeld', data: { heldOn: today } });
    });

    it('refuses an attendee who is not a member of the team on the meeting date', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ attendeeIds: ['gp-1', 'ex-member'] })).thenThrows('ATTENDEE_NOT_MEMBER', /ex-member/);
    });

    it('refuses a meeting without attendees', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ attendeeIds: [] })).thenThrows('ATTENDEES_REQUIRED');
    });

    it('refuses an attendee listed twice', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ attendeeIds: ['gp-1', 'gp-1'] })).thenThrows('DUPLICATE_VALUE');
    });

    it('refuses a duration out of range', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ durationMinutes: 0 })).thenThrows('INVALID_DURATION');
      given(meetingDecider, [scheduledEvent]).when(hold({ durationMinutes: 12.5 })).thenThrows('INVALID_DURATION');
    });

    describe('when a reviewed patient has no open inclusion in the microstructure on the meeting date', () => {
      it('refuses the whole meeting', () => {
        given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1'), review('pat-9')] })).thenThrows('PATIENT_NOT_INCLUDED', /pat-9/);
      });
    });

    it('refuses a patient reviewed twice in the same meeting', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1'), review('pat-1')] })).thenThrows('DUPLICATE_VALUE');
    });

    it('refuses an unknown decision code', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1', { decisions: ['PRAY'] })] })).thenThrows('INVALID_CODE', /PRAY/);
    });

    it('requires at least one decision per reviewed patient', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1', { decisions: [] })] })).thenThrows('DECISIONS_REQUIRED');
    });

    it('refuses NO_CHANGE combined with another decision', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1', { decisions: ['NO_CHANGE', 'REFERRAL'] })] })).thenThrows('DECISIONS_CONTRADICTORY');
    });

    it('requires the next review after the meeting', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1', { nextReviewOn: '2025-03-14' })] })).thenThrows('NEXT_REVIEW_NOT_AFTER_MEETING');
    });

    it('refuses a summary that was not encrypted into a ciphertext', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ reviews: [review('pat-1', { summaryCiphertext: 42 })] })).thenThrows('INVALID_SUMMARY');
    });

    it('refuses an actor who is not a member of the team', () => {
      given(meetingDecider, [scheduledEvent]).when(hold({ actorIsMember: false })).thenThrows('NOT_A_MEMBER');
    });

    it('refuses a meeting that was never scheduled', () => {
      given(meetingDecider).when(hold()).thenThrows('MEETING_NOT_FOUND');
    });

    it('refuses to hold a meeting twice', () => {
      given(meetingDecider, [scheduledEvent, heldEvent]).when(hold()).thenThrows('MEETING_ALREADY_HELD');
    });

    it('refuses to hold a cancelled meeting', () => {
      given(meetingDecider, [scheduledEvent, cancelledEvent]).when(hold()).thenThrows('MEETING_CANCELLED');
    });
  });

  describe('CancelMeeting', () => {
    it('cancels a scheduled meeting with a reason, dated today', () => {
      given(meetingDecider, [scheduledEvent]).when(cancel()).then([cancelledEvent]);
    });

    it('requires a reason', () => {
      given(meetingDecider, [scheduledEvent]).when(cancel({ reason: ' ' })).thenThrows('TEXT_REQUIRED');
    });

    it('changes nothing when the meeting is already cancelled', () => {
      given(meetingDecider, [scheduledEvent, cancelledEvent]).when(cancel()).then([]);
    });

    it('refuses to cancel a meeting already held', () => {
      given(meetingDecider, [scheduledEvent, heldEvent]).when(cancel()).thenThrows('MEETING_ALREADY_HELD');
    });

    it('refuses an actor who is not a member of the team', () => {
      given(meetingDecider, [scheduledEvent]).when(cancel({ actorIsMember: false })).thenThrows('NOT_A_MEMBER');
    });
  });
});

describe('Meeting: time rules (docs/time-rules.md)', () => {
  it('refuses a meeting scheduled before 1900 or beyond the planning horizon', () => {
    given(meetingDecider).when(schedule({ scheduledOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY');
    given(meetingDecider).when(schedule({ scheduledOn: '9999-12-31' })).thenThrows('DATE_BEYOND_HORIZON', /2028-03-20/);
    given(meetingDecider).when(schedule({ scheduledOn: '2026-03-20', horizonYears: 1 })).events();
    given(meetingDecider).when(schedule({ scheduledOn: '2026-03-21', horizonYears: 1 })).thenThrows('DATE_BEYOND_HORIZON');
  });

  it('accepts a meeting planned in the future, within the horizon', () => {
    expect(given(meetingDecider).when(schedule({ scheduledOn: '2025-04-14' })).events()).toHaveLength(1);
  });

  it('refuses a meeting in a microstructure never opened, or before its opening', () => {
    given(meetingDecider).when(schedule({ microstructure: { openedOn: null, closedOn: null } })).thenThrows('MICROSTRUCTURE_NOT_OPEN');
    given(meetingDecider).when(schedule({ scheduledOn: '2024-02-29' })).thenThrows('MEETING_BEFORE_OPENING', /2024-03-01/);
  });

  it('refuses a meeting scheduled on a day its organiser is not a member of the team', () => {
    given(meetingDecider).when(schedule({ memberIds: ['psy-1'], expectedAttendeeIds: ['psy-1'] })).thenThrows('NOT_A_MEMBER_ON_MEETING_DATE', /2025-03-14/);
  });

  it('refuses a meeting held before 1900, before the opening, or after the closing', () => {
    given(meetingDecider, [scheduledEvent]).when(hold({ heldOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY');
    given(meetingDecider, [scheduledEvent]).when(hold({ heldOn: '2024-02-01', reviews: [] })).thenThrows('MEETING_BEFORE_OPENING');
    given(meetingDecider, [scheduledEvent]).when(hold({ microstructure: { openedOn: '2024-03-01', closedOn: '2025-03-01' } })).thenThrows('MICROSTRUCTURE_CLOSED');
  });
});

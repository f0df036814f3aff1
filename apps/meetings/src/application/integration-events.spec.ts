import { MEETING_TOPIC, MEETINGS_CONTRACT_CODES, platformContracts } from '@cnrms/contracts';
import { fold } from '@cnrms/decider';
import { MEETING_FORMATS, MeetingEvent, meetingDecider, NetworkMeetingEvent, networkMeetingDecider, REVIEW_DECISIONS } from '@cnrms/domain-meetings';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { meetingsRelay, translateMeetingsEvent } from './integration-events';

const SUMMARY = 'Rupture d’hébergement, reprise de contact avec le CSAPA';
const REASON = 'Mme Quatrevents hospitalisée';
const TOPIC = 'Sevrage alcool à domicile';
const at = { meetingId: 'meet-1', microstructureId: 'ms-1', networkId: 'net-1' };

function recorded(event: { type: string; data: unknown }, streamId = 'meeting-meet-1'): RecordedEvent {
  return {
    streamId,
    streamVersion: 0,
    position: 1n as never,
    type: event.type,
    data: event.data,
    metadata: { eventId: 'e-1', correlationId: 'c-1', causationId: null, actorId: 'u-1', networkId: 'net-1' } as never,
    recordedAt: new Date('2025-03-14T10:00:00Z'),
  };
}

// The events as the deciders write them, so that the translation is tested against the real shapes.
const held = meetingDecider.decide(
  {
    type: 'HoldMeeting',
    data: {
      meetingId: 'meet-1',
      heldOn: '2025-03-14',
      durationMinutes: 90,
      attendeeIds: ['gp-1', 'psy-1'],
      reviews: [{ patientId: 'pat-1', decisions: ['REFERRAL'], nextReviewOn: '2025-06-14', summaryCiphertext: `v1.${Buffer.from(SUMMARY).toString('base64')}` }],
      recordedBy: 'gp-1',
      actorIsMember: true,
      memberIds: ['gp-1', 'psy-1'],
      includedPatientIds: ['pat-1'],
      microstructure: { openedOn: '2024-01-01', closedOn: null },
      today: '2025-03-20',
    },
  },
  fold(meetingDecider, [
    { type: 'MeetingScheduled', data: { ...at, scheduledOn: '2025-03-14', format: 'IN_PERSON', place: 'Salle 2', expectedAttendeeIds: [], scheduledBy: 'gp-1' } },
  ] as MeetingEvent[]),
);
const cancelled: MeetingEvent = { type: 'MeetingCancelled', data: { ...at, scheduledOn: '2025-03-14', cancelledOn: '2025-03-10', reason: REASON, cancelledBy: 'gp-1' } };
const network = networkMeetingDecider.decide(
  {
    type: 'RecordNetworkMeeting',
    data: {
      networkMeetingId: 'nm-1',
      networkId: 'net-1',
      heldOn: '2025-03-10',
      topics: ['ADDICTION_CARE'],
      note: TOPIC,
      format: 'VIDEO',
      durationMinutes: 120,
      attendees: [{ professionalId: 'gp-1', microstructureId: 'ms-1' }],
      recordedBy: 'u-coordinator',
      networkMembers: [{ professionalId: 'gp-1', microstructureId: 'ms-1' }],
      today: '2025-03-20',
    },
  },
  networkMeetingDecider.initialState(),
) as NetworkMeetingEvent[];

const contracts = platformContracts();

describe('meetings integration events', () => {
  const messages = [...held, cancelled].map((event) => translateMeetingsEvent(recorded(event))).concat(network.map((event) => translateMeetingsEvent(recorded(event, 'networkmeeting-nm-1'))));

  it('publishes MeetingHeld with counts, one CaseReviewed per patient with codes, MeetingCancelled and NetworkMeetingHeld, keyed by meeting', () => {
    expect(messages.map((m) => m && [m.type, m.key, m.topic])).toEqual([
      ['meetings.MeetingHeld', 'meet-1', MEETING_TOPIC],
      ['meetings.CaseReviewed', 'meet-1', MEETING_TOPIC],
      ['meetings.MeetingCancelled', 'meet-1', MEETING_TOPIC],
      ['meetings.NetworkMeetingHeld', 'nm-1', MEETING_TOPIC],
    ]);
    expect(messages[0]?.payload).toEqual({ ...at, heldOn: '2025-03-14', durationMinutes: 90, attendeeCount: 2, reviewedCount: 1 });
    expect(messages[1]?.payload).toEqual({ ...at, patientId: 'pat-1', heldOn: '2025-03-14', decisions: ['REFERRAL'], nextReviewOn: '2025-06-14' });
  });

  it('publishes only what the contracts accept', () => {
    for (const message of messages) expect(() => contracts.validateForPublish(message!.type, message!.version, message!.payload)).not.toThrow();
  });

  it('never publishes the summary (even encrypted), the cancellation reason, the place or the network meeting topic', () => {
    const published = JSON.stringify(messages);
    for (const secret of ['v1.', Buffer.from(SUMMARY).toString('base64'), REASON, TOPIC, 'Salle 2']) expect(published).not.toContain(secret);
  });

  it('tells that a meeting is planned (date and form only: the place, the attendees and who planned it stay here), and ignores events of other services', () => {
    const scheduled = translateMeetingsEvent(recorded({ type: 'MeetingScheduled', data: { ...at, scheduledOn: '2025-03-14', format: 'VIDEO', place: 'Salle 2', expectedAttendeeIds: ['psy-1'], scheduledBy: 'gp-1' } }));
    expect(scheduled && [scheduled.type, scheduled.key, scheduled.topic]).toEqual(['meetings.MeetingScheduled', 'meet-1', MEETING_TOPIC]);
    expect(scheduled?.payload).toEqual({ ...at, scheduledOn: '2025-03-14', format: 'VIDEO' });
    expect(() => contracts.validateForPublish(scheduled!.type, scheduled!.version, scheduled!.payload)).not.toThrow();
    expect(translateMeetingsEvent(recorded({ type: 'PatientIncluded', data: {} }))).toBeNull();
    expect(meetingsRelay.categories).toEqual(['meeting', 'networkmeeting']);
  });

  it('spells the codes as the domain does', () => {
    expect([...MEETINGS_CONTRACT_CODES.reviewDecisions]).toEqual([...REVIEW_DECISIONS]);
    expect([...MEETINGS_CONTRACT_CODES.meetingFormats]).toEqual([...MEETING_FORMATS]);
  });
});

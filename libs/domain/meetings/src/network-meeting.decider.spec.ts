import { given } from '@cnrms/decider/testing';
import { NetworkMeetingHeld, networkMeetingDecider, RecordNetworkMeeting } from './network-meeting.decider';

const networkMembers = [
  { professionalId: 'gp-1', microstructureId: 'ms-a' },
  { professionalId: 'psy-1', microstructureId: 'ms-a' },
  { professionalId: 'gp-2', microstructureId: 'ms-b' },
];
const record = (data: Partial<RecordNetworkMeeting['data']> = {}): RecordNetworkMeeting => ({
  type: 'RecordNetworkMeeting',
  data: {
    networkMeetingId: 'nm-1',
    networkId: 'net-alsace',
    heldOn: '2025-03-10',
    topic: 'Situations complexes : sevrage alcool à domicile',
    format: 'VIDEO',
    durationMinutes: 120,
    attendees: [networkMembers[2], networkMembers[0]],
    recordedBy: 'u-coordinator',
    networkMembers,
    today: '2025-03-20',
    ...data,
  },
});
const held: NetworkMeetingHeld = {
  type: 'NetworkMeetingHeld',
  data: {
    networkMeetingId: 'nm-1',
    networkId: 'net-alsace',
    heldOn: '2025-03-10',
    topic: 'Situations complexes : sevrage alcool à domicile',
    format: 'VIDEO',
    durationMinutes: 120,
    attendees: [networkMembers[2], networkMembers[0]],
    microstructureIds: ['ms-a', 'ms-b'],
    recordedBy: 'u-coordinator',
  },
};

describe('Network exchange meeting', () => {
  describe('RecordNetworkMeeting', () => {
    it('records the attendance and the microstructures represented', () => {
      given(networkMeetingDecider).when(record()).then([held]);
    });

    it('refuses an attendee who is not a member of a microstructure of the network', () => {
      given(networkMeetingDecider).when(record({ attendees: [{ professionalId: 'gp-9', microstructureId: 'ms-z' }] })).thenThrows('ATTENDEE_NOT_IN_NETWORK');
    });

    it('refuses an attendee under a microstructure they do not belong to', () => {
      given(networkMeetingDecider).when(record({ attendees: [{ professionalId: 'gp-1', microstructureId: 'ms-b' }] })).thenThrows('ATTENDEE_NOT_IN_NETWORK');
    });

    it('refuses an attendee listed twice', () => {
      given(networkMeetingDecider).when(record({ attendees: [networkMembers[0], networkMembers[0]] })).thenThrows('DUPLICATE_VALUE');
    });

    it('requires at least one attendee', () => {
      given(networkMeetingDecider).when(record({ attendees: [] })).thenThrows('ATTENDEES_REQUIRED');
    });

    it('refuses a meeting held in the future', () => {
      given(networkMeetingDecider).when(record({ heldOn: '2025-03-21' })).thenThrows('MEETING_IN_FUTURE');
    });

    it('requires a topic', () => {
      given(networkMeetingDecider).when(record({ topic: '' })).thenThrows('TEXT_REQUIRED');
    });

    it('refuses an unknown format', () => {
      given(networkMeetingDecider).when(record({ format: 'PIGEON' as never })).thenThrows('INVALID_CODE');
    });

    it('refuses to record the same meeting twice', () => {
      given(networkMeetingDecider, [held]).when(record()).thenThrows('NETWORK_MEETING_ALREADY_RECORDED');
    });
  });
});

describe('Network exchange meeting: time rules (docs/time-rules.md)', () => {
  it('refuses a network meeting held before 1900 or in the future', () => {
    given(networkMeetingDecider).when(record({ heldOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY');
    given(networkMeetingDecider).when(record({ heldOn: '9999-12-31' })).thenThrows('MEETING_IN_FUTURE');
  });
});

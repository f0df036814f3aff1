import { given } from '@cnrms/decider/testing';
import { NetworkMeetingHeld, networkMeetingDecider, networkMeetingTopicsOf, RecordNetworkMeeting } from './network-meeting.decider';
import { nameLikeParts } from './values';

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
    topics: ['COMPLEX_SITUATIONS', 'ADDICTION_CARE'],
    note: 'Sevrage alcool à domicile',
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
    topics: ['COMPLEX_SITUATIONS', 'ADDICTION_CARE'],
    note: 'Sevrage alcool à domicile',
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
      given(networkMeetingDecider).when(record({ topics: undefined as never })).thenThrows('TOPICS_REQUIRED');
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

describe('Network exchange meeting: structured topics and a scanned note', () => {
  it('refuses a meeting without a topic, or with a topic outside the list', () => {
    given(networkMeetingDecider).when(record({ topics: [] })).thenThrows('TOPICS_REQUIRED');
    given(networkMeetingDecider).when(record({ topics: ['Mme Durand' as never] })).thenThrows('INVALID_CODE');
  });

  it('records a meeting without a note', () => {
    const [event] = given(networkMeetingDecider).when(record({ note: '  ' })).events();
    expect(event.data).toMatchObject({ topics: ['COMPLEX_SITUATIONS', 'ADDICTION_CARE'], note: null });
  });

  it('refuses a note that looks like it names a person, until the person confirms it does not', () => {
    given(networkMeetingDecider).when(record({ note: 'Le cas de Mme Durand, suivie à Metz' })).thenThrows('NOTE_MAY_NAME_A_PERSON', /Mme Durand/);
    const [event] = given(networkMeetingDecider).when(record({ note: 'Le cas de Mme Durand, suivie à Metz', noteChecked: true })).events();
    expect(event.data).toMatchObject({ note: 'Le cas de Mme Durand, suivie à Metz' });
  });

  it('reads an event recorded before the topics were coded as OTHER, its text as the note', () => {
    const legacy = { ...held.data, topics: undefined, note: undefined, topic: 'Sevrage alcool' };
    expect(networkMeetingTopicsOf(legacy)).toEqual({ topics: ['OTHER'], note: 'Sevrage alcool' });
    expect(networkMeetingTopicsOf(held.data)).toEqual({ topics: ['COMPLEX_SITUATIONS', 'ADDICTION_CARE'], note: 'Sevrage alcool à domicile' });
  });
});

describe('nameLikeParts', () => {
  it.each([
    ['Échanges sur M. Martin et Madame Leroy', ['M. Martin', 'Madame Leroy']],
    ['Situation de Jean DURAND', ['Jean DURAND']],
    ['Nous avons parlé de Jean Durand hier', ['Jean Durand']],
  ])('finds what looks like a name in %p', (note, expected) => {
    expect(nameLikeParts(note)).toEqual(expect.arrayContaining(expected));
  });

  it.each([['Orientation vers le CSAPA du secteur'], ['Sevrage alcool à domicile'], ['Accès aux droits : délais de la CPAM'], ['']])('finds nothing in %p', (note) => {
    expect(nameLikeParts(note)).toEqual([]);
  });
});

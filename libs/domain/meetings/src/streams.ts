import { requireId } from './values';

/**
 * Stream names are `<category>-<id>`: the event store derives the category from the part before the
 * first dash, so categories themselves contain none.
 */
export const MEETINGS_STREAM_CATEGORIES = {
  meeting: 'meeting',
  networkMeeting: 'networkmeeting',
} as const;

export const meetingStream = (meetingId: string): string => `${MEETINGS_STREAM_CATEGORIES.meeting}-${requireId(meetingId, 'meetingId', 'L’identifiant de la réunion')}`;
export const networkMeetingStream = (networkMeetingId: string): string =>
  `${MEETINGS_STREAM_CATEGORIES.networkMeeting}-${requireId(networkMeetingId, 'networkMeetingId', 'L’identifiant de la réunion de réseau')}`;

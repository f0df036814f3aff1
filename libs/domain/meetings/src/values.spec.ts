import { optionalSummary, requireReviewDecisions, SUMMARY_MAX_LENGTH } from './values';
import { meetingStream, networkMeetingStream } from './streams';
import { isMeetingsEvent, MEETINGS_EVENT_TYPES } from './event-types';

describe('Meeting values', () => {
  it('returns decisions in the catalogue order', () => {
    expect(requireReviewDecisions(['SOCIAL_ACTION', 'REFERRAL'])).toEqual(['REFERRAL', 'SOCIAL_ACTION']);
  });

  it('refuses a decision given twice', () => {
    expect(() => requireReviewDecisions(['REFERRAL', 'REFERRAL'])).toThrow(expect.objectContaining({ code: 'DUPLICATE_VALUE' }));
  });

  it('takes a blank summary for none and trims the others', () => {
    expect(optionalSummary('   ')).toBeUndefined();
    expect(optionalSummary('  Situation stable.  ')).toBe('Situation stable.');
  });

  it('refuses a summary longer than the limit', () => {
    expect(() => optionalSummary('x'.repeat(SUMMARY_MAX_LENGTH + 1))).toThrow(expect.objectContaining({ code: 'TEXT_TOO_LONG' }));
  });

  it('names streams `<category>-<id>` with categories without a dash', () => {
    expect(meetingStream('m-1')).toBe('meeting-m-1');
    expect(networkMeetingStream('n-1')).toBe('networkmeeting-n-1');
    expect(() => meetingStream(' ')).toThrow(expect.objectContaining({ code: 'ID_REQUIRED' }));
  });

  it('knows every event type of the service', () => {
    expect(MEETINGS_EVENT_TYPES).toEqual(['MeetingScheduled', 'MeetingHeld', 'CaseReviewed', 'MeetingCancelled', 'NetworkMeetingHeld']);
    expect(isMeetingsEvent({ type: 'PatientIncluded' })).toBe(false);
  });
});

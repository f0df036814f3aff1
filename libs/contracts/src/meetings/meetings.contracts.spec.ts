import { ContractViolation } from '../contract';
import { FOREVER, topicsOf } from '../topics';
import { platformContracts } from '../index';
import { CaseReviewed, MEETING_TOPIC, MeetingCancelled, MeetingHeld, MeetingScheduled, meetingsContracts, NetworkMeetingHeld } from './meetings.contracts';

const placed = { meetingId: 'meet-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace' };
const valid: Record<string, Record<string, unknown>> = {
  [MeetingScheduled.type]: { ...placed, scheduledOn: '2025-03-14', format: 'IN_PERSON' },
  [MeetingHeld.type]: { ...placed, heldOn: '2025-03-14', durationMinutes: 90, attendeeCount: 3, reviewedCount: 2 },
  [CaseReviewed.type]: { ...placed, patientId: 'pat-7f3a', heldOn: '2025-03-14', decisions: ['REFERRAL', 'SOCIAL_ACTION'], nextReviewOn: '2025-06-14' },
  [MeetingCancelled.type]: { ...placed, scheduledOn: '2025-03-14', cancelledOn: '2025-03-10' },
  [NetworkMeetingHeld.type]: { networkMeetingId: 'nm-1', networkId: 'net-alsace', heldOn: '2025-03-10', format: 'VIDEO', durationMinutes: 120, attendeeCount: 7, microstructureIds: ['ms-a', 'ms-b'] },
};

const contracts = platformContracts();
const publish = (type: string, payload: unknown) => contracts.validateForPublish(type, 1, payload);

describe('meetings contracts', () => {
  it('are registered on the meetings topic, kept for ever', () => {
    expect(meetingsContracts.every((c) => c.topic === MEETING_TOPIC && contracts.get(c.type) === c)).toBe(true);
    expect(topicsOf('meetings')).toEqual([{ name: MEETING_TOPIC, service: 'meetings', partitions: 3, retentionMs: FOREVER }]);
  });

  it.each(meetingsContracts.map((c) => [c.type]))('accept a valid %s', (type) => {
    expect(publish(type, valid[type])).toEqual(valid[type]);
  });

  it.each(meetingsContracts.map((c) => [c.type]))('refuse %s with a field they do not know (a summary would never travel unseen)', (type) => {
    expect(() => publish(type, { ...valid[type], summary: 'Situation…' })).toThrow(ContractViolation);
  });

  it('refuse an unknown decision code and a review without decision', () => {
    expect(() => publish(CaseReviewed.type, { ...valid[CaseReviewed.type], decisions: ['PRAY'] })).toThrow(ContractViolation);
    expect(() => publish(CaseReviewed.type, { ...valid[CaseReviewed.type], decisions: [] })).toThrow(ContractViolation);
  });
});

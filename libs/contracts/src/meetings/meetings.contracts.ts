import { z } from 'zod';
import { defineContract } from '../contract';

// What the meetings service tells the others about case-review meetings: dates, counts, a pseudonymous
// patient id and coded decisions. Never the situation summary, the cancellation reason, a network
// meeting's topic or anything else typed by the team (docs/domain.md, confidentiality).
//
// Every object is `.strict()`, like the inclusions' contracts: a field the contract does not know is
// refused at publication instead of travelling unseen.
//
// Key: the meeting id (the network meeting id for NetworkMeetingHeld), so that a meeting's events stay
// in order: MeetingHeld before its CaseReviewed.

const id = z.string().min(1);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue');
const count = z.number().int().min(0).max(10_000);

// The domain's codes, spelt as in `libs/domain/meetings` (a contract does not import a domain; the
// meetings service's integration spec checks that the lists stay equal).
export const MEETINGS_CONTRACT_CODES = {
  reviewDecisions: ['ADJUST_CARE_PLAN', 'REFERRAL', 'HOSPITALISATION', 'SOCIAL_ACTION', 'NO_CHANGE'],
  meetingFormats: ['IN_PERSON', 'VIDEO'],
} as const;

const placed = { meetingId: id, microstructureId: id, networkId: id };

export const MEETING_TOPIC = 'meetings.meeting.v1';

/**
 * A case-review meeting planned (the notifications service tells the team). The place, the expected
 * attendees and whoever planned it stay in the meetings service.
 */
export const MeetingScheduled = defineContract({
  type: 'meetings.MeetingScheduled',
  version: 1,
  topic: MEETING_TOPIC,
  schema: z.object({ ...placed, scheduledOn: date, format: z.enum(MEETINGS_CONTRACT_CODES.meetingFormats) }).strict(),
});

export const MeetingHeld = defineContract({
  type: 'meetings.MeetingHeld',
  version: 1,
  topic: MEETING_TOPIC,
  schema: z.object({ ...placed, heldOn: date, durationMinutes: z.number().int().min(1).max(600), attendeeCount: count, reviewedCount: count }).strict(),
});

export const CaseReviewed = defineContract({
  type: 'meetings.CaseReviewed',
  version: 1,
  topic: MEETING_TOPIC,
  schema: z
    .object({
      ...placed,
      patientId: id,
      heldOn: date,
      decisions: z.array(z.enum(MEETINGS_CONTRACT_CODES.reviewDecisions)).min(1),
      nextReviewOn: date,
    })
    .strict(),
});

export const MeetingCancelled = defineContract({
  type: 'meetings.MeetingCancelled',
  version: 1,
  topic: MEETING_TOPIC,
  schema: z.object({ ...placed, scheduledOn: date, cancelledOn: date }).strict(),
});

export const NetworkMeetingHeld = defineContract({
  type: 'meetings.NetworkMeetingHeld',
  version: 1,
  topic: MEETING_TOPIC,
  schema: z
    .object({
      networkMeetingId: id,
      networkId: id,
      heldOn: date,
      format: z.enum(MEETINGS_CONTRACT_CODES.meetingFormats),
      durationMinutes: z.number().int().min(1).max(600),
      attendeeCount: count,
      microstructureIds: z.array(id),
    })
    .strict(),
});

export const meetingsContracts = [MeetingScheduled, MeetingHeld, CaseReviewed, MeetingCancelled, NetworkMeetingHeld];

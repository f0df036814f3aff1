import { MeetingEvent } from './meeting.decider';
import { NetworkMeetingEvent } from './network-meeting.decider';

export type MeetingsEvent = MeetingEvent | NetworkMeetingEvent;
export type MeetingsEventType = MeetingsEvent['type'];

// A record keyed by the union makes a forgotten or misspelt event type a compile error.
const eventTypes: Record<MeetingsEventType, true> = {
  MeetingScheduled: true,
  MeetingHeld: true,
  CaseReviewed: true,
  MeetingCancelled: true,
  NetworkMeetingHeld: true,
};

/** Every domain event type of the meetings service (they stay in its own store; integration events go out through `libs/contracts`). */
export const MEETINGS_EVENT_TYPES = Object.freeze(Object.keys(eventTypes) as MeetingsEventType[]);

export const isMeetingsEvent = (event: { type: string }): event is MeetingsEvent => Object.prototype.hasOwnProperty.call(eventTypes, event.type);

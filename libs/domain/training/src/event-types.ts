import { TrainingEvent } from './training/events';

export type TrainingEventType = TrainingEvent['type'];

// A record keyed by the union makes a forgotten or misspelt event type a compile error.
const eventTypes: Record<TrainingEventType, true> = {
  TrainingPublished: true,
  TrainingUpdated: true,
  TrainingCancelled: true,
  ProfessionalRegistered: true,
  ProfessionalWaitListed: true,
  WaitListedProfessionalPromoted: true,
  RegistrationCancelled: true,
  AttendanceRecorded: true,
};

/** Every domain event type of the training service (they stay in its own store; integration events go out through `libs/contracts`). */
export const TRAINING_EVENT_TYPES = Object.freeze(Object.keys(eventTypes) as TrainingEventType[]);

export const isTrainingEvent = (event: { type: string }): event is TrainingEvent => Object.prototype.hasOwnProperty.call(eventTypes, event.type);

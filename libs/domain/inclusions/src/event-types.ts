import { InclusionEvent } from './inclusion.decider';
import { PatientCaseEvent } from './patient-case.decider';
import { PatientEvent } from './patient.decider';

export type InclusionsEvent = PatientEvent | PatientCaseEvent | InclusionEvent;
export type InclusionsEventType = InclusionsEvent['type'];

// A record keyed by the union makes a forgotten or misspelt event type a compile error.
const eventTypes: Record<InclusionsEventType, true> = {
  PatientRegistered: true,
  IdentityErased: true,
  PatientCaseOpened: true,
  PatientCaseClosed: true,
  PatientIncluded: true,
  FollowUpSessionRecorded: true,
  AssessmentRecorded: true,
  ExitRecorded: true,
  CarePlanRevised: true,
};

/**
 * Every event type the inclusions service records. These are domain events: they stay in the
 * service's own store. `PatientRegistered` holds the encrypted identity and `CarePlanRevised` free
 * text; what other services may see goes out as integration events from `libs/contracts`.
 */
export const INCLUSIONS_EVENT_TYPES = Object.freeze(Object.keys(eventTypes) as InclusionsEventType[]);

export const isInclusionsEvent = (event: { type: string }): event is InclusionsEvent => Object.prototype.hasOwnProperty.call(eventTypes, event.type);

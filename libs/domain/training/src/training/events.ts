import { DomainEvent } from '@cnrms/decider';
import { Profession, TrainingCancellationReason, TrainingChange, TrainingFormat, TrainingKind, TrainingTheme } from '../values';

export interface TrainingSession {
  sessionId: string;
  date: string;
  startTime: string;
  endTime: string;
  place: string | null;
  capacity: number;
  hours: number;
}

/** What a training is, as published and as edited: its description and its whole programme. */
export interface TrainingDescription {
  title: string;
  theme: TrainingTheme;
  audience: Profession[];
  format: TrainingFormat;
  registrationClosesOn: string;
  sessions: TrainingSession[];
}

export type TrainingPublished = DomainEvent<'TrainingPublished', TrainingDescription & { trainingId: string; networkId: string | null; kind: TrainingKind; publishedBy: string; publishedOn: string }>;

/**
 * The training as it is after an edit (the whole programme), what changed, and the professionals registered
 * or waiting at that moment, who are told.
 */
export type TrainingUpdated = DomainEvent<
  'TrainingUpdated',
  TrainingDescription & {
    trainingId: string;
    networkId: string | null;
    changes: TrainingChange[];
    affectedProfessionalIds: string[];
    updatedBy: string;
    updatedOn: string;
  }
>;

/** The training will not take place; its active registrations are cancelled by the `RegistrationCancelled` events of the same append. */
export type TrainingCancelled = DomainEvent<
  'TrainingCancelled',
  {
    trainingId: string;
    networkId: string | null;
    title: string;
    reason: TrainingCancellationReason;
    affectedProfessionalIds: string[];
    cancelledBy: string;
    cancelledOn: string;
  }
>;

/** Who registered, where they are counted (the training's network, or theirs for a national training) and in which profession. */
type Registrant = { trainingId: string; sessionId: string; registrationId: string; professionalId: string; networkId: string; profession: Profession };

/** A seat was free: the professional has one. */
export type ProfessionalRegistered = DomainEvent<'ProfessionalRegistered', Registrant & { registeredAt: string }>;
/** The session was full: the professional waits, `rank` in the wait list (1 is next). */
export type ProfessionalWaitListed = DomainEvent<'ProfessionalWaitListed', Registrant & { rank: number; waitListedAt: string }>;
/** A seat freed up: the first of the wait list takes it (recorded with the cancellation that freed it). */
export type WaitListedProfessionalPromoted = DomainEvent<'WaitListedProfessionalPromoted', Registrant & { promotedAt: string }>;
export type RegistrationCancelled = DomainEvent<'RegistrationCancelled', Registrant & { previousStatus: 'REGISTERED' | 'WAITLISTED'; cancelledAt: string }>;
/** One per professional who signed the session's attendance sheet. */
export type AttendanceRecorded = DomainEvent<
  'AttendanceRecorded',
  /** `microstructureId`: the attendee's microstructure in the counted network that day (null: none; absent in events recorded before it existed). */
  Registrant & { sessionDate: string; hours: number; recordedBy: string; microstructureId?: string | null }
>;

export type TrainingEvent = TrainingPublished | TrainingUpdated | TrainingCancelled | ProfessionalRegistered | ProfessionalWaitListed | WaitListedProfessionalPromoted | RegistrationCancelled | AttendanceRecorded;

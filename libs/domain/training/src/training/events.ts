import { DomainEvent } from '@cnrms/decider';
import { Profession, TrainingFormat, TrainingKind, TrainingTheme } from '../values';

export interface TrainingSession {
  sessionId: string;
  date: string;
  startTime: string;
  endTime: string;
  place: string | null;
  capacity: number;
  hours: number;
}

export type TrainingPublished = DomainEvent<
  'TrainingPublished',
  {
    trainingId: string;
    networkId: string | null;
    kind: TrainingKind;
    title: string;
    theme: TrainingTheme;
    audience: Profession[];
    format: TrainingFormat;
    registrationClosesOn: string;
    sessions: TrainingSession[];
    publishedBy: string;
    publishedOn: string;
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

export type TrainingEvent = TrainingPublished | ProfessionalRegistered | ProfessionalWaitListed | WaitListedProfessionalPromoted | RegistrationCancelled | AttendanceRecorded;

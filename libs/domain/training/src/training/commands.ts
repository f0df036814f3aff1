import { Command } from '@cnrms/decider';
import { Profession, TrainingCancellationReason, TrainingFormat, TrainingKind, TrainingTheme } from '../values';

// What the decider cannot know arrives on its commands from the application: ids (generated there),
// "today" in Europe/Paris and the instant of the request, and, from the directory's events, the
// registrant's profession and the networks they are a member of.

export interface SessionInput {
  sessionId: string;
  /** Day of the session, `YYYY-MM-DD`; times `HH:MM`, Europe/Paris. */
  date: string;
  startTime: string;
  endTime: string;
  /** Required in person; a remote session has none. */
  place?: string | null;
  capacity: number;
  /** Training hours credited to who attends it (breaks excluded): at most the session's length. */
  hours: number;
}

/** What publishing and editing give alike: the description, the whole programme, and the planning context. */
export interface DescriptionInput {
  title: string;
  theme: TrainingTheme;
  audience: Profession[];
  format: TrainingFormat;
  /** Last day on which a professional may register (included). */
  registrationClosesOn: string;
  sessions: SessionInput[];
  today: string;
  /** How many years ahead a session may be planned (`DEFAULT_PLANNING_HORIZON_YEARS` when absent). */
  horizonYears?: number;
}

export type PublishTraining = Command<
  'PublishTraining',
  {
    trainingId: string;
    /** The organising regional network; null for the national coordination. */
    networkId: string | null;
    kind: TrainingKind;
    publishedBy: string;
  } & DescriptionInput
>;

/**
 * Edits a published training before it takes place: its description and its whole programme as it must
 * be (sessions keep their id; a new id adds a session, a missing one removes it). The network and the
 * kind do not change.
 */
export type UpdateTraining = Command<
  'UpdateTraining',
  {
    trainingId: string;
    updatedBy: string;
    /** The instant of the request (ISO 8601): when the promotions a larger capacity allows take effect. */
    requestedAt: string;
  } & DescriptionInput
>;

/** Cancels a published training before it takes place; every registration still active is cancelled with it. */
export type CancelTraining = Command<
  'CancelTraining',
  {
    trainingId: string;
    reason: TrainingCancellationReason;
    cancelledBy: string;
    today: string;
    requestedAt: string;
  }
>;

export type RegisterProfessional = Command<
  'RegisterProfessional',
  {
    trainingId: string;
    sessionId: string;
    registrationId: string;
    professionalId: string;
    /** From the directory's events; null when the professional is not known there. */
    profession: Profession | null;
    /** From the directory's events: the networks the professional is a member of today. */
    memberNetworkIds: readonly string[];
    today: string;
    /** The instant the request arrived (ISO 8601). */
    requestedAt: string;
  }
>;

export type CancelRegistration = Command<
  'CancelRegistration',
  {
    trainingId: string;
    registrationId: string;
    /** The professional cancelling: only their own registration. */
    professionalId: string;
    today: string;
    requestedAt: string;
  }
>;

export type RecordAttendance = Command<
  'RecordAttendance',
  {
    trainingId: string;
    sessionId: string;
    /** Who signed the attendance sheet (émargement): registered professionals of the session. */
    professionalIds: string[];
    recordedBy: string;
    today: string;
    /**
     * The microstructure each attendee belonged to in the network the hours count in, on the session's
     * date (looked up by the service; absent or null: none), so that hours can be cut by microstructure.
     */
    microstructureIds?: Readonly<Record<string, string | null>>;
  }
>;

export type TrainingCommand = PublishTraining | UpdateTraining | CancelTraining | RegisterProfessional | CancelRegistration | RecordAttendance;

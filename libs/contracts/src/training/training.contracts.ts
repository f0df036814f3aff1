import { z } from 'zod';
import { defineContract } from '../contract';

// What the training service tells the others: trainings and their sessions (dates, hours, capacity),
// registrations, wait lists and attendance with the hours credited, so that reporting counts training
// hours per professional and per network. Professionals are not patients: their ids travel; nothing
// else about them does (no name, no e-mail), and neither does a session's place.
//
// Every object is `.strict()`: a field the contract does not know is refused at publication.
//
// Key: the training id, so that a training's events stay in order (published before its registrations,
// a cancellation before the promotion it caused).

const id = z.string().min(1);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue');
const instant = z.string().datetime({ offset: true });
const hours = z.number().positive().max(24).refine((value) => Number.isInteger(value * 4), 'quarts d’heure attendus');

// The domain's codes, spelt as in `libs/domain/training` (a contract does not import a domain; the
// training service's spec checks that the lists stay equal).
export const TRAINING_CONTRACT_CODES = {
  themes: ['HEPATITIS_C', 'ALCOHOL', 'OPIOID_SUBSTITUTION', 'MOTIVATIONAL_INTERVIEWING', 'SOCIAL_RIGHTS', 'MENTAL_HEALTH', 'OTHER'],
  professions: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'],
  formats: ['IN_PERSON', 'REMOTE'],
  kinds: ['TRAINING', 'NATIONAL_EVENT'],
} as const;

export const TRAINING_TOPIC = 'training.training.v1';

/** The registrant: the network they are counted in (the training's, or theirs for a national training) and their profession. */
const registrant = {
  trainingId: id,
  sessionId: id,
  registrationId: id,
  professionalId: id,
  networkId: id,
  profession: z.enum(TRAINING_CONTRACT_CODES.professions),
};

const title = z.string().min(1).max(200);
/** What a training is, as published and as edited: its description and its programme (no session's place). */
const description = {
  title,
  theme: z.enum(TRAINING_CONTRACT_CODES.themes),
  format: z.enum(TRAINING_CONTRACT_CODES.formats),
  audience: z.array(z.enum(TRAINING_CONTRACT_CODES.professions)).min(1),
  registrationClosesOn: date,
  sessions: z.array(z.object({ sessionId: id, date, hours, capacity: z.number().int().min(1).max(2000) }).strict()).min(1),
};

export const TrainingPublished = defineContract({
  type: 'training.TrainingPublished',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z
    .object({
      trainingId: id,
      /** null: organised by the national coordination. */
      networkId: id.nullable(),
      kind: z.enum(TRAINING_CONTRACT_CODES.kinds),
      ...description,
      publishedOn: date,
    })
    .strict(),
});

export const TrainingProfessionalRegistered = defineContract({
  type: 'training.ProfessionalRegistered',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z.object({ ...registrant, registeredAt: instant }).strict(),
});

export const TrainingProfessionalWaitListed = defineContract({
  type: 'training.ProfessionalWaitListed',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z.object({ ...registrant, rank: z.number().int().min(1), waitListedAt: instant }).strict(),
});

export const TrainingWaitListedProfessionalPromoted = defineContract({
  type: 'training.WaitListedProfessionalPromoted',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z.object({ ...registrant, promotedAt: instant }).strict(),
});

export const TrainingRegistrationCancelled = defineContract({
  type: 'training.RegistrationCancelled',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z.object({ ...registrant, previousStatus: z.enum(['REGISTERED', 'WAITLISTED']), cancelledAt: instant }).strict(),
});

/**
 * The fact reporting sums: `hours` of training attended by the professional on `sessionDate`, counted in
 * `networkId`. v2 adds `microstructureId`: the attendee's microstructure in that network that day (null:
 * none known), so that hours can be cut by microstructure; a v1 is upcast with null.
 */
export const TrainingAttendanceRecorded = defineContract({
  type: 'training.AttendanceRecorded',
  version: 2,
  topic: TRAINING_TOPIC,
  upcasters: [{ from: 1, upcast: (payload) => (payload && typeof payload === 'object' ? { ...payload, microstructureId: null } : payload) }],
  schema: z.object({ ...registrant, sessionDate: date, hours, microstructureId: id.nullable().default(null) }).strict(),
});

/** What a published training's change may touch (reported so that the people registered can be told what changed). */
export const TRAINING_CHANGES = ['TITLE', 'THEME', 'AUDIENCE', 'FORMAT', 'DEADLINE', 'SESSIONS'] as const;
/** Why a training is cancelled. */
export const TRAINING_CANCELLATION_REASONS = ['TOO_FEW_REGISTRATIONS', 'TRAINER_UNAVAILABLE', 'VENUE_UNAVAILABLE', 'POSTPONED', 'OTHER'] as const;

/**
 * A published training was edited before it took place: its description and sessions as they are now,
 * what changed, and the professionals registered or on a wait list at that moment (to be told). Seats
 * that a larger capacity freed are given by `WaitListedProfessionalPromoted` events in the same append.
 */
export const TrainingUpdated = defineContract({
  type: 'training.TrainingUpdated',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z
    .object({
      trainingId: id,
      networkId: id.nullable(),
      ...description,
      changes: z.array(z.enum(TRAINING_CHANGES)).min(1),
      affectedProfessionalIds: z.array(id),
      updatedOn: date,
    })
    .strict(),
});

/**
 * A published training was cancelled before it took place. Each registration still active is cancelled by
 * a `RegistrationCancelled` in the same append; `affectedProfessionalIds` are their professionals (to be told).
 */
export const TrainingCancelled = defineContract({
  type: 'training.TrainingCancelled',
  version: 1,
  topic: TRAINING_TOPIC,
  schema: z
    .object({
      trainingId: id,
      networkId: id.nullable(),
      title,
      reason: z.enum(TRAINING_CANCELLATION_REASONS),
      affectedProfessionalIds: z.array(id),
      cancelledOn: date,
    })
    .strict(),
});

export const trainingContracts = [
  TrainingPublished,
  TrainingUpdated,
  TrainingCancelled,
  TrainingProfessionalRegistered,
  TrainingProfessionalWaitListed,
  TrainingWaitListedProfessionalPromoted,
  TrainingRegistrationCancelled,
  TrainingAttendanceRecorded,
];

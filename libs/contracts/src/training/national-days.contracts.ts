import { z } from 'zod';
import { defineContract } from '../contract';
import { TRAINING_CONTRACT_CODES } from './training.contracts';

// National days across deployments (docs/deployments.md): a professional of a self-hosting network asks,
// from their own regional platform, for a seat at a national day; the request travels up (MirrorMaker 2),
// the national training service's decider decides (the only judge of the seats, whatever the number of
// regions), and the answer travels down. Keyed by request id; the request id is also the registration's id
// nationally, so a redelivered request is recognised and answered again the same way.

const id = z.string().min(1);
const instant = z.string().datetime({ offset: true });

/** Produced by a regional training service; read nationally as `<region>.training.national-day-request.v1`. */
export const NATIONAL_DAY_REQUEST_TOPIC = 'training.national-day-request.v1';
/** Produced by the national training service; read by the regions as `national.training.national-day-answer.v1`. */
export const NATIONAL_DAY_ANSWER_TOPIC = 'training.national-day-answer.v1';

export const NATIONAL_DAY_OUTCOMES = ['REGISTERED', 'WAITLISTED', 'REFUSED'] as const;

export const NationalDayRegistrationRequested = defineContract({
  type: 'training.NationalDayRegistrationRequested',
  version: 1,
  topic: NATIONAL_DAY_REQUEST_TOPIC,
  schema: z
    .object({
      requestId: id,
      trainingId: id,
      sessionId: id,
      professionalId: id,
      /** From the region's directory; null when the professional is not known there (the national decider refuses). */
      profession: z.enum(TRAINING_CONTRACT_CODES.professions).nullable(),
      /** The region's networks the professional is a member of today (where they are counted). */
      memberNetworkIds: z.array(id),
      requestedAt: instant,
    })
    .strict(),
});

export const NationalDayRegistrationAnswered = defineContract({
  type: 'training.NationalDayRegistrationAnswered',
  version: 1,
  topic: NATIONAL_DAY_ANSWER_TOPIC,
  schema: z
    .object({
      requestId: id,
      trainingId: id,
      sessionId: id,
      professionalId: id,
      outcome: z.enum(NATIONAL_DAY_OUTCOMES),
      /** Wait-listed: the rank in the wait list (1 is next). */
      rank: z.number().int().min(1).nullable(),
      /** Refused: the decider's code and its French message. */
      reasonCode: z.string().min(1).nullable(),
      reason: z.string().min(1).nullable(),
      answeredAt: instant,
    })
    .strict(),
});

export const nationalDayContracts = [NationalDayRegistrationRequested, NationalDayRegistrationAnswered];

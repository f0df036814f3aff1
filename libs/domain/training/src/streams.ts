import { requireId } from './values';

/**
 * Stream names are `<category>-<id>`: the event store derives the category from the part before the
 * first dash, so categories themselves contain none.
 */
export const TRAINING_STREAM_CATEGORIES = {
  training: 'training',
} as const;

/**
 * One stream per training holds its sessions, every registration, the wait lists and the attendance:
 * a session's capacity is an invariant over all its registrations, so they are decided together and
 * appended with the version they were decided on (two concurrent registrations cannot both take the
 * last seat; the loser is decided again on the new state and wait-listed).
 */
export const trainingStream = (trainingId: string): string => `${TRAINING_STREAM_CATEGORIES.training}-${requireId(trainingId, 'trainingId', 'L’identifiant de la formation')}`;

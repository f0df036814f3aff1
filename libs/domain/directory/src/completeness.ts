import { activeMemberships, MicrostructureState } from './microstructure.decider';
import { Profession } from './values';

/** The three professions a microstructure's team is built around. */
export const CORE_PROFESSIONS = ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'] as const satisfies readonly Profession[];

export interface Completeness {
  hasGeneralPractitioner: boolean;
  hasPsychologist: boolean;
  hasSocialWorker: boolean;
  complete: boolean;
  /** In the order GP, psychologist, social worker. */
  missing: Profession[];
}

/**
 * Whether a team has a GP, a psychologist and a social worker. Reported, never blocking: a
 * microstructure may work for a while without one of them. A psychiatrist does not stand in for the
 * psychologist.
 */
export function completenessOf(professions: readonly Profession[]): Completeness {
  const missing = CORE_PROFESSIONS.filter((profession) => !professions.includes(profession));
  return {
    hasGeneralPractitioner: professions.includes('GENERAL_PRACTITIONER'),
    hasPsychologist: professions.includes('PSYCHOLOGIST'),
    hasSocialWorker: professions.includes('SOCIAL_WORKER'),
    complete: missing.length === 0,
    missing,
  };
}

/** Completeness of the current team (active memberships only). */
export function completeness(state: MicrostructureState): Completeness {
  return completenessOf(activeMemberships(state).map((membership) => membership.profession));
}

import { ValidationError } from '@cnrms/decider';
import { IntegerRule } from './values';

/** An assessment timepoint: a code and its offset in months from the inclusion date. */
export interface Timepoint {
  code: string;
  monthsAfterInclusion: number;
}

/** At inclusion, 6 months, 12 months. Programmes may configure others (e.g. M24). */
export const DEFAULT_TIMEPOINTS: readonly Timepoint[] = Object.freeze([
  { code: 'INCLUSION', monthsAfterInclusion: 0 },
  { code: 'M6', monthsAfterInclusion: 6 },
  { code: 'M12', monthsAfterInclusion: 12 },
]);

/** Days either side of a timepoint's due date during which the assessment is "due". */
export const DEFAULT_ASSESSMENT_WINDOW_DAYS = 30;

export const QUALITY_OF_LIFE_RULE: IntegerRule = { min: 0, max: 100, code: 'INVALID_QUALITY_OF_LIFE_SCORE', label: 'Le score de qualité de vie' };

/** A timepoint among the configured ones (`INVALID_CODE` otherwise). */
export function requireTimepoint(value: unknown, timepoints: readonly Timepoint[] = DEFAULT_TIMEPOINTS, field = 'timepoint'): Timepoint {
  const timepoint = timepoints.find((candidate) => candidate.code === value);
  if (timepoint) return timepoint;
  const shown = typeof value === 'string' ? ` : « ${value} »` : '';
  throw new ValidationError(
    'INVALID_CODE',
    `Valeur non reconnue pour le temps d’évaluation${shown}. Valeurs possibles : ${timepoints.map((t) => t.code).join(', ')}.`,
    field,
  );
}

import { ConfigurationError, integerFrom } from '@cnrms/service-kit';

export const PLANNING_SETTINGS = Symbol('PLANNING_SETTINGS');

export interface PlanningSettings {
  /** How many years ahead a training session may be dated (docs/time-rules.md). */
  horizonYears: number;
}

/** `PLANNING_HORIZON_YEARS` (3 by default, 1 to 20), checked at start. */
export function planningSettings(env: NodeJS.ProcessEnv = process.env): PlanningSettings {
  const problems: string[] = [];
  const horizonYears = integerFrom(env, 'PLANNING_HORIZON_YEARS', 3, 1, 20, problems);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { horizonYears };
}

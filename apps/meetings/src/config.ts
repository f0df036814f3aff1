import { Timepoint } from '@cnrms/domain-meetings';
import { codedScaleFrom, ConfigurationError, integerFrom, masterKeyFrom, previousMasterKeysFrom } from '@cnrms/service-kit';

/**
 * The master key used when none is configured outside production. It is public (it is in the source):
 * summaries encrypted with it are not protected, which is why the service warns when it uses it. It
 * differs from the inclusions' development key: each service has its own vault and its own key.
 */
export const DEV_MEETINGS_MASTER_KEY = Buffer.from('development-only-meetings-key-00', 'utf8');

export interface MeetingsSettings {
  /** Wraps every patient's summary key (AES-256-GCM, 32 bytes). */
  masterKey: Buffer;
  /** Stored beside each wrapped key, so that a later master key can be introduced and old ones recognised. */
  masterKeyId: string;
  /** During a master key rotation only: the old master keys, which still open the keys not re-wrapped yet (`MEETINGS_PREVIOUS_MASTER_KEYS`). */
  previousMasterKeys: { id: string; key: Buffer }[];
  /** The development key is in use (MEETINGS_MASTER_KEY unset, outside production): the caller logs a warning. */
  usesDevelopmentMasterKey: boolean;
  /** A patient not reviewed for this many months is suggested for review. */
  reviewIntervalMonths: number;
  /** Assessment timepoints (the inclusions' programme), to suggest patients with an overdue assessment. */
  timepoints: Timepoint[];
  /** Days after a timepoint's date before its missing assessment is overdue. */
  assessmentWindowDays: number;
  /** How many years ahead a meeting may be scheduled (docs/time-rules.md). */
  planningHorizonYears: number;
}

/**
 * The meetings service's own settings, all checked at start: every faulty variable is named in one
 * `ConfigurationError`. Outside production a missing master key falls back to the development key.
 */
export function meetingsSettings(env: NodeJS.ProcessEnv = process.env, nodeEnv: string | undefined = env.NODE_ENV): MeetingsSettings {
  const problems: string[] = [];
  const master = masterKeyFrom(env, 'MEETINGS_MASTER_KEY', DEV_MEETINGS_MASTER_KEY, nodeEnv === 'production', problems);
  const settings: MeetingsSettings = {
    ...master,
    previousMasterKeys: previousMasterKeysFrom(env, 'MEETINGS_PREVIOUS_MASTER_KEYS', master.masterKeyId, problems),
    reviewIntervalMonths: integerFrom(env, 'REVIEW_INTERVAL_MONTHS', 3, 1, 24, problems),
    // The same variable as the inclusions service: the overdue-assessment suggestion follows its programme.
    timepoints: codedScaleFrom(env, 'ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6,M12:12', 'mois', problems).map(({ code, value }) => ({ code, monthsAfterInclusion: value })),
    assessmentWindowDays: integerFrom(env, 'ASSESSMENT_WINDOW_DAYS', 30, 1, 180, problems),
    planningHorizonYears: integerFrom(env, 'PLANNING_HORIZON_YEARS', 3, 1, 20, problems),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

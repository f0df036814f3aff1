import { cellKeySecretFrom } from '@cnrms/disclosure';
import { Timepoint } from '@cnrms/domain-inclusions';
import { codedScaleFrom, ConfigurationError, integerFrom, masterKeyFrom, previousMasterKeysFrom } from '@cnrms/service-kit';

/**
 * The master key used when none is configured outside production. It is public (it is in the source):
 * identities encrypted with it are not protected, which is why the service warns when it uses it.
 */
export const DEV_INCLUSIONS_MASTER_KEY = Buffer.from('development-only-master-key-0000', 'utf8');

export interface InclusionsSettings {
  /** Wraps every patient's data key (AES-256-GCM, 32 bytes). */
  masterKey: Buffer;
  /** Stored beside each wrapped key, so that a later master key can be introduced and old ones recognised. */
  masterKeyId: string;
  /** During a master key rotation only: the old master keys, which still open the keys not re-wrapped yet (`INCLUSIONS_PREVIOUS_MASTER_KEYS`). */
  previousMasterKeys: { id: string; key: Buffer }[];
  /** The development key is in use (INCLUSIONS_MASTER_KEY unset, outside production): the caller logs a warning. */
  usesDevelopmentMasterKey: boolean;
  /** Assessment timepoints, in increasing months after the inclusion. */
  timepoints: Timepoint[];
  /** Days on either side of a timepoint's date within which an assessment counts for it. */
  assessmentWindowDays: number;
  /** Months without contact after which an open inclusion is suggested as lost to follow-up. */
  lostToFollowUpMonths: number;
  /**
   * Counts of patients below it are not given outside the team (`caseloadSummary` for the coordinations):
   * the same threshold as reporting's indicators (`REPORTING_SUPPRESSION_THRESHOLD`, docs/disclosure-control.md).
   */
  suppressionThreshold: number;
  /** The cell key method's largest perturbation and secret, as reporting's (`REPORTING_CELL_KEY_MAX_PERTURBATION`, `REPORTING_CELL_KEY_SECRET`). */
  cellKeyMaxPerturbation: number;
  cellKeySecret: string;
}

/**
 * The inclusions service's own settings, all checked at start: every faulty variable is named in one
 * `ConfigurationError`. Outside production a missing master key falls back to the development key.
 */
export function inclusionsSettings(env: NodeJS.ProcessEnv = process.env, nodeEnv: string | undefined = env.NODE_ENV): InclusionsSettings {
  const problems: string[] = [];
  const master = masterKeyFrom(env, 'INCLUSIONS_MASTER_KEY', DEV_INCLUSIONS_MASTER_KEY, nodeEnv === 'production', problems);
  const settings: InclusionsSettings = {
    ...master,
    previousMasterKeys: previousMasterKeysFrom(env, 'INCLUSIONS_PREVIOUS_MASTER_KEYS', master.masterKeyId, problems),
    timepoints: codedScaleFrom(env, 'ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6,M12:12', 'mois', problems).map(({ code, value }) => ({ code, monthsAfterInclusion: value })),
    assessmentWindowDays: integerFrom(env, 'ASSESSMENT_WINDOW_DAYS', 30, 1, 180, problems),
    lostToFollowUpMonths: integerFrom(env, 'LOST_TO_FOLLOW_UP_MONTHS', 6, 1, 36, problems),
    suppressionThreshold: integerFrom(env, 'REPORTING_SUPPRESSION_THRESHOLD', 5, 2, 100, problems),
    cellKeyMaxPerturbation: integerFrom(env, 'REPORTING_CELL_KEY_MAX_PERTURBATION', 3, 0, 10, problems),
    cellKeySecret: cellKeySecretFrom(env, problems, nodeEnv),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

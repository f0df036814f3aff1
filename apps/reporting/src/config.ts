import { cellKeySecretFrom } from '@cnrms/disclosure';
import { ConfigurationError } from '@cnrms/service-kit';
import { IndicatorSettings } from './application/indicators/sql-context';
import { DEFAULT_MAX_BATCH_EVENTS } from './application/reporting.consumer';

/**
 * What the field has not fixed is configuration, not code (issue #6): the suppression threshold, the
 * payment rule, the windows of the indicators, the longest period a request may cover.
 */
export interface ReportingSettings extends IndicatorSettings {
  suppressionThreshold: number;
  maxPeriodMonths: number;
  /** Cell key method (docs/disclosure-control.md): largest perturbation of a published count, either way. */
  cellKeyMaxPerturbation: number;
  /** Cell key method: the secret record keys are derived from (with the pseudonymous patient ids). */
  cellKeySecret: string;
  /** Longest wait, in milliseconds, for the figures to include a client's command (`includingCommand`). */
  includeWaitMs: number;
  /** Answers the patient-month family from the month, quarter and year cells when they can (`REPORTING_CELLS`, default true; false: always the facts). */
  cells: boolean;
  /** The most events the live consumer applies in one transaction when a backlog waits (`REPORTING_MAX_BATCH_EVENTS`). */
  maxBatchEvents: number;
  /** Seconds between two looks at the tables' upkeep when the server's autovacuum is off (`REPORTING_UPKEEP_INTERVAL_SECONDS`; 0: never). */
  upkeepIntervalSeconds: number;
  /** Parts of the networks a backlog is applied in, side by side (`REPORTING_APPLIER_PARTS`: about the cores PostgreSQL has). */
  applierParts: number;
}


interface Variable {
  name: string;
  key: Exclude<keyof ReportingSettings, 'cellKeySecret' | 'cells'>;
  fallback: number;
  min: number;
  max: number;
  decimal?: boolean;
}

/** Every variable, its default and its bounds (listed in the README). */
export const REPORTING_VARIABLES: readonly Variable[] = [
  { name: 'REPORTING_SUPPRESSION_THRESHOLD', key: 'suppressionThreshold', fallback: 5, min: 2, max: 100 },
  { name: 'REPORTING_CELL_KEY_MAX_PERTURBATION', key: 'cellKeyMaxPerturbation', fallback: 3, min: 0, max: 10 },
  { name: 'REPORTING_MAX_PERIOD_MONTHS', key: 'maxPeriodMonths', fallback: 120, min: 1, max: 600 },
  { name: 'REPORTING_REVIEW_WINDOW_MONTHS', key: 'reviewWindowMonths', fallback: 6, min: 1, max: 36 },
  { name: 'REPORTING_OUTCOME_WINDOW_MONTHS', key: 'outcomeWindowMonths', fallback: 12, min: 1, max: 60 },
  { name: 'REPORTING_RETENTION_6M_DAYS', key: 'retention6mDays', fallback: 182, min: 1, max: 400 },
  { name: 'REPORTING_RETENTION_12M_DAYS', key: 'retention12mDays', fallback: 365, min: 1, max: 800 },
  { name: 'REPORTING_LOST_TO_FOLLOW_UP_MONTHS', key: 'lostToFollowUpMonths', fallback: 6, min: 1, max: 36 },
  { name: 'REPORTING_PACKAGE_MIN_CONTACTS', key: 'packageMinContacts', fallback: 2, min: 1, max: 365 },
  { name: 'REPORTING_PACKAGE_AMOUNT_EUROS', key: 'packageAmountEuros', fallback: 528, min: 0, max: 100_000, decimal: true },
  { name: 'REPORTING_INCLUDE_WAIT_MS', key: 'includeWaitMs', fallback: 5000, min: 0, max: 60_000 },
  { name: 'REPORTING_MAX_BATCH_EVENTS', key: 'maxBatchEvents', fallback: DEFAULT_MAX_BATCH_EVENTS, min: 1, max: 50_000 },
  { name: 'REPORTING_UPKEEP_INTERVAL_SECONDS', key: 'upkeepIntervalSeconds', fallback: 30, min: 0, max: 86_400 },
  { name: 'REPORTING_APPLIER_PARTS', key: 'applierParts', fallback: 2, min: 1, max: 16 },
];

export function reportingSettings(env: NodeJS.ProcessEnv = process.env): ReportingSettings {
  const problems: string[] = [];
  const settings = {} as ReportingSettings;
  settings.cellKeySecret = cellKeySecretFrom(env, problems);
  const cells = (env.REPORTING_CELLS ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(cells)) problems.push(`REPORTING_CELLS : « ${env.REPORTING_CELLS} » doit valoir true ou false`);
  settings.cells = cells !== 'false';
  for (const variable of REPORTING_VARIABLES) {
    const raw = env[variable.name];
    let value = variable.fallback;
    if (raw !== undefined && raw !== '') {
      const pattern = variable.decimal ? /^\s*\d+(\.\d{1,2})?\s*$/ : /^\s*\d+\s*$/;
      value = pattern.test(raw) ? Number(raw) : NaN;
      if (!(value >= variable.min && value <= variable.max)) {
        problems.push(`${variable.name} : « ${raw} » doit être un ${variable.decimal ? 'nombre (deux décimales au plus)' : 'entier'} entre ${variable.min} et ${variable.max}`);
        value = variable.fallback;
      }
    }
    settings[variable.key] = value;
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

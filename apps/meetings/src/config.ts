import { Timepoint } from '@cnrms/domain-meetings';
import { ConfigurationError } from '@cnrms/service-kit';

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
  /** The development key is in use (MEETINGS_MASTER_KEY unset, outside production): the caller logs a warning. */
  usesDevelopmentMasterKey: boolean;
  /** A patient not reviewed for this many months is suggested for review. */
  reviewIntervalMonths: number;
  /** Assessment timepoints (the inclusions' programme), to suggest patients with an overdue assessment. */
  timepoints: Timepoint[];
  /** Days after a timepoint's date before its missing assessment is overdue. */
  assessmentWindowDays: number;
}

const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const TIMEPOINT_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;

/**
 * The meetings service's own settings, all checked at start: every faulty variable is named in one
 * `ConfigurationError`. Outside production a missing master key falls back to the development key.
 */
export function meetingsSettings(env: NodeJS.ProcessEnv = process.env, nodeEnv: string | undefined = env.NODE_ENV): MeetingsSettings {
  const problems: string[] = [];
  const { masterKey, usesDevelopmentMasterKey } = masterKeyFrom(env.MEETINGS_MASTER_KEY, nodeEnv === 'production', problems);
  const masterKeyId = env.MEETINGS_MASTER_KEY_ID || 'dev-1';
  if (!KEY_ID_PATTERN.test(masterKeyId)) problems.push(`MEETINGS_MASTER_KEY_ID : « ${masterKeyId} » doit compter 1 à 64 lettres, chiffres ou caractères . _ : -`);
  const settings: MeetingsSettings = {
    masterKey,
    masterKeyId,
    usesDevelopmentMasterKey,
    reviewIntervalMonths: integerFrom(env, 'REVIEW_INTERVAL_MONTHS', 3, 1, 24, problems),
    timepoints: timepointsFrom(env.ASSESSMENT_TIMEPOINTS || 'INCLUSION:0,M6:6,M12:12', problems),
    assessmentWindowDays: integerFrom(env, 'ASSESSMENT_WINDOW_DAYS', 30, 1, 180, problems),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

function masterKeyFrom(raw: string | undefined, production: boolean, problems: string[]): { masterKey: Buffer; usesDevelopmentMasterKey: boolean } {
  if (raw === undefined || raw === '') {
    if (production) problems.push('MEETINGS_MASTER_KEY : obligatoire en production (NODE_ENV=production), base64 de 32 octets aléatoires');
    return { masterKey: DEV_MEETINGS_MASTER_KEY, usesDevelopmentMasterKey: true };
  }
  const key = Buffer.from(raw, 'base64');
  // The value is a secret: the messages describe it, never quote it.
  if (key.toString('base64') !== raw || key.length !== KEY_BYTES) {
    problems.push(`MEETINGS_MASTER_KEY : doit être le base64 d’exactement ${KEY_BYTES} octets (par exemple : openssl rand -base64 32)`);
    return { masterKey: DEV_MEETINGS_MASTER_KEY, usesDevelopmentMasterKey: true };
  }
  if (production && key.equals(DEV_MEETINGS_MASTER_KEY)) problems.push('MEETINGS_MASTER_KEY : la clé de développement est refusée en production');
  return { masterKey: key, usesDevelopmentMasterKey: key.equals(DEV_MEETINGS_MASTER_KEY) };
}

/** `CODE:months` pairs separated by commas, e.g. `INCLUSION:0,M6:6,M12:12` (the same variable as the inclusions service). */
function timepointsFrom(raw: string, problems: string[]): Timepoint[] {
  const timepoints: Timepoint[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    const [code, months, ...rest] = item.split(':').map((part) => part.trim());
    const monthsAfterInclusion = /^\d+$/.test(months ?? '') ? Number(months) : NaN;
    const previous = timepoints[timepoints.length - 1];
    if (!code || rest.length > 0 || !TIMEPOINT_CODE_PATTERN.test(code) || !Number.isSafeInteger(monthsAfterInclusion) || (previous && monthsAfterInclusion <= previous.monthsAfterInclusion)) {
      problems.push(`ASSESSMENT_TIMEPOINTS : « ${raw} » est mal formé à « ${item} » (format CODE:mois séparés par des virgules, mois strictement croissants, par exemple INCLUSION:0,M6:6,M12:12)`);
      return [];
    }
    timepoints.push({ code, monthsAfterInclusion });
  }
  return timepoints;
}

function integerFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} : « ${raw} » doit être un entier entre ${min} et ${max}`);
    return fallback;
  }
  return value;
}

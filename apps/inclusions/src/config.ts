import { Timepoint } from '@cnrms/domain-inclusions';
import { ConfigurationError } from '@cnrms/service-kit';

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
  /** The development key is in use (INCLUSIONS_MASTER_KEY unset, outside production): the caller logs a warning. */
  usesDevelopmentMasterKey: boolean;
  /** Assessment timepoints, in increasing months after the inclusion. */
  timepoints: Timepoint[];
  /** Days on either side of a timepoint's date within which an assessment counts for it. */
  assessmentWindowDays: number;
  /** Months without contact after which an open inclusion is suggested as lost to follow-up. */
  lostToFollowUpMonths: number;
}

const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const TIMEPOINT_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;

/**
 * The inclusions service's own settings, all checked at start: every faulty variable is named in one
 * `ConfigurationError`. Outside production a missing master key falls back to the development key.
 */
export function inclusionsSettings(env: NodeJS.ProcessEnv = process.env, nodeEnv: string | undefined = env.NODE_ENV): InclusionsSettings {
  const problems: string[] = [];
  const { masterKey, usesDevelopmentMasterKey } = masterKeyFrom(env.INCLUSIONS_MASTER_KEY, nodeEnv === 'production', problems);
  const masterKeyId = env.INCLUSIONS_MASTER_KEY_ID || 'dev-1';
  if (!KEY_ID_PATTERN.test(masterKeyId)) {
    problems.push(`INCLUSIONS_MASTER_KEY_ID : « ${masterKeyId} » doit compter 1 à 64 lettres, chiffres ou caractères . _ : -`);
  }
  const settings: InclusionsSettings = {
    masterKey,
    masterKeyId,
    usesDevelopmentMasterKey,
    timepoints: timepointsFrom(env.ASSESSMENT_TIMEPOINTS || 'INCLUSION:0,M6:6,M12:12', problems),
    assessmentWindowDays: integerFrom(env, 'ASSESSMENT_WINDOW_DAYS', 30, 1, 180, problems),
    lostToFollowUpMonths: integerFrom(env, 'LOST_TO_FOLLOW_UP_MONTHS', 6, 1, 36, problems),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}

function masterKeyFrom(raw: string | undefined, production: boolean, problems: string[]): { masterKey: Buffer; usesDevelopmentMasterKey: boolean } {
  if (raw === undefined || raw === '') {
    if (production) problems.push('INCLUSIONS_MASTER_KEY : obligatoire en production (NODE_ENV=production), base64 de 32 octets aléatoires');
    return { masterKey: DEV_INCLUSIONS_MASTER_KEY, usesDevelopmentMasterKey: true };
  }
  const key = Buffer.from(raw, 'base64');
  // The value is a secret: the messages describe it, never quote it.
  if (key.toString('base64') !== raw || key.length !== KEY_BYTES) {
    problems.push(`INCLUSIONS_MASTER_KEY : doit être le base64 d’exactement ${KEY_BYTES} octets (par exemple : openssl rand -base64 32)`);
    return { masterKey: DEV_INCLUSIONS_MASTER_KEY, usesDevelopmentMasterKey: true };
  }
  if (production && key.equals(DEV_INCLUSIONS_MASTER_KEY)) {
    problems.push('INCLUSIONS_MASTER_KEY : la clé de développement est refusée en production');
  }
  return { masterKey: key, usesDevelopmentMasterKey: key.equals(DEV_INCLUSIONS_MASTER_KEY) };
}

/** `CODE:months` pairs separated by commas, e.g. `INCLUSION:0,M6:6,M12:12`. */
function timepointsFrom(raw: string, problems: string[]): Timepoint[] {
  const refuse = (reason: string) => {
    problems.push(`ASSESSMENT_TIMEPOINTS : « ${raw} » ${reason} (format CODE:mois séparés par des virgules, par exemple INCLUSION:0,M6:6,M12:12)`);
    return [];
  };
  const timepoints: Timepoint[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    const [code, months, ...rest] = item.split(':').map((part) => part.trim());
    if (!code || months === undefined || rest.length > 0) return refuse(`contient un élément mal formé : « ${item} »`);
    if (!TIMEPOINT_CODE_PATTERN.test(code)) return refuse(`contient un code invalide : « ${code} » (majuscules, chiffres et _, 32 caractères au plus)`);
    const monthsAfterInclusion = /^\d+$/.test(months) ? Number(months) : NaN;
    if (!Number.isSafeInteger(monthsAfterInclusion)) return refuse(`: le nombre de mois de ${code} doit être un entier positif ou nul`);
    if (timepoints.some((timepoint) => timepoint.code === code)) return refuse(`: le code ${code} apparaît deux fois`);
    const previous = timepoints[timepoints.length - 1];
    if (previous && monthsAfterInclusion <= previous.monthsAfterInclusion) return refuse(`: les mois doivent croître strictement (${code} après ${previous.code})`);
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

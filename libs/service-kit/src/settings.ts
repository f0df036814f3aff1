/**
 * Readers of a service's own settings, for the variables that are not in every service's config. Each
 * reader pushes a problem naming its variable instead of throwing, so that a service reports every
 * faulty variable at once in one `ConfigurationError`, and returns a usable fallback meanwhile.
 */

const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
const CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;

export interface MasterKeySetting {
  masterKey: Buffer;
  masterKeyId: string;
  /** The public development key is in use (the variable unset, outside production): the caller warns. */
  usesDevelopmentMasterKey: boolean;
}

/**
 * A master key of 32 bytes in base64 from `<name>`, and its id from `<name>_ID` (default `dev-1`).
 * Required in production, where the development key is refused; elsewhere a missing key falls back to
 * `developmentKey`. The key is a secret: the messages describe it, never quote it.
 */
export function masterKeyFrom(env: NodeJS.ProcessEnv, name: string, developmentKey: Buffer, production: boolean, problems: string[]): MasterKeySetting {
  const masterKeyId = env[`${name}_ID`] || 'dev-1';
  if (!KEY_ID_PATTERN.test(masterKeyId)) problems.push(`${name}_ID : « ${masterKeyId} » doit compter 1 à 64 lettres, chiffres ou caractères . _ : -`);
  const fallback = { masterKey: developmentKey, masterKeyId, usesDevelopmentMasterKey: true };
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (production) problems.push(`${name} : obligatoire en production (NODE_ENV=production), base64 de ${KEY_BYTES} octets aléatoires`);
    return fallback;
  }
  const key = Buffer.from(raw, 'base64');
  if (key.toString('base64') !== raw || key.length !== KEY_BYTES) {
    problems.push(`${name} : doit être le base64 d’exactement ${KEY_BYTES} octets (par exemple : openssl rand -base64 32)`);
    return fallback;
  }
  if (production && key.equals(developmentKey)) problems.push(`${name} : la clé de développement est refusée en production`);
  return { masterKey: key, masterKeyId, usesDevelopmentMasterKey: key.equals(developmentKey) };
}

/**
 * The previous master keys a service still opens during a master key rotation, from `name`:
 * `<id>:<base64 of 32 bytes>` separated by commas (empty or unset outside a rotation). Each must have
 * an id other than the current key's. Secrets: the messages name the id, never the key.
 */
export function previousMasterKeysFrom(env: NodeJS.ProcessEnv, name: string, currentId: string, problems: string[]): { id: string; key: Buffer }[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  const keys: { id: string; key: Buffer }[] = [];
  for (const [index, entry] of raw.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator).trim() : '';
    const encoded = separator > 0 ? entry.slice(separator + 1).trim() : '';
    const key = Buffer.from(encoded, 'base64');
    if (!KEY_ID_PATTERN.test(id) || id.includes(':')) problems.push(`${name} : l’entrée n° ${index + 1} doit s’écrire <id>:<clé en base64> (id de 1 à 64 lettres, chiffres ou caractères . _ -)`);
    else if (key.toString('base64') !== encoded || key.length !== KEY_BYTES) problems.push(`${name} : la clé « ${id} » doit être le base64 d’exactement ${KEY_BYTES} octets`);
    else if (id === currentId) problems.push(`${name} : la clé « ${id} » porte l’id de la clé maîtresse actuelle`);
    else if (keys.some((known) => known.id === id)) problems.push(`${name} : la clé « ${id} » est donnée deux fois`);
    else keys.push({ id, key });
  }
  return keys;
}

/** A whole number between `min` and `max` from `name`, or `fallback` when it is unset. */
export function integerFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} : « ${raw} » doit être un entier entre ${min} et ${max}`);
    return fallback;
  }
  return value;
}

/**
 * `CODE:number` pairs separated by commas (e.g. `INCLUSION:0,M6:6,M12:12`), codes in capitals, digits and
 * `_`, distinct, numbers strictly increasing. `unit` names the number in the messages (« mois »).
 */
export function codedScaleFrom(env: NodeJS.ProcessEnv, name: string, fallback: string, unit: string, problems: string[]): { code: string; value: number }[] {
  const raw = env[name] || fallback;
  const refuse = (reason: string) => {
    problems.push(`${name} : « ${raw} » ${reason} (format CODE:${unit} séparés par des virgules, par exemple ${fallback})`);
    return [];
  };
  const scale: { code: string; value: number }[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    const [code, number, ...rest] = item.split(':').map((part) => part.trim());
    if (!code || number === undefined || rest.length > 0) return refuse(`contient un élément mal formé : « ${item} »`);
    if (!CODE_PATTERN.test(code)) return refuse(`contient un code invalide : « ${code} » (majuscules, chiffres et _, 32 caractères au plus)`);
    const value = /^\d+$/.test(number) ? Number(number) : NaN;
    if (!Number.isSafeInteger(value)) return refuse(`: le nombre de ${code} doit être un entier positif ou nul`);
    if (scale.some((entry) => entry.code === code)) return refuse(`: le code ${code} apparaît deux fois`);
    const previous = scale[scale.length - 1];
    if (previous && value <= previous.value) return refuse(`: les ${unit} doivent croître strictement (${code} après ${previous.code})`);
    scale.push({ code, value });
  }
  return scale;
}

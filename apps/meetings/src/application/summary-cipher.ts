import { CipherGCMTypes, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The envelope encryption behind the summary vault, without I/O, on the inclusions' identity-vault
 * model: a data key per patient, wrapped by this service's master key, and each situation summary
 * encrypted with the patient's data key. Both layers are AES-256-GCM with associated data: the wrapped
 * key names the patient, a summary names its patient and its meeting, so that a wrapped key or a
 * ciphertext copied to another patient or another meeting fails to open.
 */

const ALGORITHM: CipherGCMTypes = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of a wrapped key, so that another layout can come later. */
const WRAPPED_KEY_VERSION = 1;
const CIPHERTEXT_VERSION = 'v1';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What a summary is bound to: its patient and its meeting. */
export interface SummaryBinding {
  patientId: string;
  meetingId: string;
}

/** A wrapped key or a ciphertext that cannot be opened. The message never quotes the input, the text or a key. */
export class SummaryDecryptionError extends Error {
  constructor(reason: string) {
    super(`Synthèse illisible : ${reason}.`);
    this.name = 'SummaryDecryptionError';
  }
}

/** The master key and the id stored beside every key it wraps. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** A patient's data key as the vault stores it. */
export interface StoredKey {
  wrappedKey: Buffer;
  masterKeyId: string;
}

const keyAad = (patientId: string) => Buffer.from(`meetings-patient-key:${patientId}`, 'utf8');
const summaryAad = ({ patientId, meetingId }: SummaryBinding) => Buffer.from(`case-review:${meetingId}:${patientId}`, 'utf8');

/** A new stored key for the patient: a fresh data key, wrapped, and wiped. */
export function newStoredKey(master: MasterKey, patientId: string): StoredKey {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const { iv, tag, encrypted } = seal(master.key, dataKey, keyAad(patientId));
    return { wrappedKey: Buffer.concat([Buffer.from([WRAPPED_KEY_VERSION]), iv, tag, encrypted]), masterKeyId: master.id };
  } finally {
    dataKey.fill(0);
  }
}

/** Unwraps the patient's key, uses it, and wipes it: no clear data key outlives the call. */
export function withDataKey<T>(stored: StoredKey, master: MasterKey, patientId: string, use: (dataKey: Buffer) => T): T {
  if (stored.masterKeyId !== master.id) {
    throw new SummaryDecryptionError(`la clé du patient est protégée par la clé maîtresse « ${stored.masterKeyId} », inconnue de ce service (« ${master.id} »)`);
  }
  const wrapped = stored.wrappedKey;
  if (wrapped.length !== 1 + IV_BYTES + TAG_BYTES + KEY_BYTES || wrapped[0] !== WRAPPED_KEY_VERSION) throw new SummaryDecryptionError('la clé du patient stockée a un format inconnu');
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const dataKey = open(master.key, iv, tag, wrapped.subarray(1 + IV_BYTES + TAG_BYTES), keyAad(patientId), 'la clé du patient ne s’ouvre pas avec la clé maîtresse');
  try {
    return use(dataKey);
  } finally {
    dataKey.fill(0);
  }
}

/** `v1.<iv>.<tag>.<ciphertext>` in base64. */
export function encryptSummary(summary: string, dataKey: Buffer, binding: SummaryBinding): string {
  const { iv, tag, encrypted } = seal(dataKey, Buffer.from(summary, 'utf8'), summaryAad(binding));
  return [CIPHERTEXT_VERSION, iv.toString('base64'), tag.toString('base64'), encrypted.toString('base64')].join('.');
}

export function decryptSummary(ciphertext: string, dataKey: Buffer, binding: SummaryBinding): string {
  const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
  if (parts.length !== 4 || parts[0] !== CIPHERTEXT_VERSION || !parts.slice(1).every((part) => BASE64.test(part))) {
    throw new SummaryDecryptionError('le chiffré n’a pas le format attendu (v1.<iv>.<tag>.<données>)');
  }
  const [iv, tag, encrypted] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
  const clear = open(dataKey, iv, tag, encrypted, summaryAad(binding), 'le chiffré ne s’ouvre pas avec la clé du patient (altéré, ou d’un autre patient ou d’une autre réunion)');
  try {
    return clear.toString('utf8');
  } finally {
    clear.fill(0);
  }
}

function requireKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new Error(`La clé de chiffrement doit compter ${KEY_BYTES} octets.`);
}

function seal(key: Buffer, clear: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; encrypted: Buffer } {
  requireKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const encrypted = Buffer.concat([cipher.update(clear), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), encrypted };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, encrypted: Buffer, aad: Buffer, failure: string): Buffer {
  requireKey(key);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SummaryDecryptionError(failure);
  try {
    // authTagLength pins the tag size: a truncated tag would otherwise weaken the authentication.
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(encrypted), decipher.final()]);
  } catch {
    throw new SummaryDecryptionError(failure);
  }
}

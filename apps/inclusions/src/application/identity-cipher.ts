import { CipherGCMTypes, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ClearIdentity } from '@cnrms/domain-inclusions';

/**
 * The envelope encryption behind the identity vault, without I/O: a data key per patient, wrapped by the
 * master key, and the identity encrypted with the data key. Both layers are AES-256-GCM with associated
 * data naming the patient, so that a wrapped key or a ciphertext copied to another patient fails to open.
 */

const ALGORITHM: CipherGCMTypes = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of a wrapped key, so that another layout can come later. */
const WRAPPED_KEY_VERSION = 1;
const CIPHERTEXT_VERSION = 'v1';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A wrapped key or a ciphertext that cannot be opened: malformed, tampered with, or bound to another
 * patient or key. Its message says which layer failed and never quotes the input, the plaintext or a key.
 */
export class IdentityDecryptionError extends Error {
  constructor(reason: string) {
    super(`Identité du patient illisible : ${reason}.`);
    this.name = 'IdentityDecryptionError';
  }
}

/** A fresh random data key for one patient. */
export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** `version (1 byte) ‖ iv (12) ‖ tag (16) ‖ encrypted data key (32)`, bound to the patient. */
export function wrapDataKey(dataKey: Buffer, masterKey: Buffer, patientId: string): Buffer {
  requireKey(dataKey, 'La clé du patient');
  const { iv, tag, encrypted } = seal(masterKey, dataKey, keyAad(patientId));
  return Buffer.concat([Buffer.from([WRAPPED_KEY_VERSION]), iv, tag, encrypted]);
}

export function unwrapDataKey(wrapped: Buffer, masterKey: Buffer, patientId: string): Buffer {
  if (wrapped.length !== 1 + IV_BYTES + TAG_BYTES + KEY_BYTES || wrapped[0] !== WRAPPED_KEY_VERSION) {
    throw new IdentityDecryptionError('la clé du patient stockée a un format inconnu');
  }
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const encrypted = wrapped.subarray(1 + IV_BYTES + TAG_BYTES);
  return open(masterKey, iv, tag, encrypted, keyAad(patientId), 'la clé du patient ne s’ouvre pas avec la clé maîtresse (clé altérée, autre patient ou autre clé maîtresse)');
}

/** `v1.<iv>.<tag>.<ciphertext>` in base64: the identity's JSON, bound to the patient id. */
export function encryptIdentity(identity: ClearIdentity, dataKey: Buffer, patientId: string): string {
  const { iv, tag, encrypted } = seal(dataKey, Buffer.from(JSON.stringify(identity), 'utf8'), Buffer.from(patientId, 'utf8'));
  return [CIPHERTEXT_VERSION, iv.toString('base64'), tag.toString('base64'), encrypted.toString('base64')].join('.');
}

export function decryptIdentity(ciphertext: string, dataKey: Buffer, patientId: string): ClearIdentity {
  const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
  if (parts.length !== 4 || parts[0] !== CIPHERTEXT_VERSION || !parts.slice(1).every((part) => BASE64.test(part))) {
    throw new IdentityDecryptionError('le chiffré n’a pas le format attendu (v1.<iv>.<tag>.<données>)');
  }
  const [iv, tag, encrypted] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
  const clear = open(dataKey, iv, tag, encrypted, Buffer.from(patientId, 'utf8'), 'le chiffré ne s’ouvre pas avec la clé du patient (chiffré altéré ou d’un autre patient)');
  try {
    return JSON.parse(clear.toString('utf8')) as ClearIdentity;
  } catch {
    // JSON.parse's own message quotes the text: it must not reach a log.
    throw new IdentityDecryptionError('le contenu déchiffré n’est pas une identité');
  } finally {
    clear.fill(0);
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

/** Unwraps the patient's key, uses it, and wipes it: no clear data key outlives the call. */
export function withDataKey<T>(stored: StoredKey, master: MasterKey, patientId: string, use: (dataKey: Buffer) => T): T {
  if (stored.masterKeyId !== master.id) {
    throw new IdentityDecryptionError(`la clé du patient est protégée par la clé maîtresse « ${stored.masterKeyId} », inconnue de ce service (« ${master.id} »)`);
  }
  const dataKey = unwrapDataKey(stored.wrappedKey, master.key, patientId);
  try {
    return use(dataKey);
  } finally {
    dataKey.fill(0);
  }
}

/** A new stored key for the patient: a fresh data key, wrapped and wiped. */
export function newStoredKey(master: MasterKey, patientId: string): StoredKey {
  const dataKey = generateDataKey();
  try {
    return { wrappedKey: wrapDataKey(dataKey, master.key, patientId), masterKeyId: master.id };
  } finally {
    dataKey.fill(0);
  }
}

const keyAad = (patientId: string) => Buffer.from(`patient-key:${patientId}`, 'utf8');

function requireKey(key: Buffer, label: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new Error(`${label} doit compter ${KEY_BYTES} octets.`);
}

function seal(key: Buffer, clear: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; encrypted: Buffer } {
  requireKey(key, 'La clé de chiffrement');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const encrypted = Buffer.concat([cipher.update(clear), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), encrypted };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, encrypted: Buffer, aad: Buffer, failure: string): Buffer {
  requireKey(key, 'La clé de déchiffrement');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new IdentityDecryptionError(failure);
  try {
    // authTagLength pins the tag size: a truncated tag would otherwise weaken the authentication.
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(encrypted), decipher.final()]);
  } catch {
    throw new IdentityDecryptionError(failure);
  }
}

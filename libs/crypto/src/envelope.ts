import { CipherGCMTypes, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope encryption with crypto-shredding, without I/O: a data key per subject (a patient), wrapped by
 * the service's master key, and each text encrypted with the subject's data key. Both layers are
 * AES-256-GCM with associated data, so that a wrapped key or a ciphertext copied to another subject (or
 * to anything else the caller binds it to) fails to open. Destroying the wrapped key makes every text of
 * the subject unreadable for good. Each service keeps its own master key, key table and error.
 */

const ALGORITHM: CipherGCMTypes = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of a wrapped key, so that another layout can come later. */
const WRAPPED_KEY_VERSION = 1;
const CIPHERTEXT_VERSION = 'v1';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The master key and the id stored beside every key it wraps. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/**
 * The master keys a service holds: the current one wraps every new key; the previous ones (during a
 * rotation only) still open the keys they wrapped until the rotation re-wrapped them all.
 */
export interface MasterKeyring {
  current: MasterKey;
  previous: readonly MasterKey[];
}

/** The master key that wrapped a stored key: its id in the ring, else the current one (which then refuses it, naming the id). */
export function masterKeyFor(ring: MasterKeyring, masterKeyId: string): MasterKey {
  return masterKeyId === ring.current.id ? ring.current : (ring.previous.find((key) => key.id === masterKeyId) ?? ring.current);
}

/** A subject's data key as a vault stores it. */
export interface StoredKey {
  wrappedKey: Buffer;
  masterKeyId: string;
}

export interface EnvelopeOptions {
  /** The associated data binding a wrapped key to its subject (distinct per service). */
  keyBinding(subjectId: string): string;
  /** The error for what cannot be opened; `reason` never quotes the input, the text or a key. */
  failure(reason: string): Error;
}

/** Where a wrapped key or a ciphertext failed to open (the caller may say more in its own words). */
export interface FailureReasons {
  unwrap: string;
  decrypt: string;
}

const DEFAULT_REASONS: FailureReasons = {
  unwrap: 'la clé du patient ne s’ouvre pas avec la clé maîtresse (clé altérée, autre patient ou autre clé maîtresse)',
  decrypt: 'le chiffré ne s’ouvre pas avec la clé du patient (chiffré altéré ou d’un autre patient)',
};

export interface EnvelopeCipher {
  generateDataKey(): Buffer;
  /** `version (1 byte) ‖ iv (12) ‖ tag (16) ‖ encrypted data key (32)`, bound to the subject. */
  wrapDataKey(dataKey: Buffer, masterKey: Buffer, subjectId: string): Buffer;
  unwrapDataKey(wrapped: Buffer, masterKey: Buffer, subjectId: string): Buffer;
  /** A new stored key for the subject: a fresh data key, wrapped, and wiped. */
  newStoredKey(master: MasterKey, subjectId: string): StoredKey;
  /** Unwraps the subject's key, uses it, and wipes it: no clear data key outlives the call. */
  withDataKey<T>(stored: StoredKey, master: MasterKey, subjectId: string, use: (dataKey: Buffer) => T): T;
  /**
   * The same data key wrapped by another master key (a master key rotation): unwrapped with `from`,
   * wrapped with `to`, wiped. The subject's texts are untouched and stay readable.
   */
  rewrap(stored: StoredKey, from: MasterKey, to: MasterKey, subjectId: string): StoredKey;
  /** `v1.<iv>.<tag>.<ciphertext>` in base64, bound to `binding`. */
  encrypt(clear: string, dataKey: Buffer, binding: string): string;
  /** The clear text; the buffer that held it is wiped. */
  decrypt(ciphertext: string, dataKey: Buffer, binding: string, reason?: string): string;
}

export function envelopeCipher(options: EnvelopeOptions, reasons: FailureReasons = DEFAULT_REASONS): EnvelopeCipher {
  const keyAad = (subjectId: string) => Buffer.from(options.keyBinding(subjectId), 'utf8');

  function seal(key: Buffer, clear: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; encrypted: Buffer } {
    requireKey(key, 'La clé de chiffrement');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const encrypted = Buffer.concat([cipher.update(clear), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), encrypted };
  }

  function open(key: Buffer, iv: Buffer, tag: Buffer, encrypted: Buffer, aad: Buffer, reason: string): Buffer {
    requireKey(key, 'La clé de déchiffrement');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw options.failure(reason);
    try {
      // authTagLength pins the tag size: a truncated tag would otherwise weaken the authentication.
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(encrypted), decipher.final()]);
    } catch {
      throw options.failure(reason);
    }
  }

  const cipher: EnvelopeCipher = {
    generateDataKey: () => randomBytes(KEY_BYTES),

    wrapDataKey(dataKey, masterKey, subjectId) {
      requireKey(dataKey, 'La clé du patient');
      const { iv, tag, encrypted } = seal(masterKey, dataKey, keyAad(subjectId));
      return Buffer.concat([Buffer.from([WRAPPED_KEY_VERSION]), iv, tag, encrypted]);
    },

    unwrapDataKey(wrapped, masterKey, subjectId) {
      if (wrapped.length !== 1 + IV_BYTES + TAG_BYTES + KEY_BYTES || wrapped[0] !== WRAPPED_KEY_VERSION) throw options.failure('la clé du patient stockée a un format inconnu');
      const iv = wrapped.subarray(1, 1 + IV_BYTES);
      const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      return open(masterKey, iv, tag, wrapped.subarray(1 + IV_BYTES + TAG_BYTES), keyAad(subjectId), reasons.unwrap);
    },

    newStoredKey(master, subjectId) {
      const dataKey = cipher.generateDataKey();
      try {
        return { wrappedKey: cipher.wrapDataKey(dataKey, master.key, subjectId), masterKeyId: master.id };
      } finally {
        dataKey.fill(0);
      }
    },

    withDataKey(stored, master, subjectId, use) {
      if (stored.masterKeyId !== master.id) {
        throw options.failure(`la clé du patient est protégée par la clé maîtresse « ${stored.masterKeyId} », inconnue de ce service (« ${master.id} »)`);
      }
      const dataKey = cipher.unwrapDataKey(stored.wrappedKey, master.key, subjectId);
      try {
        return use(dataKey);
      } finally {
        dataKey.fill(0);
      }
    },

    rewrap(stored, from, to, subjectId) {
      return { wrappedKey: cipher.withDataKey(stored, from, subjectId, (dataKey) => cipher.wrapDataKey(dataKey, to.key, subjectId)), masterKeyId: to.id };
    },

    encrypt(clear, dataKey, binding) {
      const { iv, tag, encrypted } = seal(dataKey, Buffer.from(clear, 'utf8'), Buffer.from(binding, 'utf8'));
      return [CIPHERTEXT_VERSION, iv.toString('base64'), tag.toString('base64'), encrypted.toString('base64')].join('.');
    },

    decrypt(ciphertext, dataKey, binding, reason = reasons.decrypt) {
      const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
      if (parts.length !== 4 || parts[0] !== CIPHERTEXT_VERSION || !parts.slice(1).every((part) => BASE64.test(part))) {
        throw options.failure('le chiffré n’a pas le format attendu (v1.<iv>.<tag>.<données>)');
      }
      const [iv, tag, encrypted] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
      const clear = open(dataKey, iv, tag, encrypted, Buffer.from(binding, 'utf8'), reason);
      try {
        return clear.toString('utf8');
      } finally {
        clear.fill(0);
      }
    },
  };
  return cipher;
}

function requireKey(key: Buffer, label: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new Error(`${label} doit compter ${KEY_BYTES} octets.`);
}

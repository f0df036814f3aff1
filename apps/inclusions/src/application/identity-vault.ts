import { DomainError } from '@cnrms/decider';
import { ClearIdentity } from '@cnrms/domain-inclusions';
import { PoolClient } from 'pg';

export const IDENTITY_VAULT = Symbol('IDENTITY_VAULT');

/**
 * Envelope encryption of patients' identities (crypto-shredding). Each patient has a data key of their
 * own (AES-256-GCM), stored wrapped by the master key; the patient stream and the read models only hold
 * the ciphertext. Destroying the key erases the identity everywhere at once, replays included.
 *
 * Adapters keep no clear data key between calls: a destroyed key must be unusable at once on every
 * instance. A ciphertext that is malformed, tampered with or bound to another patient makes `open` and
 * `openMany` throw an `IdentityDecryptionError` (never `null`, which means erased).
 */
export interface IdentityVault {
  /**
   * Encrypts the identity with the patient's data key, bound to the patient id; the key is created
   * (wrapped, in the key table) on the patient's first seal and reused after. With `tx`, the key row is
   * written in that transaction. Throws `PATIENT_ERASED` once the patient's key is destroyed.
   */
  seal(patientId: string, identity: ClearIdentity, tx?: PoolClient): Promise<string>;
  /** The clear identity, or `null` once the patient's key is destroyed. */
  open(patientId: string, ciphertext: string): Promise<ClearIdentity | null>;
  /** Many at once (a caseload): one key lookup for all; erased patients map to `null`. */
  openMany(entries: readonly { patientId: string; ciphertext: string }[]): Promise<Map<string, ClearIdentity | null>>;
  /**
   * Free text about the patient (care plan, the reason of an assessment out of its window), encrypted with
   * the same data key: it is shredded with the identity. Throws `PATIENT_ERASED` once the key is destroyed.
   */
  sealText(patientId: string, text: string, tx?: PoolClient): Promise<string>;
  /** The clear text, or `null` once the patient's key is destroyed. */
  openText(patientId: string, ciphertext: string): Promise<string | null>;
  /** Destroys the patient's data key for good, and bars a new one. Destroying twice changes nothing. */
  destroy(patientId: string, tx?: PoolClient): Promise<void>;
  /** Whether the patient's key was destroyed. */
  isDestroyed(patientId: string): Promise<boolean>;
}

export const PATIENT_ERASED = 'PATIENT_ERASED';

/** Sealing for a patient whose key was destroyed: their identity was erased and cannot be recorded again. */
export function patientErasedError(patientId: string): DomainError {
  return new DomainError(
    PATIENT_ERASED,
    'L’identité de ce patient a été effacée à sa demande : elle ne peut plus être enregistrée ni modifiée.',
    'RULE_VIOLATION',
    { patientId },
  );
}

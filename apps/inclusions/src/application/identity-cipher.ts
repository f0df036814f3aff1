import { envelopeCipher } from '@cnrms/crypto';
import { ClearIdentity } from '@cnrms/domain-inclusions';

export { KEY_BYTES, type MasterKey, type StoredKey } from '@cnrms/crypto';

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

/**
 * The envelope encryption behind the identity vault (`@cnrms/crypto`): a data key per patient, bound to
 * `patient-key:<id>`, and the identity's JSON encrypted with it, bound to the patient id.
 */
const cipher = envelopeCipher({ keyBinding: (patientId) => `patient-key:${patientId}`, failure: (reason) => new IdentityDecryptionError(reason) });

export const { generateDataKey, wrapDataKey, unwrapDataKey, newStoredKey, withDataKey, rewrap } = cipher;

export function encryptIdentity(identity: ClearIdentity, dataKey: Buffer, patientId: string): string {
  return cipher.encrypt(JSON.stringify(identity), dataKey, patientId);
}

export function decryptIdentity(ciphertext: string, dataKey: Buffer, patientId: string): ClearIdentity {
  const clear = cipher.decrypt(ciphertext, dataKey, patientId);
  try {
    return JSON.parse(clear) as ClearIdentity;
  } catch {
    // JSON.parse's own message quotes the text: it must not reach a log.
    throw new IdentityDecryptionError('le contenu déchiffré n’est pas une identité');
  }
}

/** Free text about a patient (care plan, a reason), encrypted with the patient's data key, bound to the patient id. */
export function encryptPatientText(text: string, dataKey: Buffer, patientId: string): string {
  return cipher.encrypt(text, dataKey, patientId);
}

export function decryptPatientText(ciphertext: string, dataKey: Buffer, patientId: string): string {
  return cipher.decrypt(ciphertext, dataKey, patientId);
}

import { envelopeCipher } from '@cnrms/crypto';

export { KEY_BYTES, type MasterKey, type StoredKey } from '@cnrms/crypto';

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

/**
 * The envelope encryption behind the summary vault (`@cnrms/crypto`), with this service's own master key:
 * the wrapped key names the patient (`meetings-patient-key:<id>`), a summary names its patient and its
 * meeting, so that a ciphertext copied to another patient or another meeting fails to open.
 */
const cipher = envelopeCipher(
  { keyBinding: (patientId) => `meetings-patient-key:${patientId}`, failure: (reason) => new SummaryDecryptionError(reason) },
  { unwrap: 'la clé du patient ne s’ouvre pas avec la clé maîtresse', decrypt: 'le chiffré ne s’ouvre pas avec la clé du patient (altéré, ou d’un autre patient ou d’une autre réunion)' },
);

export const { newStoredKey, withDataKey, rewrap } = cipher;

const summaryBinding = ({ patientId, meetingId }: SummaryBinding) => `case-review:${meetingId}:${patientId}`;

export function encryptSummary(summary: string, dataKey: Buffer, binding: SummaryBinding): string {
  return cipher.encrypt(summary, dataKey, summaryBinding(binding));
}

export function decryptSummary(ciphertext: string, dataKey: Buffer, binding: SummaryBinding): string {
  return cipher.decrypt(ciphertext, dataKey, summaryBinding(binding));
}

import { DomainError } from '@cnrms/decider';

export const SUMMARY_VAULT = Symbol('SUMMARY_VAULT');

/** A summary to open: its ciphertext and what it is bound to. */
export interface SealedSummary {
  patientId: string;
  meetingId: string;
  ciphertext: string;
}

/**
 * Envelope encryption of the case reviews' situation summaries (crypto-shredding), on the model of the
 * inclusions' identity vault but with this service's own keys: each patient has a data key, stored
 * wrapped by `MEETINGS_MASTER_KEY`; the event store and the read models only hold ciphertexts. When the
 * inclusions service announces the patient's erasure, the key is destroyed and every summary of that
 * patient becomes unreadable at once, replays included. No clear data key is kept between calls.
 */
export interface SummaryVault {
  /** Encrypts the summary with the patient's key (created on first use). Throws `PATIENT_ERASED` once destroyed. */
  seal(patientId: string, meetingId: string, summary: string): Promise<string>;
  /** Those of `patientIds` whose key was destroyed (checked before sealing anything, so that a refusal creates no key). */
  erased(patientIds: readonly string[]): Promise<string[]>;
  /** The clear summaries in the order given; `null` where the patient's key was destroyed. */
  openMany(entries: readonly SealedSummary[]): Promise<(string | null)[]>;
}

export function patientErasedError(patientId: string): DomainError {
  return new DomainError('PATIENT_ERASED', 'Ce patient a demandé l’effacement de ses données : aucune synthèse ne peut plus être enregistrée à son sujet.', 'RULE_VIOLATION', { patientId });
}

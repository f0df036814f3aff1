import { decryptIdentity, IdentityDecryptionError, withDataKey } from './identity-cipher';

// Written by the service before its cipher moved to @cnrms/crypto (master key of 32 bytes of 7s): what is
// already in the event stores and key tables must stay readable.
const master = { id: 'fixture-1', key: Buffer.alloc(32, 7) };
const stored = { masterKeyId: 'fixture-1', wrappedKey: Buffer.from('Aaj91+ve4NUWopj6mivuweDrEQJ7gl9Vdr28cVigtgx/WGB60qMqTLkEHsfUaReiVMF+K/YJzf5lRh3l1A==', 'base64') };
const ciphertext = 'v1.mtceL4AOzQjkieWQ.f9+AnIHKHEhNl3iWPfLnQA==.aZlGx4hO/IP0EoeS7KV20Z1CWRSZdS+PuS/j5n/BplVGMYRxHgQYirweF1N3ojSZk2ppHIfxdYdqGsYbD51Cer86GxQ7rgvojy/Ksh7eh5M=';

describe('identity cipher', () => {
  it('opens an identity sealed by the earlier implementation', () => {
    expect(withDataKey(stored, master, 'patient-fixture', (key) => decryptIdentity(ciphertext, key, 'patient-fixture'))).toEqual({ lastName: 'Fictif', firstName: 'Alix', birthDate: '1980-02-03', sex: 'FEMALE' });
  });

  it('refuses it for another patient, with its own error', () => {
    expect(() => withDataKey(stored, master, 'patient-other', () => undefined)).toThrow(IdentityDecryptionError);
    expect(() => withDataKey(stored, master, 'patient-fixture', (key) => decryptIdentity(ciphertext, key, 'patient-other'))).toThrow(/Identité du patient illisible : .*autre patient/);
  });
});

import { randomBytes } from 'node:crypto';
import { decryptSummary, encryptSummary, MasterKey, newStoredKey, SummaryDecryptionError, withDataKey } from './summary-cipher';

const master: MasterKey = { id: 'test-1', key: randomBytes(32) };
const binding = { patientId: 'pat-1', meetingId: 'meet-1' };
const summary = 'Rupture d’hébergement ; reprise de contact avec le CSAPA.';

describe('summary cipher', () => {
  const stored = newStoredKey(master, 'pat-1');
  const seal = (text = summary, to = binding) => withDataKey(stored, master, 'pat-1', (key) => encryptSummary(text, key, to));
  const open = (ciphertext: string, from = binding) => withDataKey(stored, master, 'pat-1', (key) => decryptSummary(ciphertext, key, from));

  it('opens what it sealed, and never leaves the text readable in the ciphertext', () => {
    const ciphertext = seal();
    expect(ciphertext).toMatch(/^v1\./);
    expect(ciphertext).not.toContain('CSAPA');
    expect(open(ciphertext)).toBe(summary);
  });

  it('uses a fresh nonce each time', () => {
    expect(seal()).not.toBe(seal());
  });

  it('refuses a ciphertext moved to another meeting or another patient', () => {
    const ciphertext = seal();
    expect(() => open(ciphertext, { ...binding, meetingId: 'meet-2' })).toThrow(SummaryDecryptionError);
    expect(() => withDataKey(stored, master, 'pat-2', () => undefined)).toThrow(SummaryDecryptionError);
  });

  it('refuses a tampered or malformed ciphertext without quoting it', () => {
    const [v, iv, tag, data] = seal().split('.');
    const tampered = [v, iv, tag, Buffer.from(Buffer.from(data, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64')].join('.');
    expect(() => open(tampered)).toThrow(SummaryDecryptionError);
    expect(() => open('not a ciphertext')).toThrow(/format attendu/);
  });

  it('refuses a key wrapped by another master key', () => {
    expect(() => withDataKey(stored, { id: 'test-1', key: randomBytes(32) }, 'pat-1', () => undefined)).toThrow(SummaryDecryptionError);
    expect(() => withDataKey(stored, { id: 'other', key: master.key }, 'pat-1', () => undefined)).toThrow(/clé maîtresse « test-1 »/);
  });

  it('opens a summary sealed by the earlier implementation (before @cnrms/crypto)', () => {
    const fixtureMaster = { id: 'fixture-1', key: Buffer.alloc(32, 7) };
    const fixtureKey = { masterKeyId: 'fixture-1', wrappedKey: Buffer.from('AfU5SbF/Hsv+wCD31d2l5Bl0J0nbP73NUH+heZhT0zFH4QQXY2qXaHmHBOnGR1DZsfC2aYcgzgg07NfN6Q==', 'base64') };
    const sealed = 'v1.5yCLLokOXv5JZ2SU.6qlwqasLsIyTwqUzvD7LYw==.skgNo9uSJwzqW/TFi75LHQU=';
    expect(withDataKey(fixtureKey, fixtureMaster, 'patient-fixture', (key) => decryptSummary(sealed, key, { patientId: 'patient-fixture', meetingId: 'meeting-fixture' }))).toBe('Synthèse fictive');
  });
});

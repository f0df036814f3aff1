import { randomBytes } from 'node:crypto';
import { envelopeCipher, MasterKey, masterKeyFor } from './envelope';

class Unreadable extends Error {}
const cipher = envelopeCipher({ keyBinding: (id) => `test-key:${id}`, failure: (reason) => new Unreadable(reason) });
const master: MasterKey = { id: 'test-1', key: randomBytes(32) };

describe('envelope cipher', () => {
  const stored = cipher.newStoredKey(master, 'subject-1');
  const seal = (text: string, binding = 'subject-1') => cipher.withDataKey(stored, master, 'subject-1', (key) => cipher.encrypt(text, key, binding));
  const open = (ciphertext: string, binding = 'subject-1') => cipher.withDataKey(stored, master, 'subject-1', (key) => cipher.decrypt(ciphertext, key, binding));

  it('opens what it sealed, with a fresh nonce each time, and never shows the text in the ciphertext', () => {
    const first = seal('Suivi au CSAPA');
    expect(first).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(first).not.toContain('CSAPA');
    expect(seal('Suivi au CSAPA')).not.toBe(first);
    expect(open(first)).toBe('Suivi au CSAPA');
  });

  it('refuses a ciphertext bound to something else, and a key unwrapped for another subject', () => {
    expect(() => open(seal('texte'), 'subject-2')).toThrow(Unreadable);
    expect(() => cipher.withDataKey(stored, master, 'subject-2', () => undefined)).toThrow(Unreadable);
  });

  it('refuses a tampered ciphertext, a malformed one, and says so without quoting it', () => {
    const [version, iv, tag, data] = seal('texte secret').split('.');
    const flipped = Buffer.from(data, 'base64');
    flipped[0] ^= 1;
    expect(() => open([version, iv, tag, flipped.toString('base64')].join('.'))).toThrow(Unreadable);
    expect(() => open('texte secret en clair')).toThrow(/format attendu/);
    try {
      open('texte secret en clair');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('refuses a key wrapped by another master key, or stored under another master key id', () => {
    expect(() => cipher.withDataKey(stored, { id: 'test-1', key: randomBytes(32) }, 'subject-1', () => undefined)).toThrow(/clé maîtresse/);
    expect(() => cipher.withDataKey(stored, { id: 'test-2', key: master.key }, 'subject-1', () => undefined)).toThrow(/« test-1 », inconnue de ce service \(« test-2 »\)/);
    expect(() => cipher.unwrapDataKey(Buffer.alloc(10), master.key, 'subject-1')).toThrow(/format inconnu/);
  });

  it('wipes the data key once used', () => {
    let kept: Buffer | undefined;
    cipher.withDataKey(stored, master, 'subject-1', (key) => (kept = key));
    expect(kept!.equals(Buffer.alloc(32))).toBe(true);
  });

  it('refuses keys of the wrong length', () => {
    expect(() => cipher.encrypt('texte', Buffer.alloc(16), 'subject-1')).toThrow(/32 octets/);
    expect(() => cipher.wrapDataKey(Buffer.alloc(31), master.key, 'subject-1')).toThrow(/32 octets/);
  });

  it('keeps the bindings of each service apart', () => {
    const other = envelopeCipher({ keyBinding: (id) => `other-key:${id}`, failure: (reason) => new Unreadable(reason) });
    expect(() => other.withDataKey(stored, master, 'subject-1', () => undefined)).toThrow(Unreadable);
  });
});

describe('master key rotation', () => {
  const next: MasterKey = { id: 'test-2', key: randomBytes(32) };

  it('re-wraps a data key under the new master key: the texts open with the new key alone, not with the old one', () => {
    const stored = cipher.newStoredKey(master, 'subject-1');
    const ciphertext = cipher.withDataKey(stored, master, 'subject-1', (key) => cipher.encrypt('Identité', key, 'subject-1'));
    const rewrapped = cipher.rewrap(stored, master, next, 'subject-1');
    expect(rewrapped.masterKeyId).toBe('test-2');
    expect(rewrapped.wrappedKey.equals(stored.wrappedKey)).toBe(false);
    expect(cipher.withDataKey(rewrapped, next, 'subject-1', (key) => cipher.decrypt(ciphertext, key, 'subject-1'))).toBe('Identité');
    expect(() => cipher.withDataKey({ ...rewrapped, masterKeyId: master.id }, master, 'subject-1', () => undefined)).toThrow(Unreadable);
  });

  it('refuses to re-wrap with the wrong old key or for another subject', () => {
    const stored = cipher.newStoredKey(master, 'subject-1');
    expect(() => cipher.rewrap(stored, { id: master.id, key: randomBytes(32) }, next, 'subject-1')).toThrow(Unreadable);
    expect(() => cipher.rewrap(stored, master, next, 'subject-2')).toThrow(Unreadable);
  });

  it('finds the master key of a stored key in the ring, and falls back on the current one (which refuses it)', () => {
    const ring = { current: next, previous: [master] };
    expect(masterKeyFor(ring, 'test-1')).toBe(master);
    expect(masterKeyFor(ring, 'test-2')).toBe(next);
    expect(masterKeyFor(ring, 'unknown')).toBe(next);
  });
});

import { randomUUID } from 'node:crypto';
import { ClearIdentity } from '@cnrms/domain-inclusions';
import { IdentityDecryptionError } from './identity-cipher';
import { IdentityVault, PATIENT_ERASED } from './identity-vault';

export interface IdentityVaultFixture {
  vault: IdentityVault;
  teardown(): Promise<void>;
  /** The patient's clear data key, read under the port, for adapters whose key table a test can look at. */
  dataKeyOf?(patientId: string): Promise<Buffer | null>;
}

export const anIdentity = (overrides: Partial<ClearIdentity> = {}): ClearIdentity => ({
  lastName: 'N’Diaye-Lefèvre',
  firstName: 'Marie-Hélène',
  birthDate: '1984-03-12',
  sex: 'FEMALE',
  contact: '06 12 34 56 78, 3 rue des Tanneurs, Colmar',
  socialSecurityNumber: '284036812345678',
  ...overrides,
});

/** The ciphertext with one byte of its `part` (1 iv, 2 tag, 3 data) changed. */
export function tampered(ciphertext: string, part: 1 | 2 | 3): string {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[part], 'base64');
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString('base64');
  return parts.join('.');
}

/**
 * The behaviour every identity vault adapter must have. Each adapter's test file calls it with a factory
 * returning a fresh, empty vault.
 */
export function identityVaultContract(name: string, setup: () => Promise<IdentityVaultFixture>): void {
  describe(`${name} identity vault (contract)`, () => {
    let fixture: IdentityVaultFixture;
    let vault: IdentityVault;
    const patient = () => `patient-${randomUUID()}`;

    beforeEach(async () => {
      fixture = await setup();
      vault = fixture.vault;
    });
    afterEach(() => fixture.teardown());

    describe('sealing and opening', () => {
      it('gives back the identity it sealed, optional fields included or not', async () => {
        const [full, minimal] = [patient(), patient()];
        const identity = anIdentity({ lastName: 'Öztürk', firstName: 'Zoë' });
        const bare: ClearIdentity = { lastName: 'Martin', firstName: 'Paul', birthDate: '1950-01-31', sex: 'MALE' };
        const ciphertext = await vault.seal(full, identity);
        expect(ciphertext).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
        expect(ciphertext).not.toContain('Öztürk');
        expect(await vault.open(full, ciphertext)).toEqual(identity);
        expect(await vault.open(minimal, await vault.seal(minimal, bare))).toEqual(bare);
        expect(await vault.isDestroyed(full)).toBe(false);
      });

      it('gives a new ciphertext each time, all readable with the patient’s one key', async () => {
        const id = patient();
        const first = await vault.seal(id, anIdentity());
        const keyAfterFirst = await fixture.dataKeyOf?.(id);
        const second = await vault.seal(id, anIdentity());
        expect(second).not.toEqual(first);
        expect(second.split('.')[1]).not.toEqual(first.split('.')[1]);
        expect(await vault.open(id, first)).toEqual(anIdentity());
        expect(await vault.open(id, second)).toEqual(anIdentity());
        if (fixture.dataKeyOf) expect(await fixture.dataKeyOf(id)).toEqual(keyAfterFirst);
      });

      it('shares one key between first seals running at the same time', async () => {
        const id = patient();
        const ciphertexts = await Promise.all(Array.from({ length: 8 }, (_, i) => vault.seal(id, anIdentity({ firstName: `Prénom${'a'.repeat(i)}` }))));
        const opened = await Promise.all(ciphertexts.map((ciphertext) => vault.open(id, ciphertext)));
        expect(opened.map((identity) => identity?.firstName)).toEqual(Array.from({ length: 8 }, (_, i) => `Prénom${'a'.repeat(i)}`));
      });
    });

    describe('between two patients', () => {
      it('uses a key and a ciphertext of each patient’s own', async () => {
        const [a, b] = [patient(), patient()];
        const forA = await vault.seal(a, anIdentity());
        const forB = await vault.seal(b, anIdentity());
        expect(forA).not.toEqual(forB);
        if (fixture.dataKeyOf) {
          const [keyA, keyB] = [await fixture.dataKeyOf(a), await fixture.dataKeyOf(b)];
          expect(keyA).toHaveLength(32);
          expect(keyB).toHaveLength(32);
          expect(keyA?.equals(keyB as Buffer)).toBe(false);
        }
        await vault.destroy(a);
        expect(await vault.open(b, forB)).toEqual(anIdentity());
      });

      it('refuses to open patient A’s ciphertext as patient B', async () => {
        const [a, b] = [patient(), patient()];
        const forA = await vault.seal(a, anIdentity());
        await vault.seal(b, anIdentity({ lastName: 'Bernard' }));
        await expect(vault.open(b, forA)).rejects.toBeInstanceOf(IdentityDecryptionError);
        await expect(vault.openMany([{ patientId: b, ciphertext: forA }])).rejects.toBeInstanceOf(IdentityDecryptionError);
      });

      it('refuses a ciphertext for a patient who has no key', async () => {
        const forA = await vault.seal(patient(), anIdentity());
        await expect(vault.open(patient(), forA)).rejects.toBeInstanceOf(IdentityDecryptionError);
      });
    });

    describe('when the ciphertext was tampered with', () => {
      it.each([
        ['its iv', (c: string) => tampered(c, 1)],
        ['its tag', (c: string) => tampered(c, 2)],
        ['its data', (c: string) => tampered(c, 3)],
        ['its version', (c: string) => c.replace(/^v1\./, 'v2.')],
        ['its length', (c: string) => c.slice(0, -8)],
        ['its shape', (c: string) => c.split('.').slice(0, 3).join('.')],
        ['into garbage', () => 'not a ciphertext'],
      ])('refuses it when changed in %s, quoting nothing of it', async (_, change) => {
        const id = patient();
        const ciphertext = change(await vault.seal(id, anIdentity()));
        const failure = await vault.open(id, ciphertext).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(IdentityDecryptionError);
        const message = (failure as Error).message;
        for (const secret of ['Marie', 'Lefèvre', '1984', '284036812345678', ciphertext.split('.')[3] ?? ciphertext]) expect(message).not.toContain(secret);
      });
    });

    describe('when the patient’s key is destroyed', () => {
      it('opens to null, says so, refuses a new seal, and accepts a second destroy', async () => {
        const id = patient();
        const ciphertext = await vault.seal(id, anIdentity());
        await vault.destroy(id);
        expect(await vault.open(id, ciphertext)).toBeNull();
        expect(await vault.isDestroyed(id)).toBe(true);
        await expect(vault.seal(id, anIdentity())).rejects.toMatchObject({ code: PATIENT_ERASED, message: expect.stringContaining('effacée') });
        await vault.destroy(id);
        expect(await vault.isDestroyed(id)).toBe(true);
        expect(await vault.open(id, ciphertext)).toBeNull();
        if (fixture.dataKeyOf) expect(await fixture.dataKeyOf(id)).toBeNull();
      });

      it('bars a key for good even when the patient never had one', async () => {
        const id = patient();
        expect(await vault.isDestroyed(id)).toBe(false);
        await vault.destroy(id);
        expect(await vault.isDestroyed(id)).toBe(true);
        await expect(vault.seal(id, anIdentity())).rejects.toMatchObject({ code: PATIENT_ERASED });
      });
    });

    describe('free text about the patient (care plan, reasons)', () => {
      it('seals it with the patient’s key, opens it, and shreds it with the identity', async () => {
        const id = patient();
        const identity = await vault.seal(id, anIdentity());
        const text = JSON.stringify({ goals: ['Marie veut réduire sa consommation'], nextSteps: [] });
        const sealed = await vault.sealText(id, text);
        expect(sealed).not.toContain('Marie');
        expect(await vault.openText(id, sealed)).toBe(text);
        // Bound to the patient: another patient's key does not open it.
        const other = patient();
        await vault.seal(other, anIdentity());
        await expect(vault.openText(other, sealed)).rejects.toBeInstanceOf(IdentityDecryptionError);
        await vault.destroy(id);
        expect(await vault.openText(id, sealed)).toBeNull();
        expect(await vault.open(id, identity)).toBeNull();
        await expect(vault.sealText(id, 'encore')).rejects.toMatchObject({ code: PATIENT_ERASED });
      });
    });

    describe('opening many', () => {
      it('maps live patients to their identity and erased ones to null', async () => {
        const [live1, erased, live2] = [patient(), patient(), patient()];
        const entries = [
          { patientId: live1, ciphertext: await vault.seal(live1, anIdentity({ lastName: 'Un' })) },
          { patientId: erased, ciphertext: await vault.seal(erased, anIdentity({ lastName: 'Deux' })) },
          { patientId: live2, ciphertext: await vault.seal(live2, anIdentity({ lastName: 'Trois' })) },
        ];
        await vault.destroy(erased);
        const opened = await vault.openMany(entries);
        expect([...opened.entries()]).toEqual([
          [live1, anIdentity({ lastName: 'Un' })],
          [erased, null],
          [live2, anIdentity({ lastName: 'Trois' })],
        ]);
      });

      it('answers an empty map for no entries', async () => {
        expect((await vault.openMany([])).size).toBe(0);
      });

      it('refuses the whole batch when one ciphertext was tampered with', async () => {
        const [a, b] = [patient(), patient()];
        const entries = [
          { patientId: a, ciphertext: await vault.seal(a, anIdentity()) },
          { patientId: b, ciphertext: tampered(await vault.seal(b, anIdentity()), 3) },
        ];
        await expect(vault.openMany(entries)).rejects.toBeInstanceOf(IdentityDecryptionError);
      });
    });
  });
}

import { randomBytes } from 'node:crypto';
import { unwrapDataKey } from '../application/identity-cipher';
import { identityVaultContract } from '../application/identity-vault.contract';
import { InMemoryIdentityVault } from './in-memory-identity-vault';

identityVaultContract('In-memory', async () => {
  const masterKey = randomBytes(32);
  const vault = new InMemoryIdentityVault(masterKey, 'test-1');
  return {
    vault,
    teardown: async () => undefined,
    async dataKeyOf(patientId) {
      const stored = vault.storedKeyOf(patientId);
      return stored && unwrapDataKey(stored.wrappedKey, masterKey, patientId);
    },
  };
});

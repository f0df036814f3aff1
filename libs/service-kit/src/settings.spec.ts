import { codedScaleFrom, integerFrom, masterKeyFrom, previousMasterKeysFrom } from './settings';

const devKey = Buffer.alloc(32, 1);
const key = Buffer.alloc(32, 2).toString('base64');

describe('service settings readers', () => {
  it('reads a master key and its id, falls back to the development key outside production only', () => {
    const problems: string[] = [];
    expect(masterKeyFrom({ VAULT_KEY: key, VAULT_KEY_ID: 'hds-2' }, 'VAULT_KEY', devKey, true, problems)).toEqual({ masterKey: Buffer.from(key, 'base64'), masterKeyId: 'hds-2', usesDevelopmentMasterKey: false });
    expect(masterKeyFrom({}, 'VAULT_KEY', devKey, false, problems)).toEqual({ masterKey: devKey, masterKeyId: 'dev-1', usesDevelopmentMasterKey: true });
    expect(problems).toEqual([]);
    masterKeyFrom({}, 'VAULT_KEY', devKey, true, problems);
    masterKeyFrom({ VAULT_KEY: devKey.toString('base64') }, 'VAULT_KEY', devKey, true, problems);
    masterKeyFrom({ VAULT_KEY: 'c2hvcnQ=', VAULT_KEY_ID: 'bad id' }, 'VAULT_KEY', devKey, false, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^VAULT_KEY : obligatoire en production/),
      expect.stringMatching(/^VAULT_KEY : la clé de développement est refusée/),
      expect.stringMatching(/^VAULT_KEY_ID : « bad id »/),
      expect.stringMatching(/^VAULT_KEY : doit être le base64 d’exactement 32 octets/),
    ]);
    expect(problems.join()).not.toContain('c2hvcnQ=');
  });

  it('reads bounded integers', () => {
    const problems: string[] = [];
    expect([integerFrom({ N: ' 12 ' }, 'N', 3, 1, 24, problems), integerFrom({}, 'N', 3, 1, 24, problems)]).toEqual([12, 3]);
    expect(integerFrom({ N: '25' }, 'N', 3, 1, 24, problems)).toBe(3);
    expect(problems).toEqual(['N : « 25 » doit être un entier entre 1 et 24']);
  });

  it('reads a scale of codes with strictly increasing numbers', () => {
    const problems: string[] = [];
    expect(codedScaleFrom({ S: ' A:0 , B:6' }, 'S', 'A:0', 'mois', problems)).toEqual([{ code: 'A', value: 0 }, { code: 'B', value: 6 }]);
    for (const bad of ['A:0,B', 'A:0,a:1', 'A:0,B:1.5', 'A:0,A:6', 'A:6,B:3']) codedScaleFrom({ S: bad }, 'S', 'A:0', 'mois', problems);
    expect(problems.map((p) => p.split(' : ')[0])).toEqual(['S', 'S', 'S', 'S', 'S']);
  });
});

describe('previous master keys (a rotation)', () => {
  it('reads id:base64 pairs, and names the faulty entry without quoting a key', () => {
    const problems: string[] = [];
    expect(previousMasterKeysFrom({}, 'OLD', 'k2', problems)).toEqual([]);
    expect(previousMasterKeysFrom({ OLD: `k1:${key}, k0:${devKey.toString('base64')}` }, 'OLD', 'k2', problems)).toEqual([
      { id: 'k1', key: Buffer.from(key, 'base64') },
      { id: 'k0', key: devKey },
    ]);
    expect(problems).toEqual([]);
    previousMasterKeysFrom({ OLD: `${key},k1:c2hvcnQ=,k2:${key},k1:${key},k1:${key}` }, 'OLD', 'k2', problems);
    expect(problems).toEqual([
      expect.stringMatching(/^OLD : l’entrée n° 1 doit s’écrire <id>:<clé en base64>/),
      expect.stringMatching(/^OLD : la clé « k1 » doit être le base64/),
      expect.stringMatching(/^OLD : la clé « k2 » porte l’id de la clé maîtresse actuelle/),
      expect.stringMatching(/^OLD : la clé « k1 » est donnée deux fois/),
    ]);
    expect(problems.join()).not.toContain(key);
  });
});

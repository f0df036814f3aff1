import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { OidcTokenVerifier } from './oidc';
import { TestIdentityProvider as TestProvider } from './testing';
import { DEV_JWT_SECRET, issueToken } from './tokens';

const coordinatorClaims = { name: 'Camille Coordination', roles: ['regional_coordinator'], networkIds: ['net-1'] };

describe('OIDC access tokens of the identity provider', () => {
  let provider: TestProvider;
  let verifier: OidcTokenVerifier;
  const reasonOf = async (token: string, by = verifier) => {
    try {
      await by.verify(token);
    } catch (error) {
      return (error as { reason?: string }).reason;
    }
    return 'ACCEPTED';
  };

  beforeEach(async () => {
    provider = await new TestProvider().start();
    provider.addKey('key-1');
    verifier = new OidcTokenVerifier({ issuer: provider.issuer, audience: 'cnrms-dashboard', minRefreshMs: 0 });
  });
  afterEach(() => provider.stop());

  it('verifies the signature with the published keys and reads the platform’s claims', async () => {
    await expect(verifier.verify(provider.sign(coordinatorClaims))).resolves.toEqual({
      userId: 'idp-user-42',
      displayName: 'Camille Coordination',
      roles: ['regional_coordinator'],
      networkIds: ['net-1'],
      microstructureIds: [],
    });
    provider.addKey('key-ec', 'ec');
    await expect(verifier.verify(provider.sign({ roles: ['funder'], networkIds: ['net-2'] }, { kid: 'key-ec' }))).resolves.toMatchObject({ roles: ['funder'], networkIds: ['net-2'] });
  });

  it('refuses another audience, another issuer, an expired token and a forged signature', async () => {
    expect(await reasonOf(provider.sign(coordinatorClaims, { audience: 'another-app' }))).toBe('TOKEN_INVALID');
    expect(await reasonOf(provider.sign(coordinatorClaims, { issuer: 'https://idp.example.invalid' }))).toBe('TOKEN_INVALID');
    expect(await reasonOf(provider.sign(coordinatorClaims, { expiresIn: -60 }))).toBe('TOKEN_EXPIRED');
    const [head, body] = provider.sign(coordinatorClaims).split('.');
    const forged = jwt.sign({ ...coordinatorClaims, roles: ['national_coordinator'] }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { algorithm: 'RS256', keyid: 'key-1', issuer: provider.issuer, audience: 'cnrms-dashboard' });
    expect(await reasonOf(forged)).toBe('TOKEN_INVALID');
    expect(await reasonOf(`${head}.${body}.`)).toBe('TOKEN_INVALID');
  });

  it('refuses a token whose account lacks the platform’s roles, saying what to ask for', async () => {
    await expect(verifier.verify(provider.sign({ name: 'Sans rôle' }))).rejects.toMatchObject({ reason: 'TOKEN_INVALID', message: expect.stringContaining('administrateur') });
    await expect(verifier.verify(provider.sign({ roles: ['superuser'] }))).rejects.toMatchObject({ reason: 'TOKEN_INVALID' });
  });

  it('caches the key set, and fetches it again when the provider signs with a new key', async () => {
    await verifier.verify(provider.sign(coordinatorClaims));
    await verifier.verify(provider.sign(coordinatorClaims));
    expect(provider.jwksRequests).toBe(1);
    provider.addKey('key-2');
    await expect(verifier.verify(provider.sign(coordinatorClaims, { kid: 'key-2' }))).resolves.toMatchObject({ userId: 'idp-user-42' });
    expect(provider.jwksRequests).toBe(2);
    // An unknown key id after that is refused without hammering the provider beyond one more fetch.
    expect(await reasonOf(jwt.sign(coordinatorClaims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { algorithm: 'RS256', keyid: 'key-9', issuer: provider.issuer, audience: 'cnrms-dashboard' }))).toBe('TOKEN_INVALID');
    expect(provider.jwksRequests).toBe(3);
  });

  it('says so when the provider cannot be reached', async () => {
    const token = provider.sign(coordinatorClaims);
    await provider.stop();
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'TOKEN_INVALID', message: expect.stringContaining('ne répond pas') });
    provider = await new TestProvider().start();
  });

  it('tells the platform’s own tokens (HS256) from the provider’s', () => {
    expect(OidcTokenVerifier.isProviderToken(issueToken({ userId: 'u', roles: ['admin'], networkIds: [], microstructureIds: [] }, { secret: DEV_JWT_SECRET }))).toBe(false);
    expect(OidcTokenVerifier.isProviderToken(provider.sign(coordinatorClaims))).toBe(true);
    expect(OidcTokenVerifier.isProviderToken('not a token')).toBe(false);
  });
});

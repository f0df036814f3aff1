import jwt from 'jsonwebtoken';
import { AuthError, canActInMicrostructure, canManageNetwork, canReadNetwork, DEV_JWT_SECRET, identityFromHeaders, issueToken, requireAuthenticated, signIdentityHeaders, verifyToken } from './index';
import { assertProductionSecret, bearerToken } from './tokens';
import { Identity } from './identity';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const coordinator: Identity = { userId: 'u-1', displayName: 'Coordination Val-Fictif', roles: ['regional_coordinator'], networkIds: ['net-a'], microstructureIds: [] };

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('UNAUTHENTICATED');
    return (error as AuthError).reason;
  }
  throw new Error('expected an AuthError');
}

describe('tokens', () => {
  it('carries the identity from issue to verification', () => {
    expect(verifyToken(issueToken(coordinator, { secret }), { secret })).toEqual(coordinator);
  });

  it('refuses a missing token', () => {
    expect(reasonOf(() => verifyToken(undefined, { secret }))).toBe('TOKEN_MISSING');
  });

  it('refuses an expired token', () => {
    const expired = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api', expiresIn: -10 });
    expect(reasonOf(() => verifyToken(expired, { secret }))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret, an unsigned one, or one for another audience', () => {
    expect(reasonOf(() => verifyToken(issueToken(coordinator, { secret: `${secret}-other` }), { secret }))).toBe('TOKEN_INVALID');
    const unsigned = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, '', { algorithm: 'none', subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api' });
    expect(reasonOf(() => verifyToken(unsigned, { secret }))).toBe('TOKEN_INVALID');
    const otherAudience = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { subject: 'u', issuer: 'cnrms-platform', audience: 'elsewhere' });
    expect(reasonOf(() => verifyToken(otherAudience, { secret }))).toBe('TOKEN_INVALID');
  });

  it('refuses a token whose roles are unknown', () => {
    const badRoles = jwt.sign({ roles: ['superuser'], networkIds: [], microstructureIds: [] }, secret, { subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api' });
    expect(reasonOf(() => verifyToken(badRoles, { secret }))).toBe('TOKEN_INVALID');
  });

  it('reads the bearer token of an Authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic xyz')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('refuses the development secret and short secrets in production', () => {
    expect(() => assertProductionSecret(DEV_JWT_SECRET)).toThrow(/développement/);
    expect(() => assertProductionSecret('short')).toThrow(/32/);
    expect(() => assertProductionSecret(secret)).not.toThrow();
  });
});

describe('identity headers from the gateway to the subgraphs', () => {
  it('carries the identity when signed with the shared secret', () => {
    expect(identityFromHeaders(signIdentityHeaders(coordinator, secret), secret)).toEqual(coordinator);
  });

  it('means anonymous when absent', () => {
    expect(identityFromHeaders({}, secret)).toBeNull();
  });

  it('refuses a tampered identity or a missing signature', () => {
    const headers = signIdentityHeaders(coordinator, secret);
    const forged = Buffer.from(JSON.stringify({ ...coordinator, roles: ['admin'] })).toString('base64url');
    expect(reasonOf(() => identityFromHeaders({ ...headers, 'x-cnrms-identity': forged }, secret))).toBe('IDENTITY_SIGNATURE_INVALID');
    expect(reasonOf(() => identityFromHeaders({ 'x-cnrms-identity': headers['x-cnrms-identity'] }, secret))).toBe('IDENTITY_SIGNATURE_INVALID');
    expect(reasonOf(() => identityFromHeaders(headers, `${secret}-other`))).toBe('IDENTITY_SIGNATURE_INVALID');
  });
});

describe('scopes', () => {
  const national: Identity = { userId: 'n', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const professional: Identity = { userId: 'p', roles: ['professional'], networkIds: ['net-a'], microstructureIds: ['ms-1'] };
  const funder: Identity = { userId: 'f', roles: ['funder'], networkIds: [], microstructureIds: [] };

  it('lets a regional coordinator manage only the networks of their token', () => {
    expect(canManageNetwork(coordinator, 'net-a')).toBe(true);
    expect(canManageNetwork(coordinator, 'net-b')).toBe(false);
    expect(canManageNetwork(national, 'net-b')).toBe(true);
    expect(canManageNetwork(professional, 'net-a')).toBe(false);
  });

  it('lets a professional act in their own microstructure only', () => {
    expect(canActInMicrostructure(professional, 'ms-1', 'net-a')).toBe(true);
    expect(canActInMicrostructure(professional, 'ms-2', 'net-a')).toBe(false);
    expect(canActInMicrostructure(coordinator, 'ms-2', 'net-a')).toBe(true);
  });

  it('lets funders read every network and others only theirs', () => {
    expect(canReadNetwork(funder, 'net-z')).toBe(true);
    expect(canReadNetwork(professional, 'net-a')).toBe(true);
    expect(canReadNetwork(professional, 'net-b')).toBe(false);
  });

  it('requires an identity', () => {
    expect(reasonOf(() => requireAuthenticated(null))).toBe('UNAUTHENTICATED');
    expect(requireAuthenticated(national)).toBe(national);
  });
});

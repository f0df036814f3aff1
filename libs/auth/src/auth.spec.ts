import { createHash, createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DomainError, ForbiddenError } from '@cnrms/decider';
import {
  AuthError,
  canActInMicrostructure,
  canReadDirectory,
  canManageNetwork,
  canReadNetwork,
  DEV_JWT_SECRET,
  forbid,
  hasRole,
  identityFromHeaders,
  IDENTITY_CLOCK_SKEW_MS,
  IDENTITY_EXPIRES_HEADER,
  IDENTITY_TTL_MS,
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  isNational,
  issueToken,
  requireAuthenticated,
  signIdentityHeaders,
  verifyToken,
} from './index';
import { assertProductionSecret, bearerToken, MAX_TOKEN_LIFETIME_S, TOKEN_AUDIENCE, TOKEN_CLOCK_SKEW_S, TOKEN_ISSUER } from './tokens';
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
    const expired = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api', expiresIn: -60 });
    expect(reasonOf(() => verifyToken(expired, { secret }))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret, an unsigned one, or one for another audience', () => {
    expect(reasonOf(() => verifyToken(issueToken(coordinator, { secret: `${secret}-other` }), { secret }))).toBe('TOKEN_INVALID');
    const unsigned = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, '', { algorithm: 'none', subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api' });
    expect(reasonOf(() => verifyToken(unsigned, { secret }))).toBe('TOKEN_INVALID');
    const otherAudience = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { subject: 'u', issuer: 'cnrms-platform', audience: 'elsewhere' });
    expect(reasonOf(() => verifyToken(otherAudience, { secret }))).toBe('TOKEN_INVALID');
  });

  it('pins HS256: a token signed with HS512 and the same secret is refused', () => {
    const hs512 = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { algorithm: 'HS512', subject: 'u', issuer: 'cnrms-platform', audience: 'cnrms-api' });
    expect(reasonOf(() => verifyToken(hs512, { secret }))).toBe('TOKEN_INVALID');
  });

  it('refuses another issuer, garbage, and a token without a subject', () => {
    const otherIssuer = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { subject: 'u', issuer: 'elsewhere', audience: 'cnrms-api' });
    expect(reasonOf(() => verifyToken(otherIssuer, { secret }))).toBe('TOKEN_INVALID');
    expect(reasonOf(() => verifyToken('not.a.token', { secret }))).toBe('TOKEN_INVALID');
    const noSubject = jwt.sign({ roles: ['admin'], networkIds: [], microstructureIds: [] }, secret, { issuer: 'cnrms-platform', audience: 'cnrms-api' });
    expect(reasonOf(() => verifyToken(noSubject, { secret }))).toBe('TOKEN_INVALID');
  });

  it('issues tokens that expire after expiresIn (8h by default)', () => {
    const decoded = jwt.decode(issueToken(coordinator, { secret })) as jwt.JwtPayload;
    expect(decoded.exp! - decoded.iat!).toBe(8 * 3600);
    const short = jwt.decode(issueToken(coordinator, { secret, expiresIn: '10m' })) as jwt.JwtPayload;
    expect(short.exp! - short.iat!).toBe(600);
    expect(jwt.decode(issueToken(coordinator, { secret }), { complete: true })?.header.alg).toBe('HS256');
  });

  it('is a DomainError of kind UNAUTHENTICATED with a French message, the precise cause in reason', () => {
    try {
      verifyToken('', { secret });
      throw new Error('expected an AuthError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', kind: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING', details: { reason: 'TOKEN_MISSING' } });
      expect((error as Error).message).toMatch(/Authentification requise/);
    }
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
  const query = '{ caseload(microstructureId: "ms-1") { patientId } }';
  const now = Date.parse('2026-06-01T10:00:00Z');
  const bound = { query, now };
  const signed = () => signIdentityHeaders(coordinator, secret, bound);

  it('carries the identity when signed with the shared secret, for this operation', () => {
    expect(identityFromHeaders(signed(), secret, bound)).toEqual(coordinator);
  });

  it('means anonymous only when the gateway signed its "no user" marker; a request it did not sign is refused', () => {
    expect(identityFromHeaders(signIdentityHeaders(null, secret, bound), secret, bound)).toBeNull();
    expect(reasonOf(() => identityFromHeaders({}, secret, bound))).toBe('GATEWAY_SIGNATURE_REQUIRED');
    expect(reasonOf(() => identityFromHeaders(signIdentityHeaders(null, secret, bound), secret, { query: '{ _service { sdl } }', now }))).toBe('IDENTITY_SIGNATURE_INVALID');
  });

  it('signs base64url JSON and an expiry with an HMAC-SHA256 signature', () => {
    const headers = signed();
    expect(JSON.parse(Buffer.from(headers[IDENTITY_HEADER], 'base64url').toString('utf8'))).toEqual(coordinator);
    expect(Number(headers[IDENTITY_EXPIRES_HEADER])).toBe(now + IDENTITY_TTL_MS);
    expect(Buffer.from(headers[IDENTITY_SIGNATURE_HEADER], 'base64url')).toHaveLength(32);
  });

  it('reads headers given as arrays (Node keeps repeated headers that way)', () => {
    const headers = signed();
    const asArrays = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    expect(identityFromHeaders(asArrays, secret, bound)).toEqual(coordinator);
  });

  it('refuses a captured pair once expired, or signed too far in the future', () => {
    const headers = signed();
    expect(identityFromHeaders(headers, secret, { query, now: now + IDENTITY_TTL_MS + IDENTITY_CLOCK_SKEW_MS })).toEqual(coordinator);
    expect(reasonOf(() => identityFromHeaders(headers, secret, { query, now: now + IDENTITY_TTL_MS + IDENTITY_CLOCK_SKEW_MS + 1 }))).toBe('IDENTITY_SIGNATURE_INVALID');
    expect(reasonOf(() => identityFromHeaders(headers, secret, { query, now: now - IDENTITY_CLOCK_SKEW_MS - 1 }))).toBe('IDENTITY_SIGNATURE_INVALID');
  });

  it('refuses a captured pair replayed with another operation, or with its expiry pushed back', () => {
    const headers = signed();
    expect(reasonOf(() => identityFromHeaders(headers, secret, { query: '{ patient(id: "p-1") { lastName } }', now }))).toBe('IDENTITY_SIGNATURE_INVALID');
    expect(reasonOf(() => identityFromHeaders({ ...headers, [IDENTITY_EXPIRES_HEADER]: String(now + 3_600_000) }, secret, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
    const { [IDENTITY_EXPIRES_HEADER]: _expires, ...withoutExpiry } = headers;
    expect(reasonOf(() => identityFromHeaders(withoutExpiry, secret, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
  });

  it('refuses a signature without an identity, and a signed payload that is not an identity', () => {
    expect(reasonOf(() => identityFromHeaders({ [IDENTITY_SIGNATURE_HEADER]: 'abc' }, secret, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
    const payload = Buffer.from(JSON.stringify({ userId: 'x', roles: ['root'] })).toString('base64url');
    const expires = String(now + 1000);
    const queryHash = createHash('sha256').update(query).digest('base64url');
    // Only a holder of the secret could sign this, and its shape is still checked.
    const resigned = { [IDENTITY_HEADER]: payload, [IDENTITY_EXPIRES_HEADER]: expires, [IDENTITY_SIGNATURE_HEADER]: createHmac('sha256', `gateway-identity:${secret}`).update(`${payload}.${expires}.${queryHash}`).digest('base64url') };
    expect(reasonOf(() => identityFromHeaders(resigned, secret, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
  });

  it('refuses a tampered identity or a missing signature', () => {
    const headers = signed();
    const forged = Buffer.from(JSON.stringify({ ...coordinator, roles: ['admin'] })).toString('base64url');
    expect(reasonOf(() => identityFromHeaders({ ...headers, [IDENTITY_HEADER]: forged }, secret, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
    expect(reasonOf(() => identityFromHeaders({ [IDENTITY_HEADER]: headers[IDENTITY_HEADER] }, secret, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
    expect(reasonOf(() => identityFromHeaders(headers, `${secret}-other`, bound))).toBe('IDENTITY_SIGNATURE_INVALID');
  });
});

describe('scopes', () => {
  const national: Identity = { userId: 'n', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const professional: Identity = { userId: 'p', roles: ['professional'], networkIds: ['net-a'], microstructureIds: ['ms-1'] };
  const funder: Identity = { userId: 'f', roles: ['funder'], networkIds: [], microstructureIds: [] };

  const admin: Identity = { userId: 'a', roles: ['admin'], networkIds: [], microstructureIds: [] };

  it('checks roles, national reach', () => {
    expect(hasRole(coordinator, 'funder', 'regional_coordinator')).toBe(true);
    expect(hasRole(coordinator, 'funder')).toBe(false);
    expect(hasRole(coordinator)).toBe(false);
    expect(isNational(national)).toBe(true);
    expect(isNational(admin)).toBe(true);
    expect(isNational(coordinator)).toBe(false);
    expect(isNational(funder)).toBe(false);
  });

  it('lets a regional coordinator manage only the networks of their token', () => {
    expect(canManageNetwork(admin, 'net-z')).toBe(true);
    expect(canManageNetwork(funder, 'net-a')).toBe(false);
    expect(canManageNetwork({ ...professional, roles: ['professional', 'regional_coordinator'], networkIds: [] }, 'net-a')).toBe(false);
    expect(canManageNetwork(coordinator, 'net-a')).toBe(true);
    expect(canManageNetwork(coordinator, 'net-b')).toBe(false);
    expect(canManageNetwork(national, 'net-b')).toBe(true);
    expect(canManageNetwork(professional, 'net-a')).toBe(false);
  });

  it('lets a professional act in a microstructure only while the directory counts them in its team, whatever the token names', () => {
    const pro = { ...professional, professionalId: 'pro-1', microstructureIds: ['ms-1'] };
    expect(canActInMicrostructure(pro, ['pro-1', 'pro-2'], 'net-a')).toBe(true);
    // The token names ms-1, but the team of ms-1 no longer counts them (a former member), or never did.
    expect(canActInMicrostructure(pro, ['pro-2'], 'net-a')).toBe(false);
    expect(canActInMicrostructure({ ...pro, professionalId: undefined }, ['pro-1'], 'net-a')).toBe(false);
    expect(canActInMicrostructure(coordinator, [], 'net-a')).toBe(true);
    expect(canActInMicrostructure(coordinator, [], 'net-b')).toBe(false);
    expect(canActInMicrostructure(national, [], 'net-b')).toBe(true);
    // A member's id without the professional role is not enough.
    expect(canActInMicrostructure({ ...funder, professionalId: 'pro-1' }, ['pro-1'], 'net-a')).toBe(false);
  });

  it('keeps the directory from funders (aggregated indicators only)', () => {
    expect(canReadDirectory(funder)).toBe(false);
    for (const who of [national, admin, coordinator, professional]) expect(canReadDirectory(who)).toBe(true);
  });

  it('lets funders read every network and others only theirs', () => {
    expect(canReadNetwork(funder, 'net-z')).toBe(true);
    expect(canReadNetwork(professional, 'net-a')).toBe(true);
    expect(canReadNetwork(professional, 'net-b')).toBe(false);
    expect(canReadNetwork(coordinator, 'net-a')).toBe(true);
    expect(canReadNetwork(coordinator, 'net-b')).toBe(false);
    expect(canReadNetwork(national, 'net-b')).toBe(true);
    expect(canReadNetwork(admin, 'net-b')).toBe(true);
  });

  it('requires an identity', () => {
    expect(reasonOf(() => requireAuthenticated(null))).toBe('UNAUTHENTICATED');
    expect(reasonOf(() => requireAuthenticated(undefined))).toBe('UNAUTHENTICATED');
    expect(() => requireAuthenticated(null)).toThrow(/Authentification requise/);
    expect(requireAuthenticated(national)).toBe(national);
  });

  it('forbids with a ForbiddenError (code FORBIDDEN)', () => {
    expect(() => forbid('Réservé à la coordination du réseau.')).toThrow(ForbiddenError);
    try {
      forbid('Réservé à la coordination du réseau.');
    } catch (error) {
      expect(error).toMatchObject({ code: 'FORBIDDEN', kind: 'FORBIDDEN', message: 'Réservé à la coordination du réseau.' });
    }
  });
});

describe('token lifetime', () => {
  const claims = { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const signed = (options: jwt.SignOptions, payload: object = claims) => jwt.sign(payload, secret, { algorithm: 'HS256', subject: 'u', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, ...options });

  it('refuses a token without exp', () => {
    expect(reasonOf(() => verifyToken(signed({}), { secret }))).toBe('TOKEN_INVALID');
  });

  it('refuses a token living longer than the maximum, or without iat', () => {
    expect(reasonOf(() => verifyToken(signed({ expiresIn: MAX_TOKEN_LIFETIME_S + 60 }), { secret }))).toBe('TOKEN_INVALID');
    expect(reasonOf(() => verifyToken(signed({ expiresIn: 600, noTimestamp: true }), { secret }))).toBe('TOKEN_INVALID');
    expect(verifyToken(signed({ expiresIn: MAX_TOKEN_LIFETIME_S }), { secret }).userId).toBe('u');
  });

  it('tolerates a bounded clock difference, no more', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verifyToken(signed({}, { ...claims, iat: now - 600, exp: now - TOKEN_CLOCK_SKEW_S + 5 }), { secret }).userId).toBe('u');
    expect(reasonOf(() => verifyToken(signed({}, { ...claims, iat: now - 600, exp: now - TOKEN_CLOCK_SKEW_S - 5 }), { secret }))).toBe('TOKEN_EXPIRED');
    expect(reasonOf(() => verifyToken(signed({}, { ...claims, iat: now + 600, exp: now + 1200 }), { secret }))).toBe('TOKEN_INVALID');
  });
});

import jwt from 'jsonwebtoken';
import { AuthError } from './errors';
import { Identity, identitySchema } from './identity';

export const TOKEN_ISSUER = 'cnrms-platform';
export const TOKEN_AUDIENCE = 'cnrms-api';

/**
 * Development only: the secret `npm start`, the tests and `npm run dev-token` share when
 * AUTH_JWT_SECRET is not set. A production configuration refuses it (`assertProductionSecret`).
 */
export const DEV_JWT_SECRET = 'development-only-secret-of-the-cnrms-platform-do-not-use';

export function assertProductionSecret(secret: string): void {
  if (secret === DEV_JWT_SECRET) throw new Error('le secret de développement ne peut pas être utilisé en production');
  if (secret.length < 32) throw new Error('le secret doit compter au moins 32 caractères');
}

/** The longest a token may live (`exp` − `iat`): a working day. */
export const MAX_TOKEN_LIFETIME_S = 12 * 3600;
/** Clock difference tolerated with the token's issuer. */
export const TOKEN_CLOCK_SKEW_S = 30;

export interface TokenOptions {
  secret: string;
  /** e.g. '8h', '10m' (jsonwebtoken's notation). */
  expiresIn?: string;
}

/** A signed token (HS256) carrying the identity's roles and scopes. */
export function issueToken(identity: Identity, options: TokenOptions): string {
  const claims = identitySchema.parse(identity);
  const { userId, ...rest } = claims;
  return jwt.sign(rest, options.secret, {
    algorithm: 'HS256',
    subject: userId,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    expiresIn: (options.expiresIn ?? '8h') as jwt.SignOptions['expiresIn'],
  });
}

/**
 * Checks the signature (HS256 only), issuer, audience and expiry (`exp` and `iat` required, at most
 * `MAX_TOKEN_LIFETIME_S` apart, `TOKEN_CLOCK_SKEW_S` of clock difference), then the claims' shape.
 */
export function verifyToken(token: string | undefined | null, options: { secret: string }): Identity {
  if (!token) throw new AuthError('TOKEN_MISSING', 'Authentification requise : envoyez un jeton dans l’en-tête « Authorization: Bearer … ».');
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, options.secret, { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTolerance: TOKEN_CLOCK_SKEW_S, maxAge: MAX_TOKEN_LIFETIME_S }) as jwt.JwtPayload;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AuthError('TOKEN_EXPIRED', 'Votre jeton a expiré : reconnectez-vous pour en obtenir un nouveau.');
    throw new AuthError('TOKEN_INVALID', 'Jeton invalide : signature, émetteur ou format non reconnus.');
  }
  assertLifetime(payload);
  const { sub, displayName, roles, networkIds, microstructureIds, professionalId } = payload;
  const parsed = identitySchema.safeParse({ userId: sub, displayName, roles, networkIds, microstructureIds, professionalId });
  if (!parsed.success) throw new AuthError('TOKEN_INVALID', 'Jeton invalide : rôles ou périmètres mal formés.');
  return parsed.data;
}

/** A token must say when it expires, and live at most `MAX_TOKEN_LIFETIME_S` from its issue, not issued in the future. */
export function assertLifetime(payload: { exp?: number; iat?: number }, maxLifetimeS = MAX_TOKEN_LIFETIME_S): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') throw new AuthError('TOKEN_INVALID', 'Jeton invalide : il doit porter une date d’expiration (exp).');
  if (typeof iat !== 'number') throw new AuthError('TOKEN_INVALID', 'Jeton invalide : il doit porter sa date d’émission (iat).');
  if (exp - iat > maxLifetimeS) throw new AuthError('TOKEN_INVALID', `Jeton invalide : sa durée de validité dépasse ${Math.round(maxLifetimeS / 3600)} h.`);
  if (iat > Date.now() / 1000 + TOKEN_CLOCK_SKEW_S) throw new AuthError('TOKEN_INVALID', 'Jeton invalide : émis dans le futur.');
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

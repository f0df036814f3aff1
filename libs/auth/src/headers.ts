import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError } from './errors';
import { Identity, identitySchema } from './identity';

export const IDENTITY_HEADER = 'x-cnrms-identity';
export const IDENTITY_SIGNATURE_HEADER = 'x-cnrms-identity-signature';
/** When the signed identity stops being accepted (milliseconds since the epoch). */
export const IDENTITY_EXPIRES_HEADER = 'x-cnrms-identity-expires';
/** How long a signed identity stays valid: one subgraph request, with room for a loaded machine. */
export const IDENTITY_TTL_MS = 30_000;
/** Clock difference tolerated between the gateway and a subgraph. */
export const IDENTITY_CLOCK_SKEW_MS = 5_000;

/** The payload the gateway signs for a request without a user (an anonymous caller): still the gateway's. */
export const GATEWAY_NO_USER = 'gateway-no-user';

/** What the signature binds the identity to: the GraphQL operation the gateway sends (its text). */
/**
 * A client's command id (its `Idempotency-Key`, passed by the gateway to the subgraphs as `x-command-id`):
 * 8 to 100 letters, digits, `-`, `_`, `.` or `:` (a UUID fits).
 */
export const COMMAND_ID = /^[A-Za-z0-9_.:-]{8,100}$/;

export interface IdentityBinding {
  query: string;
  /** Now, in milliseconds (tests). */
  now?: number;
}

function sign(payload: string, expires: string, query: string, secret: string): string {
  const queryHash = createHash('sha256').update(query).digest('base64url');
  return createHmac('sha256', `gateway-identity:${secret}`).update(`${payload}.${expires}.${queryHash}`).digest('base64url');
}

/**
 * What the gateway adds to a subgraph request once it verified the caller's token: the identity, an
 * expiry a few seconds ahead, and an HMAC over both and the operation's text. A captured pair is useless
 * after the expiry, and for any other operation before it.
 */
export function signIdentityHeaders(identity: Identity | null, secret: string, binding: IdentityBinding): Record<string, string> {
  const payload = identity === null ? GATEWAY_NO_USER : Buffer.from(JSON.stringify(identity)).toString('base64url');
  const expires = String((binding.now ?? Date.now()) + IDENTITY_TTL_MS);
  return { [IDENTITY_HEADER]: payload, [IDENTITY_EXPIRES_HEADER]: expires, [IDENTITY_SIGNATURE_HEADER]: sign(payload, expires, binding.query, secret) };
}

/**
 * The identity the gateway signed for this operation, null for its signed "no user" marker. A request
 * the gateway did not sign (no headers: someone calling the subgraph directly), or whose signature is
 * forged, expired or replayed for another operation, is refused: subgraphs answer the gateway only.
 */
export function identityFromHeaders(headers: Record<string, string | string[] | undefined>, secret: string, binding: IdentityBinding): Identity | null {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const payload = first(headers[IDENTITY_HEADER]);
  const signature = first(headers[IDENTITY_SIGNATURE_HEADER]);
  const expires = first(headers[IDENTITY_EXPIRES_HEADER]);
  if (!payload && !signature && !expires) throw new AuthError('GATEWAY_SIGNATURE_REQUIRED', 'Ce service ne répond qu’à la passerelle : passez par elle.');
  const expected = Buffer.from(sign(payload ?? '', expires ?? '', binding.query, secret));
  const received = Buffer.from(signature ?? '');
  if (!payload || !expires || expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new AuthError('IDENTITY_SIGNATURE_INVALID', 'Identité transmise non signée par la passerelle pour cette requête : requête refusée.');
  }
  const now = binding.now ?? Date.now();
  const expiresAt = Number(expires);
  if (!Number.isFinite(expiresAt) || expiresAt + IDENTITY_CLOCK_SKEW_MS < now || expiresAt - IDENTITY_TTL_MS - IDENTITY_CLOCK_SKEW_MS > now) {
    throw new AuthError('IDENTITY_SIGNATURE_INVALID', 'Identité transmise expirée : requête refusée.');
  }
  if (payload === GATEWAY_NO_USER) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = identitySchema.safeParse(decoded);
  if (!parsed.success) throw new AuthError('IDENTITY_SIGNATURE_INVALID', 'Identité transmise illisible : requête refusée.');
  return parsed.data;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError } from './errors';
import { Identity, identitySchema } from './identity';

export const IDENTITY_HEADER = 'x-cnrms-identity';
export const IDENTITY_SIGNATURE_HEADER = 'x-cnrms-identity-signature';

function sign(payload: string, secret: string): string {
  return createHmac('sha256', `gateway-identity:${secret}`).update(payload).digest('base64url');
}

/** What the gateway adds to a subgraph request once it verified the caller's token. */
export function signIdentityHeaders(identity: Identity, secret: string): Record<string, string> {
  const payload = Buffer.from(JSON.stringify(identity)).toString('base64url');
  return { [IDENTITY_HEADER]: payload, [IDENTITY_SIGNATURE_HEADER]: sign(payload, secret) };
}

/** The identity the gateway signed, null when the request carries none; a forged one is refused. */
export function identityFromHeaders(headers: Record<string, string | string[] | undefined>, secret: string): Identity | null {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const payload = first(headers[IDENTITY_HEADER]);
  const signature = first(headers[IDENTITY_SIGNATURE_HEADER]);
  if (!payload && !signature) return null;
  const expected = Buffer.from(sign(payload ?? '', secret));
  const received = Buffer.from(signature ?? '');
  if (!payload || expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new AuthError('IDENTITY_SIGNATURE_INVALID', 'Identité transmise non signée par la passerelle : requête refusée.');
  }
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

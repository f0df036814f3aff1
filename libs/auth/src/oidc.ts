import { TOKEN_CLOCK_SKEW_S } from './tokens';
import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthError } from './errors';
import { Identity, identitySchema } from './identity';

/**
 * Verifies the access tokens of an OpenID Connect identity provider (the distributed mode's sign-in):
 * the signing keys come from the provider's published key set (discovery, then `jwks_uri`), the issuer
 * and the audience are checked, and the token must carry the platform's claims under the same names as
 * its own tokens (`roles`, `networkIds`, `microstructureIds`, `professionalId`, `displayName` or `name`),
 * which the provider adds to its access tokens (a claim mapper per attribute).
 */
export interface OidcVerifierOptions {
  issuer: string;
  /** Expected `aud` of the access tokens (the client id, or the API's audience at the provider). */
  audience: string;
  /** How long a fetched key set is kept; an unknown key id refreshes it sooner, at most every `minRefreshMs`. */
  cacheMs?: number;
  minRefreshMs?: number;
  fetch?: typeof fetch;
}

const ALGORITHMS: jwt.Algorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

interface KeySet {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

export class OidcTokenVerifier {
  private keySet?: Promise<KeySet>;
  private readonly fetcher: typeof fetch;
  private readonly issuer: string;

  constructor(private readonly options: OidcVerifierOptions) {
    this.fetcher = options.fetch ?? fetch;
    this.issuer = options.issuer.replace(/\/+$/, '');
  }

  /** Whether the token is signed with an asymmetric algorithm (the provider's), rather than the platform's HS256. */
  static isProviderToken(token: string): boolean {
    const header = jwt.decode(token, { complete: true })?.header;
    return header !== undefined && ALGORITHMS.includes(header.alg as jwt.Algorithm);
  }

  async verify(token: string): Promise<Identity> {
    const header = jwt.decode(token, { complete: true })?.header;
    if (!header || !ALGORITHMS.includes(header.alg as jwt.Algorithm)) throw invalid();
    const key = await this.key(header.kid);
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, { algorithms: [header.alg as jwt.Algorithm], issuer: [this.issuer, `${this.issuer}/`], audience: this.options.audience, clockTolerance: TOKEN_CLOCK_SKEW_S }) as jwt.JwtPayload;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new AuthError('TOKEN_EXPIRED', 'Votre jeton a expiré : reconnectez-vous pour en obtenir un nouveau.');
      throw invalid();
    }
    if (typeof payload.exp !== 'number') throw invalid();
    const { sub, displayName, name, roles, networkIds, microstructureIds, professionalId } = payload;
    const parsed = identitySchema.safeParse({ userId: sub, displayName: displayName ?? name, roles, networkIds: networkIds ?? [], microstructureIds: microstructureIds ?? [], professionalId });
    if (!parsed.success) throw new AuthError('TOKEN_INVALID', 'Jeton du fournisseur d’identité sans rôles ou périmètres de la plateforme valides : demandez à votre administrateur de les ajouter à votre compte.');
    return parsed.data;
  }

  private async key(kid: string | undefined): Promise<KeyObject> {
    const now = Date.now();
    let set = await this.currentKeySet(now);
    let key = pick(set, kid);
    if (!key && now - set.fetchedAt >= (this.options.minRefreshMs ?? 30_000)) {
      // The provider may have rotated its keys since the last fetch.
      this.keySet = this.fetchKeySet();
      set = await this.keySet;
      key = pick(set, kid);
    }
    if (!key) throw invalid();
    return key;
  }

  private async currentKeySet(now: number): Promise<KeySet> {
    if (this.keySet) {
      try {
        const set = await this.keySet;
        if (now - set.fetchedAt < (this.options.cacheMs ?? 10 * 60_000)) return set;
      } catch {
        // fetched again below
      }
    }
    this.keySet = this.fetchKeySet();
    return this.keySet;
  }

  private async fetchKeySet(): Promise<KeySet> {
    try {
      const discovery = (await this.json(`${this.issuer}/.well-known/openid-configuration`)) as { jwks_uri?: unknown };
      if (typeof discovery.jwks_uri !== 'string') throw new Error('no jwks_uri');
      const { keys } = (await this.json(discovery.jwks_uri)) as { keys?: (JsonWebKey & { kid?: string; use?: string })[] };
      const usable = (keys ?? []).filter((jwk) => jwk.use === undefined || jwk.use === 'sig');
      return { keys: new Map(usable.map((jwk, index) => [jwk.kid ?? `#${index}`, createPublicKey({ key: jwk, format: 'jwk' })])), fetchedAt: Date.now() };
    } catch {
      throw new AuthError('TOKEN_INVALID', 'Le fournisseur d’identité ne répond pas ou ne publie pas ses clés : réessayez dans un instant.');
    }
  }

  private async json(url: string): Promise<unknown> {
    const response = await this.fetcher(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }
}

function pick(set: KeySet, kid: string | undefined): KeyObject | undefined {
  if (kid) return set.keys.get(kid);
  return set.keys.size === 1 ? [...set.keys.values()][0] : undefined;
}

const invalid = () => new AuthError('TOKEN_INVALID', 'Jeton invalide : signature, émetteur ou format non reconnus.');

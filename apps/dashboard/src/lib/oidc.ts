import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

/** The distributed mode's identity provider (authorization code + PKCE, done by oidc-client-ts). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

export function userManager(settings: OidcSettings): UserManager {
  return new UserManager({
    authority: settings.issuer,
    client_id: settings.clientId,
    scope: settings.scope,
    redirect_uri: `${window.location.origin}/connexion/retour`,
    post_logout_redirect_uri: `${window.location.origin}/connexion`,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** The page's sign-in settings, from the gateway. */
export interface AuthSettings {
  demoSignIn: boolean;
  oidc: OidcSettings | null;
}

export async function authSettings(): Promise<AuthSettings> {
  const response = await fetch('/auth/config');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as AuthSettings;
}

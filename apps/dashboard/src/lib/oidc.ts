import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcSettings } from './auth-settings';

/** The distributed mode's identity provider: authorization code + PKCE, done by oidc-client-ts (loaded only when used). */
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

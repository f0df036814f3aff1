/** The distributed mode's identity provider, as the gateway's /auth/config gives it. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
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

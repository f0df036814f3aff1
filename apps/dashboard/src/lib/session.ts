/** The signed-in user: the gateway's token (kept for the tab's life only) and the identity it carries. */
export type Role = 'national_coordinator' | 'regional_coordinator' | 'professional' | 'funder' | 'admin';

export interface Identity {
  userId: string;
  displayName?: string;
  roles: Role[];
  networkIds: string[];
  microstructureIds: string[];
  professionalId?: string;
}

export interface Session {
  token: string;
  identity: Identity;
  /** Seconds since the epoch. */
  expiresAt?: number;
}

const KEY = 'cnrms.session';

/** The claims of a JWT, unverified: the gateway verifies the token at every request, the page only reads who it is for. */
export function identityOfToken(token: string): { identity: Identity; expiresAt?: number } {
  const [, payload] = token.split('.');
  if (!payload) throw new Error('jeton illisible');
  const json = JSON.parse(decodeBase64Url(payload)) as Record<string, unknown>;
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const identity: Identity = {
    userId: String(json.sub ?? ''),
    displayName: typeof json.displayName === 'string' ? json.displayName : undefined,
    roles: list(json.roles) as Role[],
    networkIds: list(json.networkIds),
    microstructureIds: list(json.microstructureIds),
    professionalId: typeof json.professionalId === 'string' ? json.professionalId : undefined,
  };
  return { identity, expiresAt: typeof json.exp === 'number' ? json.exp : undefined };
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function sessionOfToken(token: string): Session {
  return { token, ...identityOfToken(token) };
}

export function loadSession(storage: Pick<Storage, 'getItem'> = sessionStorage, now = Date.now()): Session | null {
  const token = storage.getItem(KEY);
  if (!token) return null;
  try {
    const session = sessionOfToken(token);
    if (session.expiresAt && session.expiresAt * 1000 <= now) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(token: string, storage: Pick<Storage, 'setItem'> = sessionStorage): Session {
  const session = sessionOfToken(token);
  storage.setItem(KEY, token);
  return session;
}

export function clearSession(storage: Pick<Storage, 'removeItem'> = sessionStorage): void {
  storage.removeItem(KEY);
}

export const hasRole = (identity: Identity, ...roles: Role[]) => identity.roles.some((r) => roles.includes(r));
export const isNational = (identity: Identity) => hasRole(identity, 'national_coordinator', 'admin');

/** The pages of a network: national coordination, its own coordinators and professionals. */
export function canSeeNetwork(identity: Identity, networkId: string): boolean {
  return isNational(identity) || (hasRole(identity, 'regional_coordinator', 'professional') && identity.networkIds.includes(networkId));
}

/** Managing a network's directory: national coordination, its own coordinators. */
export function canManageNetwork(identity: Identity, networkId: string): boolean {
  return isNational(identity) || (hasRole(identity, 'regional_coordinator') && identity.networkIds.includes(networkId));
}

/** The team's pages (patients): the professionals of the microstructure only. */
export function canSeeTeam(identity: Identity, microstructureId: string): boolean {
  return hasRole(identity, 'professional') && identity.microstructureIds.includes(microstructureId);
}

/** Where each role starts. */
export function homePath(identity: Identity): string {
  if (isNational(identity)) return '/national';
  if (hasRole(identity, 'regional_coordinator') && identity.networkIds[0]) return `/reseaux/${identity.networkIds[0]}`;
  if (hasRole(identity, 'professional') && identity.microstructureIds[0]) return `/equipe/${identity.microstructureIds[0]}`;
  if (hasRole(identity, 'funder')) return '/indicateurs';
  return '/formations';
}

export const ROLE_LABELS: Record<Role, string> = {
  national_coordinator: 'Coordination nationale',
  regional_coordinator: 'Coordination régionale',
  professional: 'Professionnel',
  funder: 'Financeur',
  admin: 'Administration',
};

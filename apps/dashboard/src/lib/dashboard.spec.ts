import { toCsv } from './csv';
import { addDays, endOfMonth, lastMonths, periodRange } from './dates';
import { frenchError, frenchMessage, isMissingFromSchema } from './errors';
import { regionKey } from './regions';
import { canManageNetwork, canSeeNetwork, canSeeTeam, homePath, Identity, loadSession, sessionOfToken } from './session';

const base64url = (value: object) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const tokenOf = (claims: object) => `${base64url({ alg: 'HS256' })}.${base64url(claims)}.signature`;

describe('errors in plain French', () => {
  it('explains expired sessions, refusals and unavailable services', () => {
    expect(frenchMessage({ message: 'jwt expired', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' } })).toBe('Votre session a expiré : reconnectez-vous.');
    expect(frenchMessage({ message: 'Forbidden resource', extensions: { code: 'FORBIDDEN' } })).toBe('Vous n’avez pas accès à ces données avec votre rôle.');
    expect(frenchMessage({ message: 'x', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'meetings' } })).toMatch(/réunions de synthèse ne répond pas/);
  });
  it('keeps the services’ French messages, replaces English ones', () => {
    expect(frenchMessage({ message: 'Le numéro RPPS est invalide.', extensions: { code: 'INVALID_RPPS' } })).toBe('Le numéro RPPS est invalide.');
    expect(frenchMessage({ message: 'Unexpected token', extensions: { code: 'SOMETHING' } })).toBe('Le serveur a refusé la demande.');
    expect(frenchError({ graphQLErrors: [], networkError: new Error('Failed to fetch') })).toMatch(/Le serveur ne répond pas/);
    expect(isMissingFromSchema({ graphQLErrors: [{ message: 'Cannot query field "indicators" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] })).toBe(true);
  });
});

describe('sessions and access', () => {
  const coordinator: Identity = { userId: 'c', roles: ['regional_coordinator'], networkIds: ['n-1'], microstructureIds: [] };
  const professional: Identity = { userId: 'p', roles: ['professional'], networkIds: ['n-1'], microstructureIds: ['m-1'], professionalId: 'p-1' };
  it('reads the identity of the gateway’s token, and forgets an expired one', () => {
    const token = tokenOf({ sub: 'demo:p-1', displayName: 'Alice Exemple', roles: ['professional'], networkIds: ['n-1'], microstructureIds: ['m-1'], professionalId: 'p-1', exp: 2_000_000_000 });
    expect(sessionOfToken(token).identity).toEqual({ userId: 'demo:p-1', displayName: 'Alice Exemple', roles: ['professional'], networkIds: ['n-1'], microstructureIds: ['m-1'], professionalId: 'p-1' });
    expect(loadSession({ getItem: () => token }, 1_000)).not.toBeNull();
    expect(loadSession({ getItem: () => token }, 2_000_000_001_000)).toBeNull();
    expect(loadSession({ getItem: () => 'garbage' })).toBeNull();
  });
  it('keeps each user to their network and team', () => {
    expect(canSeeNetwork(coordinator, 'n-1')).toBe(true);
    expect(canSeeNetwork(coordinator, 'n-2')).toBe(false);
    expect(canManageNetwork(professional, 'n-1')).toBe(false);
    expect(canSeeTeam(professional, 'm-1')).toBe(true);
    expect(canSeeTeam(coordinator, 'm-1')).toBe(false);
    expect(canSeeNetwork({ userId: 'f', roles: ['funder'], networkIds: [], microstructureIds: [] }, 'n-1')).toBe(false);
  });
  it('starts each role on its view', () => {
    expect(homePath({ userId: 'n', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] })).toBe('/national');
    expect(homePath(coordinator)).toBe('/reseaux/n-1');
    expect(homePath(professional)).toBe('/equipe/m-1');
    expect(homePath({ userId: 'f', roles: ['funder'], networkIds: [], microstructureIds: [] })).toBe('/indicateurs');
  });
});

describe('dates, regions, CSV', () => {
  it('counts months back across a year', () => {
    expect(lastMonths('2026-02-10', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(endOfMonth('2024-02')).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(periodRange(2, '2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-03-31', months: ['2026-02', '2026-03'] });
  });
  it('matches the directory’s region names with the map’s', () => {
    expect(regionKey('Auvergne-Rhône-Alpes (fictif)')).toBe(regionKey('Auvergne-Rhône-Alpes'));
    expect(regionKey('Île-de-France')).toBe('iledefrance');
  });
  it('writes CSV for French spreadsheets', () => {
    expect(toCsv(['Réseau', 'Valeur'], [['A; B', 12.5], ['« C »', null]])).toBe('\uFEFFRéseau;Valeur\r\n"A; B";12,5\r\n« C »;\r\n');
  });
});

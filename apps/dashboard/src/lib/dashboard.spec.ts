import { formatIndicatorValue, IndicatorCell, pivot, seriesOf, suppressionText } from './indicators';
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

describe('indicator answers', () => {
  const cell = (period: string, network: string | null, value: number | null, suppression: IndicatorCell['suppression'] = null): IndicatorCell => ({
    period,
    periodLabel: period,
    dimensions: network ? [{ dimension: 'NETWORK', value: network, label: `Réseau ${network}` }] : [],
    numerator: value,
    denominator: null,
    value,
    suppressed: suppression !== null,
    suppression,
    suppressionReason: null,
  });
  it('lays cells out by grouping and period, masked cells kept as such', () => {
    const table = pivot({ groupBy: ['NETWORK'], cells: [cell('2026-02', 'B', null, 'SMALL_CELL'), cell('2026-01', 'A', 12), cell('2026-02', 'A', 9)], totals: [cell('2026-01', null, 12), cell('2026-02', null, 14)] });
    expect(table.periods.map((p) => p.code)).toEqual(['2026-01', '2026-02']);
    expect(table.rows.map((r) => r.labels)).toEqual([['Réseau A'], ['Réseau B']]);
    expect(table.rows[1].cells.get('2026-02')?.suppressed).toBe(true);
    expect(suppressionText({ suppression: 'SMALL_CELL', suppressionReason: null })).toMatch(/trop peu de patients/);
    expect(suppressionText({ suppression: 'COMPLEMENTARY', suppressionReason: null })).toMatch(/par différence/);
    expect(seriesOf({ cells: [cell('2026-01', 'A', 12)] }, 'NETWORK', 'A', ['2026-01', '2026-02']).map((c) => c?.value)).toEqual([12, undefined]);
  });
  it('writes values in their unit', () => {
    expect(formatIndicatorValue(42.345, 'PERCENT')).toMatch(/^42,3\s%$/);
    expect(formatIndicatorValue(3, 'COUNT')).toBe('3');
    expect(formatIndicatorValue(null, 'COUNT')).toBe('—');
  });
});

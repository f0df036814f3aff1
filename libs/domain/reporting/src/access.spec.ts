import { audienceOf, scopeOf } from './access';

const viewer = (roles: string[], networkIds: string[] = [], microstructureIds: string[] = []) => ({ roles, networkIds, microstructureIds });

describe('who sees what', () => {
  it('gives the national coordination every network, suppressed', () => {
    expect(audienceOf(viewer(['national_coordinator']))).toEqual({ kind: 'NATIONAL', networkIds: null, microstructureIds: null, suppressed: true });
  });

  it('gives a regional coordinator their networks, protected like every audience outside the team (issue #13, finding 5), and refuses another network', () => {
    const audience = audienceOf(viewer(['regional_coordinator'], ['net-1']));
    expect(audience).toMatchObject({ kind: 'NETWORK', networkIds: ['net-1'], suppressed: true });
    expect(scopeOf(audience, {})).toEqual({ networkIds: ['net-1'], microstructureIds: null });
    expect(() => scopeOf(audience, { networkIds: ['net-2'] })).toThrow(expect.objectContaining({ code: 'SCOPE_FORBIDDEN', kind: 'FORBIDDEN' }));
  });

  it('gives a team its own microstructure only', () => {
    const audience = audienceOf(viewer(['professional'], ['net-1'], ['ms-1']));
    expect(scopeOf(audience, {})).toEqual({ networkIds: null, microstructureIds: ['ms-1'] });
    expect(() => scopeOf(audience, { microstructureIds: ['ms-2'] })).toThrow(expect.objectContaining({ code: 'SCOPE_FORBIDDEN' }));
  });

  it('gives a funder the networks of its token, suppressed, and nothing without one', () => {
    expect(audienceOf(viewer(['funder'], ['net-1', 'net-2']))).toMatchObject({ kind: 'FUNDER', networkIds: ['net-1', 'net-2'], suppressed: true });
    expect(scopeOf(audienceOf(viewer(['funder'], ['net-1', 'net-2'])), { networkIds: ['net-2'] }).networkIds).toEqual(['net-2']);
    expect(() => audienceOf(viewer(['funder']))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

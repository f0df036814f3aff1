import { Identity } from './identity';
import { MembershipLookup, TeamAuthorization } from './authorization';

/** Memberships as the directory's events left them: ms-A (network net-A) has p-1 since 2026-01-01; p-2 left on 2026-03-31. */
const rows = [
  { microstructureId: 'ms-A', networkId: 'net-A', professionalId: 'p-1', startedOn: '2026-01-01', endedOn: null as string | null },
  { microstructureId: 'ms-A', networkId: 'net-A', professionalId: 'p-2', startedOn: '2025-01-01', endedOn: '2026-03-31' },
];
const within = (r: (typeof rows)[number], onDate: string) => r.startedOn <= onDate && (r.endedOn === null || r.endedOn >= onDate);
const lookup: MembershipLookup = {
  isMember: async (ms, p, d) => rows.some((r) => r.microstructureId === ms && r.professionalId === p && within(r, d)),
  isMemberInNetwork: async (n, p, d) => rows.some((r) => r.networkId === n && r.professionalId === p && within(r, d)),
  microstructuresOf: async (p, d) => rows.filter((r) => r.professionalId === p && within(r, d)).map((r) => r.microstructureId),
};
const authorization = new TeamAuthorization(lookup, () => '2026-06-01');

const professional = (professionalId: string, microstructureIds: string[]): Identity => ({ userId: professionalId, roles: ['professional'], networkIds: ['net-A'], microstructureIds, professionalId });

describe('TeamAuthorization: the directory decides, not the token', () => {
  it('a current member is in the team', async () => {
    await expect(authorization.teamProfessional(professional('p-1', ['ms-A']), 'ms-A', 'refusé')).resolves.toBe('p-1');
    await expect(authorization.isNetworkProfessional(professional('p-1', []), 'net-A')).resolves.toBe(true);
  });

  it('a token naming a microstructure its holder is not a member of opens nothing', async () => {
    await expect(authorization.teamProfessional(professional('p-3', ['ms-A']), 'ms-A', 'refusé')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(authorization.isNetworkProfessional(professional('p-3', []), 'net-A')).resolves.toBe(false);
  });

  it('a former member, whose token still names the microstructure, is refused', async () => {
    await expect(authorization.isTeam(professional('p-2', ['ms-A']), 'ms-A')).resolves.toBe(false);
    await expect(authorization.teamProfessional(professional('p-2', ['ms-A']), 'ms-A', 'refusé')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a member without the professional role (a funder, a coordinator) is not the team', async () => {
    await expect(authorization.isTeam({ ...professional('p-1', ['ms-A']), roles: ['funder'] }, 'ms-A')).resolves.toBe(false);
    await expect(authorization.isTeam({ ...professional('p-1', ['ms-A']), roles: ['regional_coordinator'] }, 'ms-A')).resolves.toBe(false);
  });

  it('replaces the token’s microstructures by the current memberships', async () => {
    await expect(authorization.withCurrentTeams(professional('p-1', ['ms-B']))).resolves.toMatchObject({ microstructureIds: ['ms-A'] });
    await expect(authorization.withCurrentTeams(professional('p-2', ['ms-A']))).resolves.toMatchObject({ microstructureIds: [] });
    await expect(authorization.withCurrentTeams({ userId: 'f', roles: ['funder'], networkIds: [], microstructureIds: ['ms-A'] })).resolves.toMatchObject({ microstructureIds: [] });
  });
});

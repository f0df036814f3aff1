import { demoIdentities } from './demo-sign-in';

describe('demoIdentities', () => {
  const member = (professionalId: string, profession: string, firstName: string) => ({ professionalId, profession, professional: { firstName, lastName: 'Démo' } });
  const directory = {
    networks: {
      nodes: [
        {
          id: 'n-1',
          name: 'Réseau A',
          region: 'Grand Est',
          microstructures: {
            nodes: [
              { id: 'm-1', name: 'MS 1', status: 'ACTIVE', members: [member('p-1', 'GENERAL_PRACTITIONER', 'Alice'), member('p-2', 'PSYCHOLOGIST', 'Bruno')] },
              { id: 'm-2', name: 'MS 2', status: 'ACTIVE', members: [member('p-1', 'GENERAL_PRACTITIONER', 'Alice')] },
            ],
          },
        },
        { id: 'n-2', name: 'Réseau B', region: 'Occitanie', microstructures: { nodes: [] } },
      ],
    },
  };

  it('offers the national coordination, one coordinator per network, each professional with their scopes, and a funder', () => {
    const identities = demoIdentities(directory);
    expect(identities.map((i) => i.key)).toEqual(['demo:national', 'demo:coordination:n-1', 'demo:coordination:n-2', 'demo:p-1', 'demo:p-2', 'demo:funder']);
    expect(identities.find((i) => i.key === 'demo:coordination:n-2')?.identity).toEqual({
      userId: 'demo:coordination:n-2',
      displayName: 'Coordination Réseau B',
      roles: ['regional_coordinator'],
      networkIds: ['n-2'],
      microstructureIds: [],
    });
    const alice = identities.find((i) => i.key === 'demo:p-1');
    expect(alice?.identity).toMatchObject({ roles: ['professional'], networkIds: ['n-1'], microstructureIds: ['m-1', 'm-2'], professionalId: 'p-1' });
    expect(alice?.role).toBe('Médecin généraliste');
    expect(identities.find((i) => i.key === 'demo:funder')?.identity).toMatchObject({ roles: ['funder'], networkIds: ['n-1', 'n-2'] });
  });
});

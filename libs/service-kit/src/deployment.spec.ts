import { ConfigurationError } from './config';
import { deploymentFrom } from './deployment';

describe('deploymentFrom', () => {
  it('is the single platform of today when nothing is said', () => {
    expect(deploymentFrom({}).deployment.kind).toBe('single');
  });

  it('reads a national deployment, its regions and the networks each owns', () => {
    const { deployment, owners } = deploymentFrom({ DEPLOYMENT_KIND: 'national', FEDERATION_REGIONS: 'region-a:n1|n2, region-b' });
    expect(deployment).toMatchObject({ kind: 'national', id: 'national', regions: ['region-a', 'region-b'] });
    expect(owners.get('region-a')).toEqual(['n1', 'n2']);
    expect(owners.get('region-b')).toEqual([]);
  });

  it('reads a regional deployment and its network', () => {
    const { deployment } = deploymentFrom({ DEPLOYMENT_KIND: 'regional', DEPLOYMENT_ID: 'region-a', DEPLOYMENT_NETWORKS: 'n1' });
    expect(deployment).toMatchObject({ kind: 'regional', id: 'region-a', nationalId: 'national', networks: ['n1'] });
  });

  it('refuses a regional deployment without its network or name, naming the variables', () => {
    expect(() => deploymentFrom({ DEPLOYMENT_KIND: 'regional' })).toThrow(ConfigurationError);
    expect(() => deploymentFrom({ DEPLOYMENT_KIND: 'regional' })).toThrow(/DEPLOYMENT_ID[\s\S]*DEPLOYMENT_NETWORKS/);
  });

  it('refuses an unknown kind and a malformed alias', () => {
    expect(() => deploymentFrom({ DEPLOYMENT_KIND: 'federal' })).toThrow(/DEPLOYMENT_KIND/);
    expect(() => deploymentFrom({ DEPLOYMENT_KIND: 'national', FEDERATION_REGIONS: 'Region A' })).toThrow(/FEDERATION_REGIONS/);
  });
});

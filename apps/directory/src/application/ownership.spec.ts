import { DomainError } from '@cnrms/decider';
import { DeploymentOwnership } from './ownership';

const codeOf = (action: () => void) => {
  try {
    action();
    return 'ACCEPTED';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('DeploymentOwnership', () => {
  describe('in the single platform', () => {
    const ownership = new DeploymentOwnership({});
    it('lets every change through', () => {
      expect(codeOf(() => ownership.assertNetworkRecordWritable())).toBe('ACCEPTED');
      expect(codeOf(() => ownership.assertNetworkContentWritable('n1'))).toBe('ACCEPTED');
    });
  });

  describe('in a regional deployment', () => {
    const ownership = new DeploymentOwnership({ DEPLOYMENT_KIND: 'regional', DEPLOYMENT_ID: 'region-a', DEPLOYMENT_NETWORKS: 'n1' });
    it('refuses a change of the network’s record, which the national level owns', () => {
      expect(codeOf(() => ownership.assertNetworkRecordWritable())).toBe('OWNED_NATIONALLY');
    });
    it('accepts its own network’s microstructures and refuses another network’s', () => {
      expect(codeOf(() => ownership.assertNetworkContentWritable('n1'))).toBe('ACCEPTED');
      expect(codeOf(() => ownership.assertNetworkContentWritable('n2'))).toBe('NETWORK_NOT_OWNED');
    });
  });

  describe('in the national deployment', () => {
    const ownership = new DeploymentOwnership({ DEPLOYMENT_KIND: 'national', FEDERATION_REGIONS: 'region-a:n1' });
    it('keeps the networks’ records and the hosted networks, and refuses a self-hosting region’s microstructures', () => {
      expect(codeOf(() => ownership.assertNetworkRecordWritable())).toBe('ACCEPTED');
      expect(codeOf(() => ownership.assertNetworkContentWritable('n2'))).toBe('ACCEPTED');
      expect(codeOf(() => ownership.assertNetworkContentWritable('n1'))).toBe('NETWORK_OWNED_BY_REGION');
    });
  });
});

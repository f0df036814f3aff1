import { DomainError } from '@cnrms/decider';
import { deploymentFrom } from '@cnrms/service-kit';

/**
 * What this deployment may change (docs/deployments.md). The national level owns the regional networks'
 * records; a regional deployment owns its network's microstructures and professionals' memberships. A
 * change of what another deployment owns is refused here, before any command: it would otherwise be
 * overwritten, or dead-lettered by the owner's consumers.
 */
export class DeploymentOwnership {
  private readonly kind: 'single' | 'national' | 'regional';
  private readonly owned: readonly string[];
  private readonly ownedByRegions: Map<string, string>;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const { deployment, owners } = deploymentFrom(env);
    this.kind = deployment.kind;
    this.owned = deployment.networks;
    this.ownedByRegions = new Map([...owners].flatMap(([region, networks]) => networks.map((network) => [network, region] as [string, string])));
  }

  /** Creating a network, changing its departments or coordinators: the national level's records. */
  assertNetworkRecordWritable(): void {
    if (this.kind === 'regional') {
      throw new DomainError('OWNED_NATIONALLY', 'Le réseau régional est tenu par la coordination nationale : ce changement se fait sur la plateforme nationale.', 'FORBIDDEN');
    }
  }

  /** A network's microstructures (and their members and partners). */
  assertNetworkContentWritable(networkId: string): void {
    if (this.kind === 'regional' && !this.owned.includes(networkId)) {
      throw new DomainError('NETWORK_NOT_OWNED', 'Ce réseau n’est pas porté par cette plateforme régionale.', 'FORBIDDEN', { networkId });
    }
    const region = this.ownedByRegions.get(networkId);
    if (this.kind === 'national' && region) {
      throw new DomainError('NETWORK_OWNED_BY_REGION', `Ce réseau a sa propre plateforme (${region}) : ses microstructures se gèrent là-bas.`, 'FORBIDDEN', { networkId, region });
    }
  }
}

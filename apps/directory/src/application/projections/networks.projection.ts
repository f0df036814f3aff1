import { Injectable } from '@nestjs/common';
import { DirectoryEvent, NATIONAL_NETWORK_ID, regionOf } from '@cnrms/domain-directory';
import { Projection, RecordedEvent } from '@cnrms/eventsourcing';
import { EntityManager } from 'typeorm';
import { NationalNetworkRow, NetworkRow } from '../../infrastructure/read-models.entities';

export const NETWORKS_PROJECTION = 'directory.networks.v1';

/** The national coordination and the regional networks, with their departments and coordinators. */
@Injectable()
export class NetworksProjection implements Projection {
  readonly name = NETWORKS_PROJECTION;
  readonly categories = ['nationalnetwork', 'network'];

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const networks = manager.getRepository(NetworkRow);
    const event = { type: recorded.type, data: recorded.data } as DirectoryEvent;
    switch (event.type) {
      case 'NationalNetworkEstablished':
        await manager.getRepository(NationalNetworkRow).upsert({ id: NATIONAL_NETWORK_ID, name: event.data.name, establishedAt: new Date(event.data.establishedAt) }, ['id']);
        return;
      case 'RegionalNetworkCreated':
        await networks.upsert(
          {
            id: event.data.networkId,
            name: event.data.name,
            region: event.data.region,
            // Networks created when the region was free text: the code their region's name matches, if any.
            regionCode: event.data.regionCode ?? regionOf(event.data.region)?.code ?? null,
            departments: event.data.departments,
            coordinators: [],
            createdAt: new Date(event.data.createdAt),
          },
          ['id'],
        );
        return;
      case 'RegionalNetworkRenamed':
        await networks.update(event.data.networkId, { name: event.data.name });
        return;
      case 'DepartmentsCoveredChanged':
        await networks.update(event.data.networkId, { departments: event.data.departments });
        return;
      case 'CoordinatorAppointed': {
        const network = await networks.findOneByOrFail({ id: event.data.networkId });
        const others = network.coordinators.filter((c) => c.role !== event.data.role);
        await networks.update(event.data.networkId, { coordinators: [...others, { name: event.data.coordinator.name, role: event.data.role, email: event.data.coordinator.email ?? null }] });
        return;
      }
      case 'CoordinatorRemoved': {
        const network = await networks.findOneByOrFail({ id: event.data.networkId });
        await networks.update(event.data.networkId, { coordinators: network.coordinators.filter((c) => c.role !== event.data.role) });
        return;
      }
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.clear(NetworkRow);
    await manager.clear(NationalNetworkRow);
  }
}

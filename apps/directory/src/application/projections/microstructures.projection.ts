import { Injectable } from '@nestjs/common';
import { DirectoryEvent } from '@cnrms/domain-directory';
import { Projection, RecordedEvent } from '@cnrms/eventsourcing';
import { EntityManager } from 'typeorm';
import { MembershipRow, MicrostructureRow, PartnerRow } from '../../infrastructure/read-models.entities';

export const MICROSTRUCTURES_PROJECTION = 'directory.microstructures.v1';

/** Microstructures with their status, team (memberships with dates) and partners. */
@Injectable()
export class MicrostructuresProjection implements Projection {
  readonly name = MICROSTRUCTURES_PROJECTION;
  readonly categories = ['microstructure'];

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const microstructures = manager.getRepository(MicrostructureRow);
    const event = { type: recorded.type, data: recorded.data } as DirectoryEvent;
    const { microstructureId } = event.data as { microstructureId: string };
    switch (event.type) {
      case 'MicrostructureCreated':
        await microstructures.upsert(
          {
            id: microstructureId,
            networkId: event.data.networkId,
            name: event.data.name,
            kind: event.data.kind,
            status: 'IN_CREATION',
            department: event.data.department,
            practiceSite: event.data.practiceSite,
            openedOn: null,
            closedOn: null,
            closureReason: null,
            createdAt: new Date(event.data.createdAt),
          },
          ['id'],
        );
        return;
      case 'MicrostructureRenamed':
        await microstructures.update(microstructureId, { name: event.data.name });
        return;
      case 'MicrostructureMoved':
        await microstructures.update(microstructureId, { practiceSite: event.data.practiceSite, department: event.data.department });
        return;
      case 'MicrostructureOpened':
        await microstructures.update(microstructureId, { status: 'ACTIVE', openedOn: event.data.openedOn });
        return;
      case 'MicrostructureClosed':
        await microstructures.update(microstructureId, { status: 'CLOSED', closedOn: event.data.closedOn, closureReason: event.data.reason });
        return;
      case 'ProfessionalJoinedMicrostructure':
        await manager.getRepository(MembershipRow).upsert(
          {
            microstructureId,
            professionalId: event.data.professionalId,
            startedOn: event.data.startedOn,
            networkId: event.data.networkId,
            profession: event.data.profession,
            role: event.data.role,
            endedOn: null,
          },
          ['microstructureId', 'professionalId', 'startedOn'],
        );
        return;
      case 'MembershipEnded':
        await manager.getRepository(MembershipRow).update({ microstructureId, professionalId: event.data.professionalId, startedOn: event.data.startedOn }, { endedOn: event.data.endedOn });
        return;
      case 'PartnerAdded':
        await manager
          .getRepository(PartnerRow)
          .upsert({ microstructureId, partnerId: event.data.partnerId, name: event.data.name, type: event.data.type, contact: event.data.contact ?? null }, ['microstructureId', 'partnerId']);
        return;
      case 'PartnerRemoved':
        await manager.getRepository(PartnerRow).delete({ microstructureId, partnerId: event.data.partnerId });
        return;
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.clear(PartnerRow);
    await manager.clear(MembershipRow);
    await manager.clear(MicrostructureRow);
  }
}

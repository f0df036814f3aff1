import { Injectable } from '@nestjs/common';
import { DirectoryEvent } from '@cnrms/domain-directory';
import { Projection, RecordedEvent } from '@cnrms/eventsourcing';
import { EntityManager } from 'typeorm';
import { ProfessionalRow } from '../../infrastructure/read-models.entities';

export const PROFESSIONALS_PROJECTION = 'directory.professionals.v1';

/** Professionals, by name and profession. */
@Injectable()
export class ProfessionalsProjection implements Projection {
  readonly name = PROFESSIONALS_PROJECTION;
  readonly categories = ['professional'];

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as DirectoryEvent;
    if (event.type === 'ProfessionalIdentityChanged') {
      const { professionalId, lastName, firstName, email } = event.data;
      await manager.getRepository(ProfessionalRow).update(professionalId, { lastName, firstName, email: email ?? null });
      return;
    }
    if (event.type !== 'ProfessionalRegistered') return;
    const data = event.data;
    await manager.getRepository(ProfessionalRow).upsert(
      {
        id: data.professionalId,
        firstName: data.firstName,
        lastName: data.lastName,
        profession: data.profession,
        rpps: data.rpps ?? null,
        adeli: data.adeli ?? null,
        email: data.email ?? null,
        registeredAt: new Date(data.registeredAt),
      },
      ['id'],
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.clear(ProfessionalRow);
  }
}

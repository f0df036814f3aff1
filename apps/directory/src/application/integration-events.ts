import {
  MembershipEnded,
  MembershipStarted,
  MicrostructureClosed,
  MicrostructureCreated,
  MicrostructureOpened,
  NetworkCreated,
  NetworkDepartmentsChanged,
  messageOf,
  PartnerAdded,
  PartnerRemoved,
  ProfessionalContactChanged,
  ProfessionalRegistered,
} from '@cnrms/contracts';
import { DirectoryEvent } from '@cnrms/domain-directory';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { RelayDefinition } from '@cnrms/service-kit';

/**
 * What the other services learn from the directory. Each integration event names its contract, so a
 * payload that drifts from it is refused at publication. Events nobody outside needs stay inside.
 */
export function translateDirectoryEvent(recorded: RecordedEvent) {
  const event = { type: recorded.type, data: recorded.data } as DirectoryEvent;
  switch (event.type) {
    case 'RegionalNetworkCreated': {
      const { networkId, name, region, regionCode, departments } = event.data;
      return messageOf(NetworkCreated, networkId, { networkId, name, region, regionCode: regionCode ?? null, departments });
    }
    case 'DepartmentsCoveredChanged': {
      const { networkId, departments } = event.data;
      return messageOf(NetworkDepartmentsChanged, networkId, { networkId, departments });
    }
    case 'MicrostructureCreated': {
      const { microstructureId, networkId, name, kind, department } = event.data;
      return messageOf(MicrostructureCreated, microstructureId, { microstructureId, networkId, name, kind, department });
    }
    case 'MicrostructureOpened': {
      const { microstructureId, networkId, kind, department, openedOn } = event.data;
      return messageOf(MicrostructureOpened, microstructureId, { microstructureId, networkId, kind, department, openedOn });
    }
    case 'MicrostructureClosed': {
      const { microstructureId, networkId, closedOn } = event.data;
      return messageOf(MicrostructureClosed, microstructureId, { microstructureId, networkId, closedOn });
    }
    case 'ProfessionalJoinedMicrostructure': {
      const { microstructureId, networkId, professionalId, profession, role, startedOn } = event.data;
      return messageOf(MembershipStarted, microstructureId, { microstructureId, networkId, professionalId, profession, role, startedOn });
    }
    case 'MembershipEnded': {
      const { microstructureId, networkId, professionalId, startedOn, endedOn } = event.data;
      return messageOf(MembershipEnded, microstructureId, { microstructureId, networkId, professionalId, startedOn, endedOn });
    }
    case 'PartnerAdded': {
      // The partner's contact may name a person: it stays in the directory.
      const { microstructureId, networkId, partnerId, name, type } = event.data;
      return messageOf(PartnerAdded, microstructureId, { microstructureId, networkId, partnerId, name, partnerType: type });
    }
    case 'PartnerRemoved': {
      const { microstructureId, networkId, partnerId } = event.data;
      return messageOf(PartnerRemoved, microstructureId, { microstructureId, networkId, partnerId });
    }
    case 'ProfessionalRegistered': {
      const { professionalId, profession, firstName, lastName, email } = event.data;
      return messageOf(ProfessionalRegistered, professionalId, { professionalId, profession, displayName: `${firstName} ${lastName}`, email: email ?? null });
    }
    case 'ProfessionalIdentityChanged': {
      const { professionalId, firstName, lastName, email } = event.data;
      return messageOf(ProfessionalContactChanged, professionalId, { professionalId, displayName: `${firstName} ${lastName}`, email: email ?? null });
    }
    default:
      return null;
  }
}

export const directoryRelay: RelayDefinition = {
  categories: ['network', 'microstructure', 'professional'],
  translate: translateDirectoryEvent,
};

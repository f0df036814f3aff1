import { AdeliClaimed, RppsClaimed } from './identifier-claim.decider';
import { MicrostructureEvent } from './microstructure.decider';
import { NationalNetworkEvent } from './national-network.decider';
import { ProfessionalEvent } from './professional.decider';
import { RegionalNetworkEvent } from './regional-network.decider';

export type DirectoryEvent = NationalNetworkEvent | RegionalNetworkEvent | MicrostructureEvent | ProfessionalEvent | RppsClaimed | AdeliClaimed;
export type DirectoryEventType = DirectoryEvent['type'];

// A record keyed by the union makes a forgotten or misspelt event type a compile error.
const eventTypes: Record<DirectoryEventType, true> = {
  NationalNetworkEstablished: true,
  RegionalNetworkCreated: true,
  RegionalNetworkRenamed: true,
  DepartmentsCoveredChanged: true,
  CoordinatorAppointed: true,
  CoordinatorRemoved: true,
  MicrostructureCreated: true,
  MicrostructureRenamed: true,
  MicrostructureMoved: true,
  ProfessionalJoinedMicrostructure: true,
  MembershipEnded: true,
  MicrostructureOpened: true,
  MicrostructureClosed: true,
  PartnerAdded: true,
  PartnerRemoved: true,
  ProfessionalRegistered: true,
  ProfessionalIdentityChanged: true,
  RppsClaimed: true,
  AdeliClaimed: true,
};

/** Every event type the directory records (e.g. for an upcaster registry or a projection's filter). */
export const DIRECTORY_EVENT_TYPES = Object.freeze(Object.keys(eventTypes) as DirectoryEventType[]);

export const isDirectoryEvent = (event: { type: string }): event is DirectoryEvent => Object.prototype.hasOwnProperty.call(eventTypes, event.type);

import { assertNever, Command, Decider, DomainError, DomainEvent, NotFoundError } from '@cnrms/decider';
import { regionOf, requireDepartmentsInRegion, requireRegionCode } from './regions';
import {
  CoordinatorRole,
  optionalEmail,
  requireCoordinatorRole,
  requireDate,
  requireDepartments,
  requireId,
  requireName,
  requireTimestamp,
} from './values';

// A regional network of microstructures, stream `network-<networkId>`. Its region is an official
// region code (`regions.ts`); the departments it covers lie in that region.

export interface Coordinator {
  /** Set when the coordinator is a registered professional. */
  coordinatorId?: string;
  name: string;
  email?: string;
}

export type CreateRegionalNetwork = Command<
  'CreateRegionalNetwork',
  { networkId: string; name: string; region: string; departments: string[]; createdAt: string }
>;
export type RenameRegionalNetwork = Command<'RenameRegionalNetwork', { networkId: string; name: string }>;
export type ChangeDepartmentsCovered = Command<'ChangeDepartmentsCovered', { networkId: string; departments: string[] }>;
export type AppointCoordinator = Command<
  'AppointCoordinator',
  { networkId: string; role: CoordinatorRole; name: string; coordinatorId?: string; email?: string; appointedOn: string }
>;
export type RemoveCoordinator = Command<'RemoveCoordinator', { networkId: string; role: CoordinatorRole; removedOn: string }>;
export type RegionalNetworkCommand = CreateRegionalNetwork | RenameRegionalNetwork | ChangeDepartmentsCovered | AppointCoordinator | RemoveCoordinator;

export type RegionalNetworkCreated = DomainEvent<
  'RegionalNetworkCreated',
  /** `region` is the official name; `regionCode` its INSEE code (absent from networks created when the region was free text). */
  { networkId: string; name: string; region: string; regionCode?: string; departments: string[]; createdAt: string }
>;
export type RegionalNetworkRenamed = DomainEvent<'RegionalNetworkRenamed', { networkId: string; name: string }>;
export type DepartmentsCoveredChanged = DomainEvent<'DepartmentsCoveredChanged', { networkId: string; departments: string[] }>;
/** Appointing to a role already held replaces the previous coordinator. */
export type CoordinatorAppointed = DomainEvent<'CoordinatorAppointed', { networkId: string; role: CoordinatorRole; coordinator: Coordinator; appointedOn: string }>;
export type CoordinatorRemoved = DomainEvent<'CoordinatorRemoved', { networkId: string; role: CoordinatorRole; removedOn: string }>;
export type RegionalNetworkEvent = RegionalNetworkCreated | RegionalNetworkRenamed | DepartmentsCoveredChanged | CoordinatorAppointed | CoordinatorRemoved;

export type RegionalNetworkState =
  | { status: 'NONE' }
  | {
      status: 'ACTIVE';
      networkId: string;
      name: string;
      region: string;
      regionCode?: string;
      /** Sorted, so that two sets compare as arrays. */
      departments: string[];
      coordinators: Partial<Record<CoordinatorRole, Coordinator>>;
      createdAt: string;
    };
type ExistingNetwork = Extract<RegionalNetworkState, { status: 'ACTIVE' }>;

function existing(state: RegionalNetworkState): ExistingNetwork {
  if (state.status === 'NONE') throw new NotFoundError('NETWORK_NOT_FOUND', 'Ce réseau régional n’existe pas.');
  return state;
}

function create(command: CreateRegionalNetwork, state: RegionalNetworkState): RegionalNetworkEvent[] {
  if (state.status !== 'NONE') {
    throw new DomainError('NETWORK_ALREADY_EXISTS', 'Un réseau régional existe déjà avec cet identifiant.', 'CONFLICT', { networkId: state.networkId });
  }
  const { data } = command;
  const networkId = requireId(data.networkId, 'networkId', 'L’identifiant du réseau');
  const name = requireName(data.name, 'name', 'Le nom du réseau');
  const region = requireRegionCode(data.region);
  const departments = requireDepartments(data.departments);
  requireDepartmentsInRegion(departments, region);
  return [
    {
      type: 'RegionalNetworkCreated',
      data: { networkId, name, region: region.name, regionCode: region.code, departments, createdAt: requireTimestamp(data.createdAt, 'createdAt') },
    },
  ];
}

function rename(command: RenameRegionalNetwork, state: RegionalNetworkState): RegionalNetworkEvent[] {
  const network = existing(state);
  const name = requireName(command.data.name, 'name', 'Le nom du réseau');
  if (name === network.name) return [];
  return [{ type: 'RegionalNetworkRenamed', data: { networkId: network.networkId, name } }];
}

function changeDepartments(command: ChangeDepartmentsCovered, state: RegionalNetworkState): RegionalNetworkEvent[] {
  const network = existing(state);
  const departments = requireDepartments(command.data.departments);
  const region = network.regionCode === undefined ? undefined : regionOf(network.regionCode);
  if (region) requireDepartmentsInRegion(departments, region);
  if (departments.join() === network.departments.join()) return [];
  return [{ type: 'DepartmentsCoveredChanged', data: { networkId: network.networkId, departments } }];
}

function sameCoordinator(a: Coordinator | undefined, b: Coordinator): boolean {
  return a !== undefined && a.coordinatorId === b.coordinatorId && a.name === b.name && a.email === b.email;
}

function appoint(command: AppointCoordinator, state: RegionalNetworkState): RegionalNetworkEvent[] {
  const network = existing(state);
  const { data } = command;
  const role = requireCoordinatorRole(data.role);
  const coordinatorId = data.coordinatorId === undefined ? undefined : requireId(data.coordinatorId, 'coordinatorId', 'L’identifiant du coordinateur');
  const email = optionalEmail(data.email);
  const coordinator: Coordinator = {
    ...(coordinatorId !== undefined && { coordinatorId }),
    name: requireName(data.name, 'name', 'Le nom du coordinateur'),
    ...(email !== undefined && { email }),
  };
  const appointedOn = requireDate(data.appointedOn, 'appointedOn');
  if (sameCoordinator(network.coordinators[role], coordinator)) return [];
  return [{ type: 'CoordinatorAppointed', data: { networkId: network.networkId, role, coordinator, appointedOn } }];
}

function removeCoordinator(command: RemoveCoordinator, state: RegionalNetworkState): RegionalNetworkEvent[] {
  const network = existing(state);
  const role = requireCoordinatorRole(command.data.role);
  const removedOn = requireDate(command.data.removedOn, 'removedOn');
  if (!network.coordinators[role]) {
    const what = role === 'MEDICAL' ? 'médical' : 'administratif';
    throw new NotFoundError('COORDINATOR_NOT_FOUND', `Ce réseau n’a pas de coordinateur ${what} à retirer.`);
  }
  return [{ type: 'CoordinatorRemoved', data: { networkId: network.networkId, role, removedOn } }];
}

function decide(command: RegionalNetworkCommand, state: RegionalNetworkState): RegionalNetworkEvent[] {
  switch (command.type) {
    case 'CreateRegionalNetwork':
      return create(command, state);
    case 'RenameRegionalNetwork':
      return rename(command, state);
    case 'ChangeDepartmentsCovered':
      return changeDepartments(command, state);
    case 'AppointCoordinator':
      return appoint(command, state);
    case 'RemoveCoordinator':
      return removeCoordinator(command, state);
    default:
      return assertNever(command, 'regional network command');
  }
}

function evolve(state: RegionalNetworkState, event: RegionalNetworkEvent): RegionalNetworkState {
  if (event.type === 'RegionalNetworkCreated') return { status: 'ACTIVE', ...event.data, coordinators: {} };
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'RegionalNetworkRenamed':
      return { ...state, name: event.data.name };
    case 'DepartmentsCoveredChanged':
      return { ...state, departments: event.data.departments };
    case 'CoordinatorAppointed':
      return { ...state, coordinators: { ...state.coordinators, [event.data.role]: event.data.coordinator } };
    case 'CoordinatorRemoved': {
      const { [event.data.role]: _removed, ...coordinators } = state.coordinators;
      return { ...state, coordinators };
    }
    default:
      return assertNever(event, 'regional network event');
  }
}

export const regionalNetworkDecider: Decider<RegionalNetworkCommand, RegionalNetworkEvent, RegionalNetworkState> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};

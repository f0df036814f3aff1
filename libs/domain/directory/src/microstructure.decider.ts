import { assertNever, Command, Decider, DomainError, DomainEvent, NotFoundError, requireRecordedDate, ValidationError } from '@cnrms/decider';
import {
  MemberRole,
  MicrostructureKind,
  optionalText,
  PartnerType,
  PracticeSite,
  Profession,
  requireDate,
  requireDepartment,
  requireId,
  requireMemberRole,
  requireMicrostructureKind,
  requireName,
  requirePartnerType,
  requirePracticeSite,
  requireProfession,
  requireReason,
  requireTimestamp,
} from './values';

// A microstructure, stream `microstructure-<microstructureId>`. Every event carries the networkId so
// that projections need no lookup. Whether the network covers the department is checked by the
// application layer, which reads the network. "Today" (Europe/Paris) arrives on the dated commands: a
// membership, an opening or a closing is a fact that has happened, never dated in the future nor
// before 1900 (time rules: docs/time-rules.md).

type On<Data> = { microstructureId: string } & Data;

export type CreateMicrostructure = Command<
  'CreateMicrostructure',
  On<{ networkId: string; name: string; kind?: MicrostructureKind; practiceSite: PracticeSite; department: string; createdAt: string }>
>;
export type RenameMicrostructure = Command<'RenameMicrostructure', On<{ name: string }>>;
export type MoveMicrostructure = Command<'MoveMicrostructure', On<{ practiceSite: PracticeSite; department: string }>>;
export type AddMember = Command<'AddMember', On<{ professionalId: string; profession: Profession; role?: MemberRole; startedOn: string; today: string }>>;
export type EndMembership = Command<'EndMembership', On<{ professionalId: string; endedOn: string; reason?: string; today: string }>>;
export type OpenMicrostructure = Command<'OpenMicrostructure', On<{ openedOn: string; today: string }>>;
export type CloseMicrostructure = Command<'CloseMicrostructure', On<{ closedOn: string; reason: string; today: string }>>;
export type AddPartner = Command<'AddPartner', On<{ partnerId: string; name: string; type: PartnerType; contact?: string }>>;
export type RemovePartner = Command<'RemovePartner', On<{ partnerId: string }>>;
export type MicrostructureCommand =
  | CreateMicrostructure
  | RenameMicrostructure
  | MoveMicrostructure
  | AddMember
  | EndMembership
  | OpenMicrostructure
  | CloseMicrostructure
  | AddPartner
  | RemovePartner;

type Of<Data> = { microstructureId: string; networkId: string } & Data;

export type MicrostructureCreated = DomainEvent<
  'MicrostructureCreated',
  Of<{ name: string; kind: MicrostructureKind; practiceSite: PracticeSite; department: string; createdAt: string }>
>;
export type MicrostructureRenamed = DomainEvent<'MicrostructureRenamed', Of<{ name: string }>>;
export type MicrostructureMoved = DomainEvent<'MicrostructureMoved', Of<{ practiceSite: PracticeSite; department: string }>>;
export type ProfessionalJoinedMicrostructure = DomainEvent<
  'ProfessionalJoinedMicrostructure',
  Of<{ professionalId: string; profession: Profession; role: MemberRole; startedOn: string }>
>;
export type MembershipEnded = DomainEvent<
  'MembershipEnded',
  Of<{ professionalId: string; profession: Profession; startedOn: string; endedOn: string; reason?: string }>
>;
export type MicrostructureOpened = DomainEvent<'MicrostructureOpened', Of<{ kind: MicrostructureKind; department: string; openedOn: string }>>;
export type MicrostructureClosed = DomainEvent<'MicrostructureClosed', Of<{ kind: MicrostructureKind; department: string; closedOn: string; reason: string }>>;
export type PartnerAdded = DomainEvent<'PartnerAdded', Of<{ partnerId: string; name: string; type: PartnerType; contact?: string }>>;
export type PartnerRemoved = DomainEvent<'PartnerRemoved', Of<{ partnerId: string }>>;
export type MicrostructureEvent =
  | MicrostructureCreated
  | MicrostructureRenamed
  | MicrostructureMoved
  | ProfessionalJoinedMicrostructure
  | MembershipEnded
  | MicrostructureOpened
  | MicrostructureClosed
  | PartnerAdded
  | PartnerRemoved;

export interface Membership {
  professionalId: string;
  profession: Profession;
  role: MemberRole;
  startedOn: string;
  endedOn?: string;
}

export interface Partner {
  partnerId: string;
  name: string;
  type: PartnerType;
  contact?: string;
}

interface MicrostructureRecord {
  microstructureId: string;
  networkId: string;
  name: string;
  kind: MicrostructureKind;
  practiceSite: PracticeSite;
  department: string;
  createdAt: string;
  /** Every membership, ended ones included: a closed microstructure keeps its history. */
  memberships: Membership[];
  partners: Partner[];
}

export type MicrostructureState =
  | { status: 'NONE' }
  | ({ status: 'IN_CREATION' } & MicrostructureRecord)
  | ({ status: 'ACTIVE'; openedOn: string } & MicrostructureRecord)
  | ({ status: 'CLOSED'; openedOn?: string; closedOn: string; closureReason: string } & MicrostructureRecord);
export type ExistingMicrostructure = Exclude<MicrostructureState, { status: 'NONE' }>;
type OpenState = Exclude<ExistingMicrostructure, { status: 'CLOSED' }>;

export const activeMemberships = (state: MicrostructureState): Membership[] =>
  state.status === 'NONE' ? [] : state.memberships.filter((membership) => membership.endedOn === undefined);

function existing(state: MicrostructureState): ExistingMicrostructure {
  if (state.status === 'NONE') throw new NotFoundError('MICROSTRUCTURE_NOT_FOUND', 'Cette microstructure n’existe pas.');
  return state;
}

/** Once closed, a microstructure is history: nothing changes any more. */
function notClosed(state: MicrostructureState, message = 'Cette microstructure est fermée : elle ne peut plus être modifiée.'): OpenState {
  const microstructure = existing(state);
  if (microstructure.status === 'CLOSED') throw new DomainError('MICROSTRUCTURE_CLOSED', message);
  return microstructure;
}

const ids = (state: ExistingMicrostructure) => ({ microstructureId: state.microstructureId, networkId: state.networkId });

function create(command: CreateMicrostructure, state: MicrostructureState): MicrostructureEvent[] {
  if (state.status !== 'NONE') {
    throw new DomainError('MICROSTRUCTURE_ALREADY_EXISTS', 'Une microstructure existe déjà avec cet identifiant.', 'CONFLICT');
  }
  const { data } = command;
  return [
    {
      type: 'MicrostructureCreated',
      data: {
        microstructureId: requireId(data.microstructureId, 'microstructureId', 'L’identifiant de la microstructure'),
        networkId: requireId(data.networkId, 'networkId', 'L’identifiant du réseau'),
        name: requireName(data.name, 'name', 'Le nom de la microstructure'),
        kind: data.kind === undefined ? 'ADDICTION' : requireMicrostructureKind(data.kind),
        practiceSite: requirePracticeSite(data.practiceSite),
        department: requireDepartment(data.department),
        createdAt: requireTimestamp(data.createdAt, 'createdAt'),
      },
    },
  ];
}

function rename(command: RenameMicrostructure, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state);
  const name = requireName(command.data.name, 'name', 'Le nom de la microstructure');
  if (name === microstructure.name) return [];
  return [{ type: 'MicrostructureRenamed', data: { ...ids(microstructure), name } }];
}

function move(command: MoveMicrostructure, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state);
  const practiceSite = requirePracticeSite(command.data.practiceSite);
  const department = requireDepartment(command.data.department);
  if (department === microstructure.department && JSON.stringify(practiceSite) === JSON.stringify(microstructure.practiceSite)) return [];
  return [{ type: 'MicrostructureMoved', data: { ...ids(microstructure), practiceSite, department } }];
}

function addMember(command: AddMember, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state, 'Un professionnel ne peut pas rejoindre une microstructure fermée.');
  const { data } = command;
  const professionalId = requireId(data.professionalId, 'professionalId', 'L’identifiant du professionnel');
  const profession = requireProfession(data.profession);
  const role = data.role === undefined ? 'MEMBER' : requireMemberRole(data.role);
  const startedOn = requireRecordedDate(data.startedOn, 'startedOn', requireDate(data.today, 'today'));
  if (role === 'COORDINATING_GP' && profession !== 'GENERAL_PRACTITIONER') {
    throw new ValidationError('INVALID_MEMBER_ROLE', 'Le rôle de médecin coordinateur est réservé à un médecin généraliste.', 'role');
  }
  const previous = microstructure.memberships.filter((membership) => membership.professionalId === professionalId);
  if (previous.some((membership) => membership.endedOn === undefined)) {
    throw new DomainError('ALREADY_MEMBER', 'Ce professionnel fait déjà partie de l’équipe de cette microstructure.', 'CONFLICT', { professionalId });
  }
  const lastEnd = previous.map((membership) => membership.endedOn as string).sort().pop();
  if (lastEnd !== undefined && startedOn <= lastEnd) {
    throw new ValidationError('INVALID_DATE_RANGE', `Ce professionnel a quitté l’équipe le ${lastEnd} : il ne peut la rejoindre à nouveau qu’après cette date.`, 'startedOn');
  }
  return [{ type: 'ProfessionalJoinedMicrostructure', data: { ...ids(microstructure), professionalId, profession, role, startedOn } }];
}

function endMembership(command: EndMembership, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state);
  const { data } = command;
  const professionalId = requireId(data.professionalId, 'professionalId', 'L’identifiant du professionnel');
  const endedOn = requireRecordedDate(data.endedOn, 'endedOn', requireDate(data.today, 'today'));
  const reason = optionalText(data.reason, 'reason', 'Le motif');
  const membership = activeMemberships(microstructure).find((m) => m.professionalId === professionalId);
  if (!membership) throw new NotFoundError('NOT_A_MEMBER', 'Ce professionnel ne fait pas partie de l’équipe de cette microstructure.');
  if (endedOn < membership.startedOn) {
    throw new ValidationError('INVALID_DATE_RANGE', `La date de fin ne peut pas précéder l’arrivée dans l’équipe (${membership.startedOn}).`, 'endedOn');
  }
  const { profession, startedOn } = membership;
  return [{ type: 'MembershipEnded', data: { ...ids(microstructure), professionalId, profession, startedOn, endedOn, ...(reason !== undefined && { reason }) } }];
}

function open(command: OpenMicrostructure, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state);
  if (microstructure.status === 'ACTIVE') throw new DomainError('MICROSTRUCTURE_ALREADY_OPEN', `Cette microstructure est déjà ouverte depuis le ${microstructure.openedOn}.`);
  const openedOn = requireRecordedDate(command.data.openedOn, 'openedOn', requireDate(command.data.today, 'today'));
  const hasGp = activeMemberships(microstructure).some((m) => m.profession === 'GENERAL_PRACTITIONER' && m.startedOn <= openedOn);
  if (!hasGp) {
    throw new DomainError('GP_REQUIRED', 'Une microstructure ne peut ouvrir qu’avec au moins un médecin généraliste dans l’équipe à la date d’ouverture.');
  }
  const { kind, department } = microstructure;
  return [{ type: 'MicrostructureOpened', data: { ...ids(microstructure), kind, department, openedOn } }];
}

function close(command: CloseMicrostructure, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = existing(state);
  if (microstructure.status === 'CLOSED') throw new DomainError('ALREADY_CLOSED', `Cette microstructure est déjà fermée depuis le ${microstructure.closedOn}.`);
  const closedOn = requireRecordedDate(command.data.closedOn, 'closedOn', requireDate(command.data.today, 'today'));
  const reason = requireReason(command.data.reason);
  if (microstructure.status === 'ACTIVE' && closedOn < microstructure.openedOn) {
    throw new ValidationError('INVALID_DATE_RANGE', `La date de fermeture ne peut pas précéder l’ouverture (${microstructure.openedOn}).`, 'closedOn');
  }
  // Every membership lies within the microstructure's life: none may start or end after its closing.
  const lastMembershipDay = [...microstructure.memberships.map((m) => m.startedOn), ...microstructure.memberships.flatMap((m) => (m.endedOn ? [m.endedOn] : []))].sort().pop();
  if (lastMembershipDay !== undefined && closedOn < lastMembershipDay) {
    throw new ValidationError(
      'CLOSURE_BEFORE_MEMBERSHIP',
      `Une adhésion de l’équipe est datée du ${lastMembershipDay} : la fermeture ne peut pas être datée d’avant ; choisissez le ${lastMembershipDay} ou plus tard.`,
      'closedOn',
    );
  }
  const { kind, department } = microstructure;
  return [{ type: 'MicrostructureClosed', data: { ...ids(microstructure), kind, department, closedOn, reason } }];
}

function addPartner(command: AddPartner, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state);
  const { data } = command;
  const partnerId = requireId(data.partnerId, 'partnerId', 'L’identifiant du partenaire');
  const name = requireName(data.name, 'name', 'Le nom du partenaire');
  const type = requirePartnerType(data.type);
  const contact = optionalText(data.contact, 'contact', 'Le contact');
  if (microstructure.partners.some((partner) => partner.partnerId === partnerId)) {
    throw new DomainError('PARTNER_ALREADY_ADDED', 'Ce partenaire figure déjà parmi ceux de la microstructure.', 'CONFLICT', { partnerId });
  }
  return [{ type: 'PartnerAdded', data: { ...ids(microstructure), partnerId, name, type, ...(contact !== undefined && { contact }) } }];
}

function removePartner(command: RemovePartner, state: MicrostructureState): MicrostructureEvent[] {
  const microstructure = notClosed(state);
  const partnerId = requireId(command.data.partnerId, 'partnerId', 'L’identifiant du partenaire');
  if (!microstructure.partners.some((partner) => partner.partnerId === partnerId)) {
    throw new NotFoundError('PARTNER_NOT_FOUND', 'Ce partenaire ne figure pas parmi ceux de la microstructure.');
  }
  return [{ type: 'PartnerRemoved', data: { ...ids(microstructure), partnerId } }];
}

function decide(command: MicrostructureCommand, state: MicrostructureState): MicrostructureEvent[] {
  switch (command.type) {
    case 'CreateMicrostructure':
      return create(command, state);
    case 'RenameMicrostructure':
      return rename(command, state);
    case 'MoveMicrostructure':
      return move(command, state);
    case 'AddMember':
      return addMember(command, state);
    case 'EndMembership':
      return endMembership(command, state);
    case 'OpenMicrostructure':
      return open(command, state);
    case 'CloseMicrostructure':
      return close(command, state);
    case 'AddPartner':
      return addPartner(command, state);
    case 'RemovePartner':
      return removePartner(command, state);
    default:
      return assertNever(command, 'microstructure command');
  }
}

function evolve(state: MicrostructureState, event: MicrostructureEvent): MicrostructureState {
  if (event.type === 'MicrostructureCreated') return { status: 'IN_CREATION', ...event.data, memberships: [], partners: [] };
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'MicrostructureRenamed':
      return { ...state, name: event.data.name };
    case 'MicrostructureMoved':
      return { ...state, practiceSite: event.data.practiceSite, department: event.data.department };
    case 'ProfessionalJoinedMicrostructure': {
      const { professionalId, profession, role, startedOn } = event.data;
      return { ...state, memberships: [...state.memberships, { professionalId, profession, role, startedOn }] };
    }
    case 'MembershipEnded': {
      const { professionalId, endedOn } = event.data;
      const end = (m: Membership): Membership => (m.professionalId === professionalId && m.endedOn === undefined ? { ...m, endedOn } : m);
      return { ...state, memberships: state.memberships.map(end) };
    }
    case 'MicrostructureOpened':
      return { ...state, status: 'ACTIVE', openedOn: event.data.openedOn };
    case 'MicrostructureClosed':
      return { ...state, status: 'CLOSED', closedOn: event.data.closedOn, closureReason: event.data.reason };
    case 'PartnerAdded': {
      const { partnerId, name, type, contact } = event.data;
      return { ...state, partners: [...state.partners, { partnerId, name, type, ...(contact !== undefined && { contact }) }] };
    }
    case 'PartnerRemoved':
      return { ...state, partners: state.partners.filter((partner) => partner.partnerId !== event.data.partnerId) };
    default:
      return assertNever(event, 'microstructure event');
  }
}

export const microstructureDecider: Decider<MicrostructureCommand, MicrostructureEvent, MicrostructureState> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};

import { assertNever, Command, Decider, DomainError, DomainEvent, NotFoundError } from '@cnrms/decider';
import { optionalEmail, Profession, requireAdeli, requireId, requireName, requireProfession, requireRpps, requireTimestamp } from './values';

// A health or social-care professional, stream `professional-<professionalId>`. Only formats are
// checked: a GP normally has an RPPS number, but the directory does not refuse one who has none yet.
// Uniqueness of RPPS and ADELI numbers is kept by their own streams (identifier-claim.decider.ts).

export type RegisterProfessional = Command<
  'RegisterProfessional',
  { professionalId: string; lastName: string; firstName: string; profession: Profession; rpps?: string; adeli?: string; email?: string; registeredAt: string }
>;
/** Corrects or updates the name and e-mail (e.g. after a change of name). */
export type ChangeProfessionalIdentity = Command<'ChangeProfessionalIdentity', { professionalId: string; lastName: string; firstName: string; email?: string }>;
export type ProfessionalCommand = RegisterProfessional | ChangeProfessionalIdentity;

export type ProfessionalRegistered = DomainEvent<
  'ProfessionalRegistered',
  { professionalId: string; lastName: string; firstName: string; profession: Profession; rpps?: string; adeli?: string; email?: string; registeredAt: string }
>;
export type ProfessionalIdentityChanged = DomainEvent<'ProfessionalIdentityChanged', { professionalId: string; lastName: string; firstName: string; email?: string }>;
export type ProfessionalEvent = ProfessionalRegistered | ProfessionalIdentityChanged;

export type ProfessionalState =
  | { status: 'NOT_REGISTERED' }
  | { status: 'REGISTERED'; professionalId: string; lastName: string; firstName: string; profession: Profession; rpps?: string; adeli?: string; email?: string; registeredAt: string };

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

interface Identity {
  lastName: string;
  firstName: string;
  email?: string;
}

function identity(data: { lastName: unknown; firstName: unknown; email?: unknown }): Identity {
  const email = optionalEmail(data.email);
  return {
    lastName: requireName(data.lastName, 'lastName', 'Le nom de famille'),
    firstName: requireName(data.firstName, 'firstName', 'Le prénom'),
    ...optional('email', email),
  };
}

function register(command: RegisterProfessional, state: ProfessionalState): ProfessionalEvent[] {
  if (state.status === 'REGISTERED') {
    throw new DomainError('PROFESSIONAL_ALREADY_REGISTERED', 'Ce professionnel est déjà enregistré dans l’annuaire.', 'CONFLICT', { professionalId: state.professionalId });
  }
  const { data } = command;
  const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  const { email, ...names } = identity(data);
  return [
    {
      type: 'ProfessionalRegistered',
      data: {
        professionalId: requireId(data.professionalId, 'professionalId', 'L’identifiant du professionnel'),
        ...names,
        profession: requireProfession(data.profession),
        ...optional('rpps', blank(data.rpps) ? undefined : requireRpps(data.rpps)),
        ...optional('adeli', blank(data.adeli) ? undefined : requireAdeli(data.adeli)),
        ...optional('email', email),
        registeredAt: requireTimestamp(data.registeredAt, 'registeredAt'),
      },
    },
  ];
}

function changeIdentity(command: ChangeProfessionalIdentity, state: ProfessionalState): ProfessionalEvent[] {
  if (state.status === 'NOT_REGISTERED') throw new NotFoundError('PROFESSIONAL_NOT_FOUND', 'Ce professionnel n’est pas enregistré dans l’annuaire.');
  const changed = identity(command.data);
  if (changed.lastName === state.lastName && changed.firstName === state.firstName && changed.email === state.email) return [];
  return [{ type: 'ProfessionalIdentityChanged', data: { professionalId: state.professionalId, ...changed } }];
}

function decide(command: ProfessionalCommand, state: ProfessionalState): ProfessionalEvent[] {
  switch (command.type) {
    case 'RegisterProfessional':
      return register(command, state);
    case 'ChangeProfessionalIdentity':
      return changeIdentity(command, state);
    default:
      return assertNever(command, 'professional command');
  }
}

function evolve(state: ProfessionalState, event: ProfessionalEvent): ProfessionalState {
  switch (event.type) {
    case 'ProfessionalRegistered':
      return { status: 'REGISTERED', ...event.data };
    case 'ProfessionalIdentityChanged': {
      if (state.status === 'NOT_REGISTERED') return state;
      const { email: _previous, ...rest } = state;
      const { lastName, firstName, email } = event.data;
      return { ...rest, lastName, firstName, ...optional('email', email) };
    }
    default:
      return assertNever(event, 'professional event');
  }
}

export const professionalDecider: Decider<ProfessionalCommand, ProfessionalEvent, ProfessionalState> = {
  initialState: () => ({ status: 'NOT_REGISTERED' }),
  decide,
  evolve,
};

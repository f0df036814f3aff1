import { assertNever, Command, Decider, DomainError, DomainEvent, NotFoundError, ValidationError } from '@cnrms/decider';
import { yearOf } from './dates';
import { MAX_AGE_YEARS } from './identity';
import { requireId, requireSex, requireTimestamp, Sex } from './values';

// A patient, stream `patient-<patientId>`; the id is pseudonymous. The identity (names, birth date,
// contact, social security number) arrives already encrypted with a key of this patient's own: the
// domain never sees it in clear. Erasure destroys the key (application side) and records the fact
// here; the ciphertext left in `PatientRegistered` becomes unreadable, history and counts stay.
// Neither event is ever published as is: other services get the pseudonymous id, sex and age band.

export type RegisterPatient = Command<
  'RegisterPatient',
  { patientId: string; microstructureId: string; networkId: string; identityCiphertext: string; sex: Sex; birthYear: number; registeredAt: string }
>;
export type EraseIdentity = Command<'EraseIdentity', { patientId: string; erasedAt: string; requestedBy: string }>;
export type PatientCommand = RegisterPatient | EraseIdentity;

export type PatientRegistered = DomainEvent<
  'PatientRegistered',
  { patientId: string; microstructureId: string; networkId: string; identityCiphertext: string; sex: Sex; birthYear: number; registeredAt: string }
>;
export type IdentityErased = DomainEvent<
  'IdentityErased',
  {
    patientId: string;
    erasedAt: string;
    requestedBy: string;
    // Where the patient was followed, so that the erasure can be told to the other services without
    // reading the stream again. Optional: added after the event, before any erasure was recorded.
    microstructureId?: string;
    networkId?: string;
  }
>;
export type PatientEvent = PatientRegistered | IdentityErased;

interface PatientRecord {
  patientId: string;
  microstructureId: string;
  networkId: string;
  sex: Sex;
  birthYear: number;
  registeredAt: string;
}

export type PatientState =
  | { status: 'NOT_REGISTERED' }
  | ({ status: 'REGISTERED'; identityCiphertext: string } & PatientRecord)
  | ({ status: 'IDENTITY_ERASED'; erasedAt: string; erasedBy: string } & PatientRecord);

function requireBirthYear(value: unknown, registeredAt: string): number {
  const year = yearOf(registeredAt);
  if (typeof value !== 'number' || !Number.isInteger(value) || value > year || value < year - MAX_AGE_YEARS) {
    throw new ValidationError('INVALID_BIRTH_YEAR', `L’année de naissance doit être comprise entre ${year - MAX_AGE_YEARS} et ${year}.`, 'birthYear');
  }
  return value;
}

function requireCiphertext(value: unknown): string {
  // Opaque: kept byte for byte, only refused when missing.
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError('IDENTITY_REQUIRED', 'L’identité chiffrée du patient est obligatoire.', 'identityCiphertext');
  }
  return value;
}

function register(command: RegisterPatient, state: PatientState): PatientEvent[] {
  if (state.status !== 'NOT_REGISTERED') {
    throw new DomainError('PATIENT_ALREADY_REGISTERED', 'Ce patient est déjà enregistré.', 'CONFLICT', { patientId: state.patientId });
  }
  const { data } = command;
  const registeredAt = requireTimestamp(data.registeredAt, 'registeredAt');
  return [
    {
      type: 'PatientRegistered',
      data: {
        patientId: requireId(data.patientId, 'patientId', 'L’identifiant du patient'),
        microstructureId: requireId(data.microstructureId, 'microstructureId', 'L’identifiant de la microstructure'),
        networkId: requireId(data.networkId, 'networkId', 'L’identifiant du réseau'),
        identityCiphertext: requireCiphertext(data.identityCiphertext),
        sex: requireSex(data.sex),
        birthYear: requireBirthYear(data.birthYear, registeredAt),
        registeredAt,
      },
    },
  ];
}

/** Erasing twice changes nothing: the key is already gone. */
function erase(command: EraseIdentity, state: PatientState): PatientEvent[] {
  if (state.status === 'NOT_REGISTERED') throw new NotFoundError('PATIENT_NOT_FOUND', 'Ce patient n’est pas enregistré.');
  const erasedAt = requireTimestamp(command.data.erasedAt, 'erasedAt');
  const requestedBy = requireId(command.data.requestedBy, 'requestedBy', 'L’auteur de la demande');
  if (state.status === 'IDENTITY_ERASED') return [];
  const { patientId, microstructureId, networkId } = state;
  return [{ type: 'IdentityErased', data: { patientId, erasedAt, requestedBy, microstructureId, networkId } }];
}

function decide(command: PatientCommand, state: PatientState): PatientEvent[] {
  switch (command.type) {
    case 'RegisterPatient':
      return register(command, state);
    case 'EraseIdentity':
      return erase(command, state);
    default:
      return assertNever(command, 'patient command');
  }
}

function evolve(state: PatientState, event: PatientEvent): PatientState {
  switch (event.type) {
    case 'PatientRegistered':
      return { status: 'REGISTERED', ...event.data };
    case 'IdentityErased': {
      if (state.status !== 'REGISTERED') return state;
      // The ciphertext leaves the state: nothing downstream of the decider should keep it.
      const { identityCiphertext: _erased, ...record } = state;
      return { ...record, status: 'IDENTITY_ERASED', erasedAt: event.data.erasedAt, erasedBy: event.data.requestedBy };
    }
    default:
      return assertNever(event, 'patient event');
  }
}

export const patientDecider: Decider<PatientCommand, PatientEvent, PatientState> = {
  initialState: () => ({ status: 'NOT_REGISTERED' }),
  decide,
  evolve,
};

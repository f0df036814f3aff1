import { assertNever, Command, Decider, DomainError, DomainEvent, NotFoundError, ValidationError } from '@cnrms/decider';
import { requireDate, requireId } from './values';

// The guard of one patient in one microstructure, stream `patientcase-<patientId>_<microstructureId>`.
// Appending to it with the expected version is what keeps at most one open inclusion per patient
// per microstructure, and it counts re-inclusions. The handler of IncludePatient:
//   1. decides IncludePatient against an empty inclusion (pure: validates without writing);
//   2. decides OpenCase here and appends (a conflict means another inclusion won: retry or refuse);
//   3. decides IncludePatient again with `reinclusion` from the guard and appends it.
// Opening again with the same inclusionId changes nothing, so a handler that failed at step 3 can
// retry. RecordExit is followed by CloseCase in the same way.

type Of<Data> = { patientId: string; microstructureId: string; inclusionId: string } & Data;

export type OpenCase = Command<'OpenCase', Of<{ includedOn: string }>>;
export type CloseCase = Command<'CloseCase', Of<{ exitedOn: string }>>;
export type PatientCaseCommand = OpenCase | CloseCase;

export type PatientCaseOpened = DomainEvent<'PatientCaseOpened', Of<{ includedOn: string; reinclusion: boolean; inclusionNumber: number }>>;
export type PatientCaseClosed = DomainEvent<'PatientCaseClosed', Of<{ exitedOn: string }>>;
export type PatientCaseEvent = PatientCaseOpened | PatientCaseClosed;

interface CaseRecord {
  patientId: string;
  microstructureId: string;
  inclusionId: string;
  includedOn: string;
  /** 1 for the first inclusion in this microstructure, 2 for the first re-inclusion… */
  inclusionNumber: number;
}

export type PatientCaseState = { status: 'NO_CASE' } | ({ status: 'OPEN' } & CaseRecord) | ({ status: 'CLOSED'; exitedOn: string } & CaseRecord);

/** Whether the open (or last) inclusion is a re-inclusion, for the IncludePatient command. */
export const isReinclusion = (state: PatientCaseState): boolean => state.status !== 'NO_CASE' && state.inclusionNumber > 1;

function ids(data: { patientId: unknown; microstructureId: unknown; inclusionId: unknown }) {
  return {
    patientId: requireId(data.patientId, 'patientId', 'L’identifiant du patient'),
    microstructureId: requireId(data.microstructureId, 'microstructureId', 'L’identifiant de la microstructure'),
    inclusionId: requireId(data.inclusionId, 'inclusionId', 'L’identifiant de l’inclusion'),
  };
}

function open(command: OpenCase, state: PatientCaseState): PatientCaseEvent[] {
  const of = ids(command.data);
  const includedOn = requireDate(command.data.includedOn, 'includedOn');
  if (state.status === 'OPEN') {
    if (state.inclusionId === of.inclusionId) return [];
    throw new DomainError('INCLUSION_ALREADY_OPEN', `Ce patient a déjà une inclusion en cours dans cette microstructure (depuis le ${state.includedOn}).`, 'CONFLICT', {
      inclusionId: state.inclusionId,
    });
  }
  if (state.status === 'CLOSED' && includedOn < state.exitedOn) {
    throw new ValidationError('INCLUSION_BEFORE_PREVIOUS_EXIT', `Une nouvelle inclusion ne peut pas précéder la sortie de la précédente (${state.exitedOn}).`, 'includedOn');
  }
  const inclusionNumber = state.status === 'CLOSED' ? state.inclusionNumber + 1 : 1;
  return [{ type: 'PatientCaseOpened', data: { ...of, includedOn, reinclusion: inclusionNumber > 1, inclusionNumber } }];
}

function close(command: CloseCase, state: PatientCaseState): PatientCaseEvent[] {
  const of = ids(command.data);
  const exitedOn = requireDate(command.data.exitedOn, 'exitedOn');
  if (state.status === 'NO_CASE') throw new NotFoundError('CASE_NOT_FOUND', 'Ce patient n’a jamais été inclus dans cette microstructure.');
  if (state.inclusionId !== of.inclusionId) {
    throw new DomainError('INCLUSION_MISMATCH', 'Cette inclusion n’est pas l’inclusion en cours de ce patient dans cette microstructure.', 'CONFLICT', {
      inclusionId: state.inclusionId,
    });
  }
  if (state.status === 'CLOSED') return [];
  if (exitedOn < state.includedOn) {
    throw new ValidationError('EXIT_BEFORE_INCLUSION', `La date de sortie ne peut pas précéder l’inclusion (${state.includedOn}).`, 'exitedOn');
  }
  return [{ type: 'PatientCaseClosed', data: { ...of, exitedOn } }];
}

function decide(command: PatientCaseCommand, state: PatientCaseState): PatientCaseEvent[] {
  switch (command.type) {
    case 'OpenCase':
      return open(command, state);
    case 'CloseCase':
      return close(command, state);
    default:
      return assertNever(command, 'patient case command');
  }
}

function evolve(state: PatientCaseState, event: PatientCaseEvent): PatientCaseState {
  switch (event.type) {
    case 'PatientCaseOpened': {
      const { patientId, microstructureId, inclusionId, includedOn, inclusionNumber } = event.data;
      return { status: 'OPEN', patientId, microstructureId, inclusionId, includedOn, inclusionNumber };
    }
    case 'PatientCaseClosed':
      return state.status === 'OPEN' ? { ...state, status: 'CLOSED', exitedOn: event.data.exitedOn } : state;
    default:
      return assertNever(event, 'patient case event');
  }
}

export const patientCaseDecider: Decider<PatientCaseCommand, PatientCaseEvent, PatientCaseState> = {
  initialState: () => ({ status: 'NO_CASE' }),
  decide,
  evolve,
};

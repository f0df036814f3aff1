import { assertNever, Command, Decider, DomainError, DomainEvent } from '@cnrms/decider';
import { Profession, requireId } from '../values';
import { PublishedTraining, TrainingState } from '../training/state';
import { TrainingEvent } from '../training/events';

// A request for a seat at a national day, made in a self-hosting region, stream `nationaldayrequest-<requestId>`
// (docs/deployments.md). The region records the request (its relay sends it up); the national training
// service decides the seat with the training's own decider (registration id = request id) and records its
// answer in a stream of the same name, which its relay sends down. Recording an answer twice (MirrorMaker's
// at-least-once delivery) records nothing the second time.

export const NATIONAL_DAY_REQUEST_CATEGORY = 'nationaldayrequest';
export const nationalDayRequestStream = (requestId: string): string => `${NATIONAL_DAY_REQUEST_CATEGORY}-${requireId(requestId, 'requestId', 'L’identifiant de la demande')}`;

export type NationalDayOutcome = 'REGISTERED' | 'WAITLISTED' | 'REFUSED';

export interface NationalDayRequest {
  requestId: string;
  trainingId: string;
  sessionId: string;
  professionalId: string;
  profession: Profession | null;
  memberNetworkIds: string[];
  requestedAt: string;
}

export interface NationalDayAnswer {
  requestId: string;
  trainingId: string;
  sessionId: string;
  professionalId: string;
  outcome: NationalDayOutcome;
  rank: number | null;
  reasonCode: string | null;
  reason: string | null;
  answeredAt: string;
}

export type RequestNationalDayRegistration = Command<'RequestNationalDayRegistration', NationalDayRequest>;
export type RecordNationalDayAnswer = Command<'RecordNationalDayAnswer', NationalDayAnswer>;
export type NationalDayRequestCommand = RequestNationalDayRegistration | RecordNationalDayAnswer;

export type NationalDayRegistrationRequested = DomainEvent<'NationalDayRegistrationRequested', NationalDayRequest>;
export type NationalDayRegistrationAnswered = DomainEvent<'NationalDayRegistrationAnswered', NationalDayAnswer>;
export type NationalDayRequestEvent = NationalDayRegistrationRequested | NationalDayRegistrationAnswered;

export type NationalDayRequestState = { status: 'NONE' | 'REQUESTED' | 'ANSWERED' };

export const isNationalDayRequestEvent = (event: { type: string }): event is NationalDayRequestEvent =>
  event.type === 'NationalDayRegistrationRequested' || event.type === 'NationalDayRegistrationAnswered';

export const nationalDayRequestDecider: Decider<NationalDayRequestCommand, NationalDayRequestEvent, NationalDayRequestState> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'NationalDayRegistrationRequested':
        return { status: 'REQUESTED' };
      case 'NationalDayRegistrationAnswered':
        return { status: 'ANSWERED' };
      default:
        return assertNever(event, 'national day request event');
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RequestNationalDayRegistration': {
        if (state.status !== 'NONE') throw new DomainError('REQUEST_ALREADY_EXISTS', 'Une demande existe déjà avec cet identifiant.', 'CONFLICT');
        const data = command.data;
        requireId(data.trainingId, 'trainingId', 'L’identifiant de la journée nationale');
        requireId(data.sessionId, 'sessionId', 'L’identifiant de la session');
        requireId(data.professionalId, 'professionalId', 'L’identifiant du professionnel');
        if (data.memberNetworkIds.length === 0) {
          throw new DomainError('NOT_A_MEMBER', 'Seul un professionnel membre d’une microstructure du réseau peut demander une place à une journée nationale.', 'FORBIDDEN');
        }
        return [{ type: 'NationalDayRegistrationRequested', data: { ...data, memberNetworkIds: [...data.memberNetworkIds] } }];
      }
      case 'RecordNationalDayAnswer':
        // The same answer delivered again: already recorded, nothing to add.
        if (state.status === 'ANSWERED') return [];
        return [{ type: 'NationalDayRegistrationAnswered', data: { ...command.data } }];
      default:
        return assertNever(command, 'national day request command');
    }
  },
};

/**
 * The answer to a request, from what the national training decider did with it: the registration it
 * recorded (id = request id), or, when it refused, its reason. A request decided before (a redelivery) is
 * answered from the training's state: the registration it holds under the request id.
 */
export function answerOf(request: NationalDayRequest, decided: { events: readonly TrainingEvent[] } | { refused: DomainError; state: TrainingState }, answeredAt: string): NationalDayAnswer {
  const base = { requestId: request.requestId, trainingId: request.trainingId, sessionId: request.sessionId, professionalId: request.professionalId, answeredAt };
  if ('events' in decided) {
    const waitListed = decided.events.find((event) => event.type === 'ProfessionalWaitListed');
    if (waitListed && waitListed.type === 'ProfessionalWaitListed') return { ...base, outcome: 'WAITLISTED', rank: waitListed.data.rank, reasonCode: null, reason: null };
    return { ...base, outcome: 'REGISTERED', rank: null, reasonCode: null, reason: null };
  }
  const known = decided.state.status === 'PUBLISHED' ? (decided.state as PublishedTraining).registrations[request.requestId] : undefined;
  if (known) {
    if (known.status === 'REGISTERED') return { ...base, outcome: 'REGISTERED', rank: null, reasonCode: null, reason: null };
    if (known.status === 'WAITLISTED') {
      const training = decided.state as PublishedTraining;
      const rank = training.sessions[known.sessionId].waitList.indexOf(known.registrationId) + 1;
      return { ...base, outcome: 'WAITLISTED', rank: rank > 0 ? rank : null, reasonCode: null, reason: null };
    }
    return { ...base, outcome: 'REFUSED', rank: null, reasonCode: 'REGISTRATION_CANCELLED', reason: 'Cette inscription a été annulée.' };
  }
  return { ...base, outcome: 'REFUSED', rank: null, reasonCode: decided.refused.code, reason: decided.refused.message };
}

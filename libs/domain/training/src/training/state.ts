import { Profession, TrainingKind, TrainingTheme } from '../values';
import { TrainingEvent, TrainingSession } from './events';

export type RegistrationStatus = 'REGISTERED' | 'WAITLISTED' | 'CANCELLED';

export interface RegistrationState {
  registrationId: string;
  sessionId: string;
  professionalId: string;
  networkId: string;
  profession: Profession;
  status: RegistrationStatus;
  attended: boolean;
}

export interface SessionState extends TrainingSession {
  /** Registration ids holding a seat. */
  seated: string[];
  /** Registration ids waiting, in arrival order. */
  waitList: string[];
}

export type TrainingState =
  | { status: 'NONE' }
  | {
      status: 'PUBLISHED';
      trainingId: string;
      networkId: string | null;
      kind: TrainingKind;
      theme: TrainingTheme;
      audience: Profession[];
      registrationClosesOn: string;
      sessions: Record<string, SessionState>;
      registrations: Record<string, RegistrationState>;
    };

export type PublishedTraining = Extract<TrainingState, { status: 'PUBLISHED' }>;

export const initialState = (): TrainingState => ({ status: 'NONE' });

const without = (ids: string[], id: string) => ids.filter((other) => other !== id);

/** Copies what changes: a state is never mutated (a decider's dry run must leave the loaded state as it was). */
function withSession(state: PublishedTraining, sessionId: string, change: (session: SessionState) => SessionState): PublishedTraining {
  return { ...state, sessions: { ...state.sessions, [sessionId]: change(state.sessions[sessionId]) } };
}

function withRegistration(state: PublishedTraining, registration: RegistrationState): PublishedTraining {
  return { ...state, registrations: { ...state.registrations, [registration.registrationId]: registration } };
}

export function evolve(state: TrainingState, event: TrainingEvent): TrainingState {
  if (event.type === 'TrainingPublished') {
    const { trainingId, networkId, kind, theme, audience, registrationClosesOn, sessions } = event.data;
    return {
      status: 'PUBLISHED',
      trainingId,
      networkId,
      kind,
      theme,
      audience,
      registrationClosesOn,
      sessions: Object.fromEntries(sessions.map((session) => [session.sessionId, { ...session, seated: [], waitList: [] }])),
      registrations: {},
    };
  }
  if (state.status === 'NONE') return state;
  const { registrationId, sessionId, professionalId, networkId, profession } = event.data;
  const registrant = { registrationId, sessionId, professionalId, networkId, profession };
  switch (event.type) {
    case 'ProfessionalRegistered':
      return withSession(withRegistration(state, { ...registrant, status: 'REGISTERED', attended: false }), sessionId, (s) => ({ ...s, seated: [...s.seated, registrationId] }));
    case 'ProfessionalWaitListed':
      return withSession(withRegistration(state, { ...registrant, status: 'WAITLISTED', attended: false }), sessionId, (s) => ({ ...s, waitList: [...s.waitList, registrationId] }));
    case 'WaitListedProfessionalPromoted':
      return withSession(withRegistration(state, { ...state.registrations[registrationId], status: 'REGISTERED' }), sessionId, (s) => ({
        ...s,
        seated: [...s.seated, registrationId],
        waitList: without(s.waitList, registrationId),
      }));
    case 'RegistrationCancelled':
      return withSession(withRegistration(state, { ...state.registrations[registrationId], status: 'CANCELLED' }), sessionId, (s) => ({
        ...s,
        seated: without(s.seated, registrationId),
        waitList: without(s.waitList, registrationId),
      }));
    case 'AttendanceRecorded':
      return withRegistration(state, { ...state.registrations[registrationId], attended: true });
  }
}

import { Profession, TrainingFormat, TrainingKind, TrainingTheme } from '../values';
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
      title: string;
      theme: TrainingTheme;
      audience: Profession[];
      format: TrainingFormat;
      registrationClosesOn: string;
      /** Cancelled: nothing more can happen to it. */
      cancelled: boolean;
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
    const { trainingId, networkId, kind, title, theme, audience, format, registrationClosesOn, sessions } = event.data;
    return {
      status: 'PUBLISHED',
      trainingId,
      networkId,
      kind,
      title,
      theme,
      audience,
      format,
      registrationClosesOn,
      cancelled: false,
      sessions: Object.fromEntries(sessions.map((session) => [session.sessionId, { ...session, seated: [], waitList: [] }])),
      registrations: {},
    };
  }
  if (state.status === 'NONE') return state;
  if (event.type === 'TrainingUpdated') {
    const { title, theme, audience, format, registrationClosesOn, sessions } = event.data;
    // Sessions keep their seats and wait lists; the promotions a larger capacity allows follow as their own events.
    const kept = (session: TrainingSession): SessionState => ({ ...session, seated: state.sessions[session.sessionId]?.seated ?? [], waitList: state.sessions[session.sessionId]?.waitList ?? [] });
    return { ...state, title, theme, audience, format, registrationClosesOn, sessions: Object.fromEntries(sessions.map((session) => [session.sessionId, kept(session)])) };
  }
  if (event.type === 'TrainingCancelled') return { ...state, cancelled: true };
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

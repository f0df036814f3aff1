import { assertNever, Decider, DomainError, ForbiddenError, NotFoundError, requirePlannedDate, requirePlausibleDate, ValidationError } from '@cnrms/decider';
import {
  isBlank,
  MAX_SESSIONS,
  minutesOf,
  PLACE_MAX_LENGTH,
  Profession,
  PROFESSIONS,
  requireCapacity,
  requireCode,
  requireCodeSet,
  requireDate,
  requireHours,
  requireId,
  requireIdList,
  requireText,
  requireTime,
  TITLE_MAX_LENGTH,
  TRAINING_CANCELLATION_REASONS,
  TrainingChange,
  TRAINING_FORMATS,
  TRAINING_KINDS,
  TRAINING_THEMES,
  TrainingFormat,
} from '../values';
import { CancelRegistration, CancelTraining, DescriptionInput, PublishTraining, RecordAttendance, RegisterProfessional, SessionInput, TrainingCommand, UpdateTraining } from './commands';
import { AttendanceRecorded, TrainingEvent, TrainingSession, WaitListedProfessionalPromoted } from './events';
import { evolve, initialState, PublishedTraining, RegistrationState, SessionState, TrainingState } from './state';

// A training (formation) or a national day, stream `training-<trainingId>`: published with its
// sessions, then registrations per session up to each session's capacity, a wait list beyond it
// (promoted in order when a registered professional cancels), and the attendance per session. A
// refused command throws before any event is returned: the whole command is checked first. Time rules
// (docs/time-rules.md): a training is planned, so its sessions may be in the future, up to a horizon.

function requireSessions(value: unknown, format: TrainingFormat, today: string, horizonYears: number | undefined): TrainingSession[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('SESSIONS_REQUIRED', 'Une formation compte au moins une session.', 'sessions');
  if (value.length > MAX_SESSIONS) throw new ValidationError('TOO_MANY_SESSIONS', `Une formation compte au plus ${MAX_SESSIONS} sessions.`, 'sessions');
  const sessions = value.map((raw, index): TrainingSession => {
    const input = (raw ?? {}) as Partial<Record<keyof SessionInput, unknown>>;
    const field = `sessions[${index}]`;
    const sessionId = requireId(input.sessionId, `${field}.sessionId`, 'L’identifiant de la session');
    const date = requirePlannedDate(input.date, `${field}.date`, today, horizonYears);
    const startTime = requireTime(input.startTime, `${field}.startTime`);
    const endTime = requireTime(input.endTime, `${field}.endTime`);
    const length = minutesOf(endTime) - minutesOf(startTime);
    if (length <= 0) throw new ValidationError('SESSION_ENDS_BEFORE_START', `La session du ${date} doit finir après avoir commencé (de ${startTime} à ${endTime}).`, `${field}.endTime`);
    const hours = requireHours(input.hours, `${field}.hours`);
    if (hours * 60 > length) throw new ValidationError('HOURS_EXCEED_SESSION', `La session du ${date} dure ${length / 60} h : elle ne peut pas compter ${hours} h de formation.`, `${field}.hours`);
    const place = format === 'IN_PERSON' || !isBlank(input.place) ? requireText(input.place, `${field}.place`, 'Le lieu de la session', PLACE_MAX_LENGTH) : null;
    return { sessionId, date, startTime, endTime, place, capacity: requireCapacity(input.capacity, `${field}.capacity`), hours };
  });
  const duplicate = sessions.findIndex((s, index) => sessions.findIndex((other) => other.sessionId === s.sessionId) !== index);
  if (duplicate >= 0) throw new ValidationError('DUPLICATE_VALUE', `La session « ${sessions[duplicate].sessionId} » est indiquée plusieurs fois.`, 'sessions');
  // The same session twice (same day, same times, same place) under two ids.
  const same = (a: TrainingSession, b: TrainingSession) => a.date === b.date && a.startTime === b.startTime && a.endTime === b.endTime && a.place === b.place;
  const twice = sessions.findIndex((s, index) => sessions.findIndex((other) => same(other, s)) !== index);
  if (twice >= 0) {
    const { date, startTime, endTime } = sessions[twice];
    throw new ValidationError('DUPLICATE_SESSION', `La session du ${date} de ${startTime} à ${endTime} est indiquée deux fois : supprimez le doublon ou changez sa date, ses horaires ou son lieu.`, `sessions[${twice}]`);
  }
  return [...sessions].sort((a, b) => (a.date + a.startTime).localeCompare(b.date + b.startTime));
}

/** What publishing and editing check alike: the description, the programme and the registration deadline. */
function requireDescription(data: DescriptionInput, today: string) {
  const format = requireCode(TRAINING_FORMATS, data.format, 'format', 'le format de la formation');
  const sessions = requireSessions(data.sessions, format, today, data.horizonYears);
  const registrationClosesOn = requirePlausibleDate(data.registrationClosesOn, 'registrationClosesOn');
  return {
    title: requireText(data.title, 'title', 'Le titre de la formation', TITLE_MAX_LENGTH),
    theme: requireCode(TRAINING_THEMES, data.theme, 'theme', 'le thème de la formation'),
    audience: requireCodeSet(PROFESSIONS, data.audience, 'audience', 'le public de la formation'),
    format,
    registrationClosesOn,
    sessions,
  };
}

/** Registrations close on or before the first session, and not before today when the deadline is new. */
function requireDeadline({ registrationClosesOn, sessions }: { registrationClosesOn: string; sessions: TrainingSession[] }, today: string, isNew: boolean): void {
  if (isNew && registrationClosesOn < today) throw new ValidationError('DEADLINE_IN_PAST', `La date limite d’inscription (${registrationClosesOn}) est déjà passée.`, 'registrationClosesOn');
  if (registrationClosesOn > sessions[0].date) {
    throw new ValidationError('DEADLINE_AFTER_FIRST_SESSION', `La date limite d’inscription (${registrationClosesOn}) doit précéder la première session (${sessions[0].date}).`, 'registrationClosesOn');
  }
}

function publish(command: PublishTraining, state: TrainingState): TrainingEvent[] {
  if (state.status !== 'NONE') throw new DomainError('TRAINING_ALREADY_PUBLISHED', 'Une formation est déjà publiée avec cet identifiant.', 'CONFLICT');
  const { data } = command;
  const today = requireDate(data.today, 'today');
  const kind = requireCode(TRAINING_KINDS, data.kind, 'kind', 'le type de formation');
  const networkId = isBlank(data.networkId) ? null : requireId(data.networkId, 'networkId', 'L’identifiant du réseau');
  if (kind === 'NATIONAL_EVENT' && networkId !== null) {
    throw new ValidationError('NATIONAL_EVENT_WITH_NETWORK', 'Une journée nationale est organisée par la coordination nationale : elle ne porte pas de réseau.', 'networkId');
  }
  const description = requireDescription(data, today);
  requireDeadline(description, today, true);
  const { title, theme, audience, format, registrationClosesOn, sessions } = description;
  return [
    {
      type: 'TrainingPublished',
      data: {
        trainingId: requireId(data.trainingId, 'trainingId', 'L’identifiant de la formation'),
        networkId,
        kind,
        title,
        theme,
        audience,
        format,
        registrationClosesOn,
        sessions,
        publishedBy: requireId(data.publishedBy, 'publishedBy', 'L’identifiant de l’auteur'),
        publishedOn: today,
      },
    },
  ];
}

function published(state: TrainingState): PublishedTraining {
  if (state.status === 'NONE') throw new NotFoundError('TRAINING_NOT_FOUND', 'Cette formation n’existe pas.');
  return state;
}

/** A training still to come or under way: not cancelled. */
function notCancelled(state: TrainingState): PublishedTraining {
  const training = published(state);
  if (training.cancelled) throw new DomainError('TRAINING_CANCELLED', 'Cette formation a été annulée : elle ne peut plus être modifiée ni recevoir d’inscriptions.');
  return training;
}

/** The professionals registered or waiting on the training, each once. */
const activeProfessionals = (training: PublishedTraining): string[] =>
  [...new Set(Object.values(training.registrations).filter((r) => r.status !== 'CANCELLED').map((r) => r.professionalId))].sort();

const sameSession = (a: TrainingSession, b: TrainingSession) =>
  a.date === b.date && a.startTime === b.startTime && a.endTime === b.endTime && a.place === b.place && a.capacity === b.capacity && a.hours === b.hours;

/**
 * Edits a training before it takes place. A session held already (dated today or before) stays as it
 * was; a session is removed only if nobody ever registered to it; a capacity never falls below the seats
 * taken, and seats it adds go to the wait list in order; the audience keeps the professions of those
 * registered. Nothing changed: nothing recorded.
 */
function update(command: UpdateTraining, state: TrainingState): TrainingEvent[] {
  const training = notCancelled(state);
  const { data } = command;
  const today = requireDate(data.today, 'today');
  const requestedAt = requireText(data.requestedAt, 'requestedAt', 'L’instant de la demande', 40);
  const updatedBy = requireId(data.updatedBy, 'updatedBy', 'L’identifiant de l’auteur');
  const next = requireDescription(data, today);
  const current = Object.values(training.sessions);
  const proposed = new Map(next.sessions.map((session) => [session.sessionId, session]));
  for (const session of current) {
    const after = proposed.get(session.sessionId);
    if (session.date <= today && (!after || !sameSession(session, after))) {
      throw new DomainError('SESSION_ALREADY_HELD', `La session du ${session.date} a eu lieu ou a lieu aujourd’hui : elle ne peut plus être modifiée ni retirée.`);
    }
    const everRegistered = Object.values(training.registrations).some((r) => r.sessionId === session.sessionId);
    if (!after && everRegistered) {
      throw new DomainError('SESSION_HAS_REGISTRATIONS', `Des professionnels se sont inscrits à la session du ${session.date} : elle ne peut pas être retirée (annulez la formation ou gardez la session).`);
    }
    if (after && after.capacity < session.seated.length) {
      throw new ValidationError('CAPACITY_BELOW_REGISTERED', `La session du ${session.date} compte ${session.seated.length} inscrits : sa capacité ne peut pas descendre à ${after.capacity}.`, 'sessions');
    }
  }
  for (const session of next.sessions) {
    const before = training.sessions[session.sessionId];
    if (session.date < today && !(before && sameSession(before, session))) {
      throw new ValidationError('SESSION_IN_PAST', `La session du ${session.date} serait déjà passée : une session ajoutée ou modifiée se tient aujourd’hui ou plus tard.`, 'sessions');
    }
  }
  const excluded = Object.values(training.registrations).find((r) => r.status !== 'CANCELLED' && !next.audience.includes(r.profession));
  if (excluded) {
    throw new DomainError('AUDIENCE_EXCLUDES_REGISTERED', `Des professionnels du profil ${excluded.profession} sont inscrits : ce profil doit rester dans le public de la formation.`);
  }
  const changes: TrainingChange[] = [];
  if (next.title !== training.title) changes.push('TITLE');
  if (next.theme !== training.theme) changes.push('THEME');
  if (next.audience.join() !== training.audience.join()) changes.push('AUDIENCE');
  if (next.format !== training.format) changes.push('FORMAT');
  if (next.registrationClosesOn !== training.registrationClosesOn) changes.push('DEADLINE');
  const sessionsChanged = next.sessions.length !== current.length || next.sessions.some((s) => !training.sessions[s.sessionId] || !sameSession(training.sessions[s.sessionId], s));
  if (sessionsChanged) changes.push('SESSIONS');
  if (changes.length === 0) return [];
  requireDeadline(next, today, changes.includes('DEADLINE'));
  const events: TrainingEvent[] = [
    {
      type: 'TrainingUpdated',
      data: { trainingId: training.trainingId, networkId: training.networkId, ...next, changes, affectedProfessionalIds: activeProfessionals(training), updatedBy, updatedOn: today },
    },
  ];
  // Seats a larger capacity adds go to the wait list, first come first served.
  for (const session of next.sessions) {
    const before = training.sessions[session.sessionId];
    if (!before) continue;
    const freed = session.capacity - before.seated.length;
    for (const registrationId of before.waitList.slice(0, Math.max(0, freed))) {
      const r = training.registrations[registrationId];
      const promoted: WaitListedProfessionalPromoted = {
        type: 'WaitListedProfessionalPromoted',
        data: { trainingId: training.trainingId, sessionId: r.sessionId, registrationId, professionalId: r.professionalId, networkId: r.networkId, profession: r.profession, promotedAt: requestedAt },
      };
      events.push(promoted);
    }
  }
  return events;
}

/** Cancels a training that has not started: its active registrations are cancelled with it; cancelling twice records nothing more. */
function cancelTraining(command: CancelTraining, state: TrainingState): TrainingEvent[] {
  const training = published(state);
  if (training.cancelled) return [];
  const { data } = command;
  const today = requireDate(data.today, 'today');
  const requestedAt = requireText(data.requestedAt, 'requestedAt', 'L’instant de la demande', 40);
  const cancelledBy = requireId(data.cancelledBy, 'cancelledBy', 'L’identifiant de l’auteur');
  const reason = requireCode(TRAINING_CANCELLATION_REASONS, data.reason, 'reason', 'le motif d’annulation');
  const held = Object.values(training.sessions).find((s) => s.date < today) ?? Object.values(training.registrations).find((r) => r.attended);
  if (held) throw new DomainError('TRAINING_ALREADY_HELD', 'Cette formation a commencé (une session est passée ou des présences sont enregistrées) : elle ne peut plus être annulée.');
  const active = Object.values(training.registrations).filter((r) => r.status !== 'CANCELLED');
  return [
    {
      type: 'TrainingCancelled',
      data: { trainingId: training.trainingId, networkId: training.networkId, title: training.title, reason, affectedProfessionalIds: activeProfessionals(training), cancelledBy, cancelledOn: today },
    },
    ...active.map(
      (r): TrainingEvent => ({
        type: 'RegistrationCancelled',
        data: { trainingId: training.trainingId, sessionId: r.sessionId, registrationId: r.registrationId, professionalId: r.professionalId, networkId: r.networkId, profession: r.profession, previousStatus: r.status as 'REGISTERED' | 'WAITLISTED', cancelledAt: requestedAt },
      }),
    ),
  ];
}

function sessionOf(training: PublishedTraining, sessionId: unknown): SessionState {
  const id = requireId(sessionId, 'sessionId', 'L’identifiant de la session');
  const session = training.sessions[id];
  if (!session) throw new NotFoundError('SESSION_NOT_FOUND', `La formation n’a pas de session « ${id} ».`);
  return session;
}

const activeRegistration = (training: PublishedTraining, sessionId: string, professionalId: string): RegistrationState | undefined =>
  Object.values(training.registrations).find((r) => r.sessionId === sessionId && r.professionalId === professionalId && r.status !== 'CANCELLED');

/** Where a registrant is counted: the training's network, or for a national training the first of theirs. */
function countedNetwork(training: PublishedTraining, memberNetworkIds: readonly string[]): string {
  if (training.networkId !== null) {
    if (!memberNetworkIds.includes(training.networkId)) throw new ForbiddenError('Cette formation est réservée aux professionnels membres du réseau qui l’organise.', 'NOT_A_NETWORK_MEMBER');
    return training.networkId;
  }
  const [first] = [...memberNetworkIds].sort();
  if (first === undefined) throw new ForbiddenError('Les formations nationales sont ouvertes aux membres des réseaux : ce professionnel n’est membre d’aucun réseau.', 'NOT_A_NETWORK_MEMBER');
  return first;
}

function register(command: RegisterProfessional, state: TrainingState): TrainingEvent[] {
  const training = notCancelled(state);
  const { data } = command;
  const session = sessionOf(training, data.sessionId);
  const today = requireDate(data.today, 'today');
  const requestedAt = requireText(data.requestedAt, 'requestedAt', 'L’instant de la demande', 40);
  const registrationId = requireId(data.registrationId, 'registrationId', 'L’identifiant de l’inscription');
  const professionalId = requireId(data.professionalId, 'professionalId', 'L’identifiant du professionnel');
  if (today > training.registrationClosesOn) throw new DomainError('REGISTRATION_CLOSED', `Les inscriptions à cette formation sont closes depuis le ${training.registrationClosesOn}.`);
  if (training.registrations[registrationId]) throw new DomainError('REGISTRATION_ALREADY_EXISTS', 'Une inscription existe déjà avec cet identifiant.', 'CONFLICT');
  const existing = activeRegistration(training, session.sessionId, professionalId);
  if (existing) {
    const where = existing.status === 'WAITLISTED' ? 'sur la liste d’attente de cette session' : 'inscrit à cette session';
    throw new DomainError('ALREADY_REGISTERED', `Ce professionnel est déjà ${where}.`, 'CONFLICT');
  }
  if (data.profession === null || !(PROFESSIONS as readonly string[]).includes(data.profession)) {
    throw new NotFoundError('PROFESSIONAL_NOT_FOUND', `Le professionnel « ${professionalId} » n’est pas connu de l’annuaire.`);
  }
  const profession: Profession = data.profession;
  if (!training.audience.includes(profession)) {
    throw new DomainError('PROFESSION_NOT_IN_AUDIENCE', `Cette formation s’adresse aux professions suivantes : ${training.audience.join(', ')} ; le profil ${profession} n’en fait pas partie.`);
  }
  const networkId = countedNetwork(training, data.memberNetworkIds ?? []);
  const registrant = { trainingId: training.trainingId, sessionId: session.sessionId, registrationId, professionalId, networkId, profession };
  if (session.seated.length < session.capacity) return [{ type: 'ProfessionalRegistered', data: { ...registrant, registeredAt: requestedAt } }];
  return [{ type: 'ProfessionalWaitListed', data: { ...registrant, rank: session.waitList.length + 1, waitListedAt: requestedAt } }];
}

function cancel(command: CancelRegistration, state: TrainingState): TrainingEvent[] {
  const training = published(state);
  const { data } = command;
  const today = requireDate(data.today, 'today');
  const requestedAt = requireText(data.requestedAt, 'requestedAt', 'L’instant de la demande', 40);
  const registrationId = requireId(data.registrationId, 'registrationId', 'L’identifiant de l’inscription');
  const registration = training.registrations[registrationId];
  if (!registration) throw new NotFoundError('REGISTRATION_NOT_FOUND', 'Cette inscription n’existe pas.');
  if (registration.professionalId !== data.professionalId) throw new ForbiddenError('Un professionnel ne peut annuler que sa propre inscription.');
  if (registration.status === 'CANCELLED') return [];
  const session = training.sessions[registration.sessionId];
  if (today >= session.date) throw new DomainError('CANCELLATION_TOO_LATE', `La session du ${session.date} a commencé ou est passée : l’inscription ne peut plus être annulée.`);
  const { sessionId, professionalId, networkId, profession } = registration;
  const events: TrainingEvent[] = [
    { type: 'RegistrationCancelled', data: { trainingId: training.trainingId, sessionId, registrationId, professionalId, networkId, profession, previousStatus: registration.status, cancelledAt: requestedAt } },
  ];
  // A seat freed up: the first professional waiting takes it, in the same append as the cancellation.
  const next = registration.status === 'REGISTERED' ? training.registrations[session.waitList[0]] : undefined;
  if (next) {
    events.push({
      type: 'WaitListedProfessionalPromoted',
      data: { trainingId: training.trainingId, sessionId, registrationId: next.registrationId, professionalId: next.professionalId, networkId: next.networkId, profession: next.profession, promotedAt: requestedAt },
    });
  }
  return events;
}

function recordAttendance(command: RecordAttendance, state: TrainingState): TrainingEvent[] {
  const training = notCancelled(state);
  const { data } = command;
  const session = sessionOf(training, data.sessionId);
  const today = requireDate(data.today, 'today');
  const recordedBy = requireId(data.recordedBy, 'recordedBy', 'L’identifiant de l’auteur');
  if (today < session.date) throw new DomainError('ATTENDANCE_BEFORE_SESSION', `La présence ne peut être enregistrée qu’à partir du jour de la session (${session.date}).`);
  const professionalIds = requireIdList(data.professionalIds, 'professionalIds', 'Le professionnel présent');
  if (professionalIds.length === 0) throw new ValidationError('ATTENDEES_REQUIRED', 'Au moins un professionnel présent doit être indiqué.', 'professionalIds');
  const registrations = professionalIds.map((professionalId, index) => {
    const registration = activeRegistration(training, session.sessionId, professionalId);
    if (registration?.status !== 'REGISTERED') {
      const why = registration ? 'est sur la liste d’attente de cette session, sans place' : 'n’est pas inscrit à cette session';
      throw new ValidationError('NOT_REGISTERED', `Le professionnel « ${professionalId} » ${why} : sa présence ne peut pas être enregistrée.`, `professionalIds[${index}]`);
    }
    return registration;
  });
  // Signing twice changes nothing.
  return registrations
    .filter((r) => !r.attended)
    .map(
      ({ registrationId, professionalId, networkId, profession }): AttendanceRecorded => ({
        type: 'AttendanceRecorded',
        data: {
          trainingId: training.trainingId,
          sessionId: session.sessionId,
          registrationId,
          professionalId,
          networkId,
          profession,
          sessionDate: session.date,
          hours: session.hours,
          recordedBy,
          microstructureId: data.microstructureIds?.[professionalId] ?? null,
        },
      }),
    );
}

function decide(command: TrainingCommand, state: TrainingState): TrainingEvent[] {
  switch (command.type) {
    case 'PublishTraining':
      return publish(command, state);
    case 'UpdateTraining':
      return update(command, state);
    case 'CancelTraining':
      return cancelTraining(command, state);
    case 'RegisterProfessional':
      return register(command, state);
    case 'CancelRegistration':
      return cancel(command, state);
    case 'RecordAttendance':
      return recordAttendance(command, state);
    default:
      return assertNever(command, 'training command');
  }
}

export const trainingDecider: Decider<TrainingCommand, TrainingEvent, TrainingState> = { initialState, decide, evolve };

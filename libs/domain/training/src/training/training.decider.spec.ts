import { given } from '@cnrms/decider/testing';
import { fold } from '@cnrms/decider';
import { CancelRegistration, CancelTraining, PublishTraining, RecordAttendance, RegisterProfessional, UpdateTraining } from './commands';
import { trainingDecider } from './decide';
import { ProfessionalRegistered, ProfessionalWaitListed, RegistrationCancelled, TrainingEvent, TrainingPublished } from './events';

const session = { sessionId: 's-1', date: '2026-03-12', startTime: '09:00', endTime: '12:30', place: 'Maison des associations, Strasbourg', capacity: 2, hours: 3.5 };
const publish = (data: Partial<PublishTraining['data']> = {}): PublishTraining => ({
  type: 'PublishTraining',
  data: {
    trainingId: 't-1',
    networkId: 'net-alsace',
    kind: 'TRAINING',
    title: 'Hépatite C : dépister et traiter en ville',
    theme: 'HEPATITIS_C',
    audience: ['PSYCHOLOGIST', 'GENERAL_PRACTITIONER'],
    format: 'IN_PERSON',
    registrationClosesOn: '2026-03-05',
    sessions: [session],
    publishedBy: 'u-coordinator',
    today: '2026-02-01',
    ...data,
  },
});
const published: TrainingPublished = {
  type: 'TrainingPublished',
  data: {
    trainingId: 't-1',
    networkId: 'net-alsace',
    kind: 'TRAINING',
    title: 'Hépatite C : dépister et traiter en ville',
    theme: 'HEPATITIS_C',
    audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
    format: 'IN_PERSON',
    registrationClosesOn: '2026-03-05',
    sessions: [session],
    publishedBy: 'u-coordinator',
    publishedOn: '2026-02-01',
  },
};
const register = (professionalId: string, data: Partial<RegisterProfessional['data']> = {}): RegisterProfessional => ({
  type: 'RegisterProfessional',
  data: {
    trainingId: 't-1',
    sessionId: 's-1',
    registrationId: `r-${professionalId}`,
    professionalId,
    profession: 'GENERAL_PRACTITIONER',
    memberNetworkIds: ['net-alsace'],
    today: '2026-02-10',
    requestedAt: '2026-02-10T08:00:00.000Z',
    ...data,
  },
});
const registrant = (professionalId: string) => ({ trainingId: 't-1', sessionId: 's-1', registrationId: `r-${professionalId}`, professionalId, networkId: 'net-alsace', profession: 'GENERAL_PRACTITIONER' as const });
const registered = (professionalId: string): ProfessionalRegistered => ({ type: 'ProfessionalRegistered', data: { ...registrant(professionalId), registeredAt: '2026-02-10T08:00:00.000Z' } });
const waitListed = (professionalId: string, rank: number): ProfessionalWaitListed => ({ type: 'ProfessionalWaitListed', data: { ...registrant(professionalId), rank, waitListedAt: '2026-02-10T08:00:00.000Z' } });
const cancel = (professionalId: string, data: Partial<CancelRegistration['data']> = {}): CancelRegistration => ({
  type: 'CancelRegistration',
  data: { trainingId: 't-1', registrationId: `r-${professionalId}`, professionalId, today: '2026-03-01', requestedAt: '2026-03-01T10:00:00.000Z', ...data },
});
const attend = (professionalIds: string[], data: Partial<RecordAttendance['data']> = {}): RecordAttendance => ({
  type: 'RecordAttendance',
  data: { trainingId: 't-1', sessionId: 's-1', professionalIds, recordedBy: 'u-coordinator', today: '2026-03-12', ...data },
});
const full: TrainingEvent[] = [published, registered('gp-1'), registered('gp-2')];

describe('Training', () => {
  describe('PublishTraining', () => {
    it('publishes a network’s training with its sessions, the audience in the code list’s order', () => {
      given(trainingDecider).when(publish()).then([published]);
    });

    it('publishes a national day without a network, remote sessions without a place', () => {
      const remote = { ...session, place: null, capacity: 500, hours: 3 };
      const [event] = given(trainingDecider).when(publish({ networkId: null, kind: 'NATIONAL_EVENT', format: 'REMOTE', sessions: [remote] })).events();
      expect(event).toMatchObject({ type: 'TrainingPublished', data: { networkId: null, kind: 'NATIONAL_EVENT', sessions: [remote] } });
    });

    it('orders the sessions by date and time', () => {
      const later = { ...session, sessionId: 's-2', date: '2026-03-19' };
      const [event] = given(trainingDecider).when(publish({ sessions: [later, session] })).events() as TrainingPublished[];
      expect(event.data.sessions.map((s) => s.sessionId)).toEqual(['s-1', 's-2']);
    });

    describe('refuses', () => {
      it('a session ending before it starts', () => {
        given(trainingDecider).when(publish({ sessions: [{ ...session, startTime: '14:00', endTime: '12:00' }] })).thenThrows('SESSION_ENDS_BEFORE_START', /doit finir après avoir commencé/);
      });
      it('a session ending when it starts', () => {
        given(trainingDecider).when(publish({ sessions: [{ ...session, endTime: '09:00' }] })).thenThrows('SESSION_ENDS_BEFORE_START');
      });
      it('more training hours than the session lasts', () => {
        given(trainingDecider).when(publish({ sessions: [{ ...session, hours: 4 }] })).thenThrows('HOURS_EXCEED_SESSION');
      });
      it('hours that are not quarter hours, and a capacity of zero', () => {
        given(trainingDecider).when(publish({ sessions: [{ ...session, hours: 1.1 }] })).thenThrows('INVALID_HOURS');
        given(trainingDecider).when(publish({ sessions: [{ ...session, capacity: 0 }] })).thenThrows('INVALID_CAPACITY');
      });
      it('an impossible date or time', () => {
        given(trainingDecider).when(publish({ sessions: [{ ...session, date: '2026-02-30' }] })).thenThrows('INVALID_DATE');
        given(trainingDecider).when(publish({ sessions: [{ ...session, startTime: '9h' }] })).thenThrows('INVALID_TIME');
      });
      it('an in-person session without a place', () => {
        given(trainingDecider).when(publish({ sessions: [{ ...session, place: ' ' }] })).thenThrows('TEXT_REQUIRED');
      });
      it('a training without sessions, or twice the same session', () => {
        given(trainingDecider).when(publish({ sessions: [] })).thenThrows('SESSIONS_REQUIRED');
        given(trainingDecider).when(publish({ sessions: [session, session] })).thenThrows('DUPLICATE_VALUE');
      });
      it('a registration deadline after the first session, or already passed', () => {
        given(trainingDecider).when(publish({ registrationClosesOn: '2026-03-13' })).thenThrows('DEADLINE_AFTER_FIRST_SESSION');
        given(trainingDecider).when(publish({ registrationClosesOn: '2026-01-31' })).thenThrows('DEADLINE_IN_PAST');
      });
      it('a national day carrying a network', () => {
        given(trainingDecider).when(publish({ kind: 'NATIONAL_EVENT' })).thenThrows('NATIONAL_EVENT_WITH_NETWORK');
      });
      it('an empty audience, an unknown theme, a missing title', () => {
        given(trainingDecider).when(publish({ audience: [] })).thenThrows('INVALID_LIST');
        given(trainingDecider).when(publish({ theme: 'ASTROLOGY' as never })).thenThrows('INVALID_CODE');
        given(trainingDecider).when(publish({ title: '' })).thenThrows('TEXT_REQUIRED');
      });
      it('publishing the same training twice', () => {
        given(trainingDecider, [published]).when(publish()).thenThrows('TRAINING_ALREADY_PUBLISHED');
      });
    });
  });

  describe('RegisterProfessional', () => {
    it('gives a seat while the session has one', () => {
      given(trainingDecider, [published, registered('gp-1')]).when(register('gp-2')).then([registered('gp-2')]);
    });

    describe('when the session is full', () => {
      it('wait-lists the professional with their rank, in arrival order', () => {
        given(trainingDecider, full).when(register('gp-3')).then([waitListed('gp-3', 1)]);
        given(trainingDecider, [...full, waitListed('gp-3', 1)]).when(register('gp-4')).then([waitListed('gp-4', 2)]);
      });
    });

    it('counts a national training’s registrant in their own network', () => {
      const national: TrainingPublished = { ...published, data: { ...published.data, networkId: null } };
      const [event] = given(trainingDecider, [national]).when(register('gp-1', { memberNetworkIds: ['net-occitanie', 'net-idf'] })).events();
      expect(event).toMatchObject({ type: 'ProfessionalRegistered', data: { networkId: 'net-idf' } });
    });

    it('lets a professional who cancelled register again', () => {
      const cancelled: RegistrationCancelled = { type: 'RegistrationCancelled', data: { ...registrant('gp-1'), previousStatus: 'REGISTERED', cancelledAt: 'x' } };
      given(trainingDecider, [published, registered('gp-1'), cancelled]).when(register('gp-1', { registrationId: 'r-again' })).then([
        { type: 'ProfessionalRegistered', data: { ...registrant('gp-1'), registrationId: 'r-again', registeredAt: '2026-02-10T08:00:00.000Z' } },
      ]);
    });

    describe('refuses', () => {
      it('a registration after the deadline', () => {
        given(trainingDecider, [published]).when(register('gp-1', { today: '2026-03-06' })).thenThrows('REGISTRATION_CLOSED', /closes depuis le 2026-03-05/);
      });
      it('accepts one on the deadline itself', () => {
        given(trainingDecider, [published]).when(register('gp-1', { today: '2026-03-05' })).then([registered('gp-1')]);
      });
      it('a second registration to the same session, seated or waiting', () => {
        given(trainingDecider, full).when(register('gp-1', { registrationId: 'r-twice' })).thenThrows('ALREADY_REGISTERED', /déjà inscrit/);
        given(trainingDecider, [...full, waitListed('gp-3', 1)]).when(register('gp-3', { registrationId: 'r-twice' })).thenThrows('ALREADY_REGISTERED', /liste d’attente/);
      });
      it('a professional who is not a member of the organising network', () => {
        given(trainingDecider, [published]).when(register('gp-1', { memberNetworkIds: ['net-occitanie'] })).thenThrows('NOT_A_NETWORK_MEMBER');
      });
      it('a national training for a professional of no network', () => {
        const national: TrainingPublished = { ...published, data: { ...published.data, networkId: null } };
        given(trainingDecider, [national]).when(register('gp-1', { memberNetworkIds: [] })).thenThrows('NOT_A_NETWORK_MEMBER');
      });
      it('a profession outside the audience', () => {
        given(trainingDecider, [published]).when(register('sw-1', { profession: 'SOCIAL_WORKER' })).thenThrows('PROFESSION_NOT_IN_AUDIENCE');
      });
      it('a professional the directory does not know', () => {
        given(trainingDecider, [published]).when(register('x-1', { profession: null })).thenThrows('PROFESSIONAL_NOT_FOUND');
      });
      it('an unknown session or training', () => {
        given(trainingDecider, [published]).when(register('gp-1', { sessionId: 's-9' })).thenThrows('SESSION_NOT_FOUND');
        given(trainingDecider).when(register('gp-1')).thenThrows('TRAINING_NOT_FOUND');
      });
    });
  });

  describe('CancelRegistration', () => {
    describe('when a registered professional cancels', () => {
      it('promotes the first professional of the wait list to the freed seat', () => {
        given(trainingDecider, [...full, waitListed('gp-3', 1), waitListed('gp-4', 2)])
          .when(cancel('gp-1'))
          .then([
            { type: 'RegistrationCancelled', data: { ...registrant('gp-1'), previousStatus: 'REGISTERED', cancelledAt: '2026-03-01T10:00:00.000Z' } },
            { type: 'WaitListedProfessionalPromoted', data: { ...registrant('gp-3'), promotedAt: '2026-03-01T10:00:00.000Z' } },
          ]);
      });

      it('then promotes the next one in order when another seat frees up', () => {
        const history = [...full, waitListed('gp-3', 1), waitListed('gp-4', 2), ...trainingDecider.decide(cancel('gp-1'), fold(trainingDecider, [...full, waitListed('gp-3', 1), waitListed('gp-4', 2)]))];
        const [, promoted] = given(trainingDecider, history).when(cancel('gp-2')).events();
        expect(promoted).toMatchObject({ type: 'WaitListedProfessionalPromoted', data: { professionalId: 'gp-4' } });
      });
    });

    it('frees no seat when a wait-listed professional cancels: the others move up', () => {
      const history = [...full, waitListed('gp-3', 1), waitListed('gp-4', 2)];
      given(trainingDecider, history)
        .when(cancel('gp-3'))
        .then([{ type: 'RegistrationCancelled', data: { ...registrant('gp-3'), previousStatus: 'WAITLISTED', cancelledAt: '2026-03-01T10:00:00.000Z' } }]);
      const after = [...history, ...trainingDecider.decide(cancel('gp-3'), fold(trainingDecider, history))];
      given(trainingDecider, after).when(register('gp-5')).then([waitListed('gp-5', 2)]);
    });

    it('changes nothing when the registration is already cancelled', () => {
      const cancelled: RegistrationCancelled = { type: 'RegistrationCancelled', data: { ...registrant('gp-1'), previousStatus: 'REGISTERED', cancelledAt: 'x' } };
      given(trainingDecider, [...full, cancelled]).when(cancel('gp-1')).then([]);
    });

    describe('refuses', () => {
      it('cancelling someone else’s registration', () => {
        given(trainingDecider, full).when(cancel('gp-1', { professionalId: 'gp-2' })).thenThrows('FORBIDDEN');
      });
      it('cancelling on or after the session day', () => {
        given(trainingDecider, full).when(cancel('gp-1', { today: '2026-03-12' })).thenThrows('CANCELLATION_TOO_LATE');
      });
      it('an unknown registration', () => {
        given(trainingDecider, full).when(cancel('gp-9')).thenThrows('REGISTRATION_NOT_FOUND');
      });
    });
  });

  describe('RecordAttendance', () => {
    it('records one attendance per professional who signed, with the session’s hours', () => {
      given(trainingDecider, full)
        .when(attend(['gp-2', 'gp-1']))
        .then(
          ['gp-2', 'gp-1'].map((id) => ({ type: 'AttendanceRecorded', data: { ...registrant(id), sessionDate: '2026-03-12', hours: 3.5, recordedBy: 'u-coordinator', microstructureId: null } })),
        );
    });

    it('records each attendee’s microstructure that the service looked up (none when it found none)', () => {
      const command = attend(['gp-2', 'gp-1']);
      given(trainingDecider, full)
        .when({ ...command, data: { ...command.data, microstructureIds: { 'gp-1': 'ms-neudorf', 'gp-2': null } } })
        .then([
          { type: 'AttendanceRecorded', data: { ...registrant('gp-2'), sessionDate: '2026-03-12', hours: 3.5, recordedBy: 'u-coordinator', microstructureId: null } },
          { type: 'AttendanceRecorded', data: { ...registrant('gp-1'), sessionDate: '2026-03-12', hours: 3.5, recordedBy: 'u-coordinator', microstructureId: 'ms-neudorf' } },
        ]);
    });

    it('records nothing for who already signed', () => {
      const signed = trainingDecider.decide(attend(['gp-1']), fold(trainingDecider, full));
      given(trainingDecider, [...full, ...signed]).when(attend(['gp-1'])).then([]);
    });

    describe('refuses the whole sheet', () => {
      it('when one professional is not registered to the session', () => {
        given(trainingDecider, full).when(attend(['gp-1', 'gp-9'])).thenThrows('NOT_REGISTERED', /n’est pas inscrit/);
      });
      it('when one is only wait-listed', () => {
        given(trainingDecider, [...full, waitListed('gp-3', 1)]).when(attend(['gp-3'])).thenThrows('NOT_REGISTERED', /liste d’attente/);
      });
      it('before the session’s day', () => {
        given(trainingDecider, full).when(attend(['gp-1'], { today: '2026-03-11' })).thenThrows('ATTENDANCE_BEFORE_SESSION');
      });
      it('empty, or with someone twice', () => {
        given(trainingDecider, full).when(attend([])).thenThrows('ATTENDEES_REQUIRED');
        given(trainingDecider, full).when(attend(['gp-1', 'gp-1'])).thenThrows('DUPLICATE_VALUE');
      });
    });
  });

  describe('evolve', () => {
    it('never changes the state it is given (a dry run leaves the loaded state intact)', () => {
      const state = fold(trainingDecider, full);
      const copy = JSON.parse(JSON.stringify(state));
      trainingDecider.evolve(state, waitListed('gp-3', 1));
      expect(state).toEqual(copy);
    });
  });
});

describe('Training: time rules (docs/time-rules.md)', () => {
  it('refuses a session before 1900 or beyond the planning horizon', () => {
    given(trainingDecider).when(publish({ sessions: [{ ...session, date: '9999-12-31' }] })).thenThrows('DATE_BEYOND_HORIZON', /2029-02-01/);
    given(trainingDecider).when(publish({ sessions: [{ ...session, date: '0001-01-01' }] })).thenThrows('DATE_TOO_EARLY');
    given(trainingDecider).when(publish({ sessions: [{ ...session, date: '2027-03-12' }], horizonYears: 1 })).thenThrows('DATE_BEYOND_HORIZON', /2027-02-01/);
  });

  it('accepts a session planned ahead within the horizon', () => {
    expect(given(trainingDecider).when(publish({ sessions: [{ ...session, date: '2028-03-12' }] })).events()).toHaveLength(1);
  });

  it('refuses a registration deadline before 1900', () => {
    given(trainingDecider).when(publish({ registrationClosesOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY');
  });

  it('refuses the same session twice under two ids', () => {
    given(trainingDecider).when(publish({ sessions: [session, { ...session, sessionId: 's-2' }] })).thenThrows('DUPLICATE_SESSION', /2026-03-12 de 09:00 à 12:30/);
  });

  it('accepts two sessions the same day at other times or in other places', () => {
    expect(given(trainingDecider).when(publish({ sessions: [session, { ...session, sessionId: 's-2', startTime: '14:00', endTime: '17:30' }] })).events()).toHaveLength(1);
    expect(given(trainingDecider).when(publish({ sessions: [session, { ...session, sessionId: 's-2', place: 'Hôtel de région, Metz' }] })).events()).toHaveLength(1);
  });
});

describe('Training: editing and cancelling a published training', () => {
  const update = (data: Partial<UpdateTraining['data']> = {}): UpdateTraining => ({
    type: 'UpdateTraining',
    data: {
      trainingId: 't-1',
      title: published.data.title,
      theme: 'HEPATITIS_C',
      audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
      format: 'IN_PERSON',
      registrationClosesOn: '2026-03-05',
      sessions: [session],
      updatedBy: 'u-coordinator',
      today: '2026-02-20',
      requestedAt: '2026-02-20T09:00:00.000Z',
      ...data,
    },
  });
  const cancelTraining = (data: Partial<CancelTraining['data']> = {}): CancelTraining => ({
    type: 'CancelTraining',
    data: { trainingId: 't-1', reason: 'TRAINER_UNAVAILABLE', cancelledBy: 'u-coordinator', today: '2026-02-20', requestedAt: '2026-02-20T09:00:00.000Z', ...data },
  });
  const withWaitList: TrainingEvent[] = [...full, waitListed('gp-3', 1), waitListed('gp-4', 2)];

  describe('UpdateTraining', () => {
    it('records the training as it is now, what changed and who is registered or waiting', () => {
      const moved = { ...session, date: '2026-03-19', place: 'Hôtel de région, Metz' };
      given(trainingDecider, withWaitList)
        .when(update({ title: 'Hépatite C : dépister, traiter, suivre', sessions: [moved] }))
        .then([
          {
            type: 'TrainingUpdated',
            data: {
              trainingId: 't-1',
              networkId: 'net-alsace',
              title: 'Hépatite C : dépister, traiter, suivre',
              theme: 'HEPATITIS_C',
              audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
              format: 'IN_PERSON',
              registrationClosesOn: '2026-03-05',
              sessions: [moved],
              changes: ['TITLE', 'SESSIONS'],
              affectedProfessionalIds: ['gp-1', 'gp-2', 'gp-3', 'gp-4'],
              updatedBy: 'u-coordinator',
              updatedOn: '2026-02-20',
            },
          },
        ]);
    });

    it('gives the seats a larger capacity adds to the wait list, in order', () => {
      const events = given(trainingDecider, withWaitList).when(update({ sessions: [{ ...session, capacity: 3 }] })).events();
      expect(events.map((e) => e.type)).toEqual(['TrainingUpdated', 'WaitListedProfessionalPromoted']);
      expect(events[1]).toEqual({ type: 'WaitListedProfessionalPromoted', data: { ...registrant('gp-3'), promotedAt: '2026-02-20T09:00:00.000Z' } });
      const state = fold(trainingDecider, [...withWaitList, ...events]);
      expect(state.status === 'PUBLISHED' && state.sessions['s-1']).toMatchObject({ capacity: 3, seated: ['r-gp-1', 'r-gp-2', 'r-gp-3'], waitList: ['r-gp-4'] });
    });

    it('records nothing when nothing changed', () => {
      given(trainingDecider, full).when(update()).then([]);
    });

    it('adds a session under a new id and removes one nobody registered to', () => {
      const second = { ...session, sessionId: 's-2', date: '2026-03-26' };
      const [added] = given(trainingDecider, full).when(update({ sessions: [session, second] })).events();
      expect(added).toMatchObject({ type: 'TrainingUpdated', data: { changes: ['SESSIONS'], sessions: [session, second] } });
      given(trainingDecider, [...full, added]).when(update({ sessions: [session] })).then([
        { type: 'TrainingUpdated', data: expect.objectContaining({ sessions: [session], changes: ['SESSIONS'] }) as never },
      ]);
    });

    it('refuses to remove a session people registered to, to go below the seats taken, or to drop a registered profession', () => {
      const other = { ...session, sessionId: 's-2', date: '2026-03-26' };
      given(trainingDecider, full).when(update({ sessions: [other] })).thenThrows('SESSION_HAS_REGISTRATIONS', /2026-03-12/);
      given(trainingDecider, full).when(update({ sessions: [{ ...session, capacity: 1 }] })).thenThrows('CAPACITY_BELOW_REGISTERED', /2 inscrits/);
      given(trainingDecider, full).when(update({ audience: ['PSYCHOLOGIST'] })).thenThrows('AUDIENCE_EXCLUDES_REGISTERED', /GENERAL_PRACTITIONER/);
    });

    it('leaves a session that took place as it was, and adds none in the past', () => {
      given(trainingDecider, full).when(update({ today: '2026-03-12', sessions: [{ ...session, place: 'Ailleurs' }] })).thenThrows('SESSION_ALREADY_HELD', /2026-03-12/);
      given(trainingDecider, full).when(update({ sessions: [session, { ...session, sessionId: 's-2', date: '2026-02-10' }] })).thenThrows('SESSION_IN_PAST');
    });

    it('checks the new description as publishing does', () => {
      given(trainingDecider, full).when(update({ registrationClosesOn: '2026-02-15' })).thenThrows('DEADLINE_IN_PAST');
      given(trainingDecider, full).when(update({ registrationClosesOn: '2026-03-20' })).thenThrows('DEADLINE_AFTER_FIRST_SESSION');
      given(trainingDecider, full).when(update({ title: ' ' })).thenThrows('TEXT_REQUIRED');
      given(trainingDecider, full).when(update({ format: 'IN_PERSON', sessions: [{ ...session, place: null }] })).thenThrows('TEXT_REQUIRED');
    });

    it('refuses an unknown or cancelled training', () => {
      given(trainingDecider).when(update()).thenThrows('TRAINING_NOT_FOUND');
      const cancelled = given(trainingDecider, full).when(cancelTraining()).events();
      given(trainingDecider, [...full, ...cancelled]).when(update({ title: 'Autre' })).thenThrows('TRAINING_CANCELLED');
    });
  });

  describe('CancelTraining', () => {
    it('cancels the training and every registration still active, without promoting anyone', () => {
      const history: TrainingEvent[] = [
        ...withWaitList,
        { type: 'RegistrationCancelled', data: { ...registrant('gp-2'), previousStatus: 'REGISTERED', cancelledAt: '2026-02-11T08:00:00.000Z' } },
        { type: 'WaitListedProfessionalPromoted', data: { ...registrant('gp-3'), promotedAt: '2026-02-11T08:00:00.000Z' } },
      ];
      const events = given(trainingDecider, history).when(cancelTraining()).events();
      expect(events[0]).toEqual({
        type: 'TrainingCancelled',
        data: { trainingId: 't-1', networkId: 'net-alsace', title: published.data.title, reason: 'TRAINER_UNAVAILABLE', affectedProfessionalIds: ['gp-1', 'gp-3', 'gp-4'], cancelledBy: 'u-coordinator', cancelledOn: '2026-02-20' },
      });
      expect(events.slice(1).map((e) => [e.type, 'registrationId' in e.data ? e.data.registrationId : null, 'previousStatus' in e.data ? e.data.previousStatus : null])).toEqual([
        ['RegistrationCancelled', 'r-gp-1', 'REGISTERED'],
        ['RegistrationCancelled', 'r-gp-3', 'REGISTERED'],
        ['RegistrationCancelled', 'r-gp-4', 'WAITLISTED'],
      ]);
    });

    it('records nothing more when cancelled twice, and nobody can register afterwards', () => {
      const cancelled = [...full, ...given(trainingDecider, full).when(cancelTraining()).events()];
      given(trainingDecider, cancelled).when(cancelTraining()).then([]);
      given(trainingDecider, cancelled).when(register('gp-9')).thenThrows('TRAINING_CANCELLED');
      given(trainingDecider, cancelled).when(attend(['gp-1'])).thenThrows('TRAINING_CANCELLED');
    });

    it('refuses once the training has started, and an unknown reason', () => {
      given(trainingDecider, full).when(cancelTraining({ today: '2026-03-13' })).thenThrows('TRAINING_ALREADY_HELD');
      given(trainingDecider, full).when(cancelTraining({ reason: 'BORED' as never })).thenThrows('INVALID_CODE');
    });
  });
});

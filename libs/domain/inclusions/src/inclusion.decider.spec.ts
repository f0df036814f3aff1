import { fold } from '@cnrms/decider';
import { given } from '@cnrms/decider/testing';
import {
  AssessmentRecorded,
  CarePlanRevised,
  ExitRecorded,
  FollowUpSessionRecorded,
  IncludePatient,
  InclusionCommand,
  inclusionDecider,
  lastContactOn,
  PatientIncluded,
  RecordAssessment,
  RecordExit,
  RecordSession,
  UpdateCarePlan,
} from './inclusion.decider';

const ids = { inclusionId: 'inc-1', patientId: 'pat-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace' };
const today = '2025-01-15';
const situation = { housing: 'PRECARIOUS' as const, income: 'BENEFITS' as const, healthCoverage: 'CSS' as const, mainSubstances: ['ALCOHOL' as const, 'TOBACCO' as const], daysOfUseLast30: 24 };
const consent = { givenOn: '2024-05-02', teamSharing: true as const, partnerSharing: ['csapa-1'] };

const include = (data: Partial<IncludePatient['data']> = {}): IncludePatient => ({
  type: 'IncludePatient',
  data: {
    ...ids,
    includedOn: '2024-05-02',
    reasons: ['PRECARITY', 'ADDICTION'],
    treatingGpId: 'gp-1',
    actor: { professionalId: 'gp-2', profession: 'GENERAL_PRACTITIONER' },
    actorIsMemberGp: true,
    consent,
    initialSituation: situation,
    reinclusion: false,
    profile: { sex: 'FEMALE', ageBand: 'AGE_35_44' },
    microstructure: { status: 'ACTIVE', openedOn: '2024-03-01', closedOn: null },
    partnerIds: ['csapa-1'],
    birth: { birthDate: '1985-07-14', birthYear: 1985 },
    today,
    ...data,
  },
});
const included: PatientIncluded = {
  type: 'PatientIncluded',
  data: { ...ids, includedOn: '2024-05-02', reasons: ['ADDICTION', 'PRECARITY'], treatingGpId: 'gp-1', includedBy: 'gp-2', consent, initialSituation: situation, reinclusion: false, profile: { sex: 'FEMALE', ageBand: 'AGE_35_44' } },
};
const noOutcomes = { screenings: [], rights: [], referrals: [] };
const recordSession = (data: Partial<RecordSession['data']> = {}): RecordSession => ({
  type: 'RecordSession',
  data: { inclusionId: 'inc-1', sessionId: 'ses-1', kind: 'PSYCHOLOGIST_SESSION', heldOn: '2024-06-10', professionalId: 'psy-1', profession: 'PSYCHOLOGIST', actorIsMember: true, durationMinutes: 45, patientErased: false, today, ...data },
});
const sessionRecorded = (data: Partial<FollowUpSessionRecorded['data']> = {}): FollowUpSessionRecorded => ({
  type: 'FollowUpSessionRecorded',
  data: { ...ids, sessionId: 'ses-1', kind: 'PSYCHOLOGIST_SESSION', heldOn: '2024-06-10', professionalId: 'psy-1', durationMinutes: 45, outcomes: noOutcomes, ...data },
});
const assessment = { daysOfUseLast30: 10, qualityOfLifeScore: 55, housing: 'STABLE' as const, employment: 'UNEMPLOYED' as const, healthCoverage: 'CSS' as const };
const recordAssessment = (data: Partial<RecordAssessment['data']> = {}): RecordAssessment => ({
  type: 'RecordAssessment',
  data: { inclusionId: 'inc-1', timepoint: 'M6', assessedOn: '2024-11-05', ...assessment, recordedBy: 'gp-1', actorIsMember: true, today, ...data },
});
const assessmentRecorded = (timepoint = 'M6', assessedOn = '2024-11-05'): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: { ...ids, timepoint, assessedOn, ...assessment, recordedBy: 'gp-1' },
});
const recordExit = (data: Partial<RecordExit['data']> = {}): RecordExit => ({
  type: 'RecordExit',
  data: { inclusionId: 'inc-1', exitedOn: '2024-12-20', reason: 'GOALS_REACHED', recordedBy: 'gp-1', actorIsMember: true, today, ...data },
});
const exitRecorded: ExitRecorded = { type: 'ExitRecorded', data: { ...ids, exitedOn: '2024-12-20', reason: 'GOALS_REACHED', recordedBy: 'gp-1' } };
const updateCarePlan = (data: Partial<UpdateCarePlan['data']> = {}): UpdateCarePlan => ({
  type: 'UpdateCarePlan',
  data: { inclusionId: 'inc-1', goals: ['Réduire la consommation d’alcool'], nextSteps: ['Demande de CSS'], sealed: 'sealed-plan-1', updatedOn: '2024-05-10', updatedBy: 'sw-1', actorIsMember: true, today, ...data },
});
/** The plan as sealed under the patient's key (here an opaque stand-in: the decider never reads it). */
const carePlanRevised: CarePlanRevised = { type: 'CarePlanRevised', data: { ...ids, sealed: 'sealed-plan-1', updatedOn: '2024-05-10', updatedBy: 'sw-1' } };
/** A care plan recorded in clear, before free text was sealed. */
const clearCarePlanRevised: CarePlanRevised = {
  type: 'CarePlanRevised',
  data: { ...ids, goals: ['Réduire la consommation d’alcool'], nextSteps: ['Demande de CSS'], updatedOn: '2024-05-10', updatedBy: 'sw-1' },
};

const exited = [included, sessionRecorded(), exitRecorded];

describe('Inclusion', () => {
  describe('IncludePatient', () => {
    it('includes the patient, reasons in catalogue order, with consent and initial situation', () => {
      given(inclusionDecider, []).when(include()).then([included]);
      expect(fold(inclusionDecider, [included])).toMatchObject({ status: 'OPEN', sessions: [], assessments: [] });
    });

    it('records a re-inclusion as the guard reports it', () => {
      given(inclusionDecider, []).when(include({ reinclusion: true })).then([{ ...included, data: { ...included.data, reinclusion: true } }]);
    });

    it('accepts an inclusion dated today with no partner sharing and no substance', () => {
      const [event] = given(inclusionDecider, [])
        .when(include({ includedOn: today, consent: { givenOn: today, teamSharing: true }, initialSituation: { ...situation, mainSubstances: [], daysOfUseLast30: 0 }, reasons: ['MENTAL_HEALTH'] }))
        .events();
      expect(event).toMatchObject({ data: { includedOn: today, consent: { partnerSharing: [] }, initialSituation: { mainSubstances: [] } } });
    });

    describe('when the inclusion already exists', () => {
      it('refuses to include again under the same id', () => {
        given(inclusionDecider, [included]).when(include()).thenThrows('INCLUSION_ALREADY_EXISTS');
      });
    });

    describe('who may include', () => {
      it('refuses a GP who is not a member of the microstructure', () => {
        given(inclusionDecider, [])
          .when(include({ actorIsMemberGp: false }))
          .thenThrows('NOT_A_MEMBER_GP', 'Seul un médecin généraliste de l’équipe de la microstructure peut inclure un patient.');
      });

      it('refuses a member who is not a GP, whatever the flag says', () => {
        given(inclusionDecider, []).when(include({ actor: { professionalId: 'psy-1', profession: 'PSYCHOLOGIST' } })).thenThrows('NOT_A_MEMBER_GP');
      });

      it('says it is forbidden', () => {
        expect(() => inclusionDecider.decide(include({ actorIsMemberGp: false }), inclusionDecider.initialState())).toThrow(expect.objectContaining({ kind: 'FORBIDDEN' }));
      });
    });

    describe('consent', () => {
      it('requires consent to sharing within the team', () => {
        given(inclusionDecider, [])
          .when(include({ consent: { ...consent, teamSharing: false } }))
          .thenThrows('CONSENT_REQUIRED', 'Le patient doit avoir consenti au partage d’informations au sein de l’équipe de la microstructure.');
      });

      it('refuses consent given after the inclusion', () => {
        given(inclusionDecider, []).when(include({ consent: { ...consent, givenOn: '2024-05-03' } })).thenThrows('CONSENT_AFTER_INCLUSION', '2024-05-02');
      });

      it('refuses a partner named twice', () => {
        given(inclusionDecider, []).when(include({ consent: { ...consent, partnerSharing: ['csapa-1', 'csapa-1'] } })).thenThrows('DUPLICATE_VALUE');
      });
    });

    it('refuses an inclusion date in the future', () => {
      given(inclusionDecider, []).when(include({ includedOn: '2025-01-16' })).thenThrows('DATE_IN_FUTURE', '2025-01-16');
    });

    it.each([
      ['an empty inclusion id', { inclusionId: '' }, 'ID_REQUIRED'],
      ['an empty patient id', { patientId: '' }, 'ID_REQUIRED'],
      ['an empty microstructure id', { microstructureId: '' }, 'ID_REQUIRED'],
      ['an empty network id', { networkId: '' }, 'ID_REQUIRED'],
      ['an empty treating GP', { treatingGpId: ' ' }, 'ID_REQUIRED'],
      ['an actor without id', { actor: { professionalId: '', profession: 'GENERAL_PRACTITIONER' as const } }, 'ID_REQUIRED'],
      ['an unknown actor profession', { actor: { professionalId: 'x', profession: 'NURSE' as never } }, 'INVALID_CODE'],
      ['no reason', { reasons: [] }, 'REASONS_REQUIRED'],
      ['an unknown reason', { reasons: ['BOREDOM' as never] }, 'INVALID_CODE'],
      ['a reason given twice', { reasons: ['ADDICTION' as const, 'ADDICTION' as const] }, 'DUPLICATE_VALUE'],
      ['an unknown housing', { initialSituation: { ...situation, housing: 'CASTLE' as never } }, 'INVALID_CODE'],
      ['an unknown income', { initialSituation: { ...situation, income: 'LOTTERY' as never } }, 'INVALID_CODE'],
      ['an unknown health coverage', { initialSituation: { ...situation, healthCoverage: 'CMU' as never } }, 'INVALID_CODE'],
      ['an unknown substance', { initialSituation: { ...situation, mainSubstances: ['COFFEE' as never] } }, 'INVALID_CODE'],
      ['31 days of use in 30', { initialSituation: { ...situation, daysOfUseLast30: 31 } }, 'INVALID_DAYS_OF_USE'],
      ['negative days of use', { initialSituation: { ...situation, daysOfUseLast30: -1 } }, 'INVALID_DAYS_OF_USE'],
      ['an invalid inclusion date', { includedOn: '2024-02-30' }, 'INVALID_DATE'],
      ['an invalid today', { today: 'today' }, 'INVALID_DATE'],
      ['a re-inclusion flag that is not a boolean', { reinclusion: undefined as never }, 'INVALID_VALUE'],
      ['an unknown age band', { profile: { sex: 'FEMALE' as const, ageBand: 'AGE_30_40' as never } }, 'INVALID_CODE'],
      ['a profile without sex', { profile: { ageBand: 'AGE_35_44' } as never }, 'INVALID_CODE'],
    ])('refuses %s', (_case, data, code) => {
      given(inclusionDecider, []).when(include(data)).thenThrows(code);
    });
  });

  describe('when the inclusion does not exist', () => {
    it.each<[string, InclusionCommand]>([
      ['RecordSession', recordSession()],
      ['RecordAssessment', recordAssessment()],
      ['RecordExit', recordExit()],
      ['UpdateCarePlan', updateCarePlan()],
    ])('refuses %s', (_type, command) => {
      given(inclusionDecider, []).when(command).thenThrows('INCLUSION_NOT_FOUND', 'Cette inclusion n’existe pas.');
    });
  });

  describe('when the actor is not a member of the care team', () => {
    it.each<[string, InclusionCommand]>([
      ['RecordSession', recordSession({ actorIsMember: false })],
      ['RecordAssessment', recordAssessment({ actorIsMember: false })],
      ['RecordExit', recordExit({ actorIsMember: false })],
      ['UpdateCarePlan', updateCarePlan({ actorIsMember: false })],
    ])('refuses %s', (_type, command) => {
      given(inclusionDecider, [included]).when(command).thenThrows('NOT_A_MEMBER', 'Seul un membre de l’équipe de la microstructure peut suivre ce patient.');
    });
  });

  describe('RecordSession', () => {
    it('records a psychologist session', () => {
      given(inclusionDecider, [included]).when(recordSession()).then([sessionRecorded()]);
    });

    it.each([
      ['GENERAL_PRACTITIONER', 'GP_CONSULTATION'],
      ['PSYCHOLOGIST', 'PSYCHOLOGIST_SESSION'],
      ['SOCIAL_WORKER', 'SOCIAL_WORK_INTERVIEW'],
      ['PSYCHIATRIST', 'PSYCHIATRIST_SESSION'],
    ] as const)('lets a %s record a %s', (profession, kind) => {
      given(inclusionDecider, [included]).when(recordSession({ profession, kind })).then([sessionRecorded({ kind })]);
    });

    it.each([
      ['PSYCHOLOGIST', 'SOCIAL_WORK_INTERVIEW'],
      ['SOCIAL_WORKER', 'GP_CONSULTATION'],
      ['GENERAL_PRACTITIONER', 'PSYCHIATRIST_SESSION'],
      ['OTHER', 'GP_CONSULTATION'],
    ] as const)('refuses a %s recording a %s', (profession, kind) => {
      given(inclusionDecider, [included])
        .when(recordSession({ profession, kind }))
        .thenThrows('SESSION_KIND_NOT_ALLOWED', 'Chaque professionnel n’enregistre que les séances de sa propre profession.');
    });

    it('records screenings, rights and referrals of a social-work interview', () => {
      const outcomes = { screenings: [{ disease: 'HCV' as const, status: 'PROPOSED' as const }], rights: [{ right: 'CSS' as const, status: 'APPLIED' as const }], referrals: [{ partnerId: 'caarud-1', partnerType: 'CAARUD' as const }] };
      given(inclusionDecider, [included])
        .when(recordSession({ kind: 'SOCIAL_WORK_INTERVIEW', profession: 'SOCIAL_WORKER', professionalId: 'sw-1', outcomes }))
        .then([sessionRecorded({ kind: 'SOCIAL_WORK_INTERVIEW', professionalId: 'sw-1', outcomes })]);
    });

    it('accepts a session on the inclusion day and one today', () => {
      given(inclusionDecider, [included]).when(recordSession({ heldOn: '2024-05-02' })).then([sessionRecorded({ heldOn: '2024-05-02' })]);
      given(inclusionDecider, [included]).when(recordSession({ heldOn: today })).then([sessionRecorded({ heldOn: today })]);
    });

    it('refuses a session before the inclusion', () => {
      given(inclusionDecider, [included]).when(recordSession({ heldOn: '2024-05-01' })).thenThrows('SESSION_BEFORE_INCLUSION', 'La séance ne peut pas précéder l’inclusion (2024-05-02).');
    });

    it('refuses a session in the future', () => {
      given(inclusionDecider, [included]).when(recordSession({ heldOn: '2025-01-16' })).thenThrows('DATE_IN_FUTURE');
    });

    describe('when the patient has exited', () => {
      it('refuses a session after the exit', () => {
        given(inclusionDecider, exited).when(recordSession({ sessionId: 'ses-2', heldOn: '2024-12-21' })).thenThrows('INCLUSION_CLOSED', 'sorti du dispositif le 2024-12-20');
      });

      it('still records a session held before the exit and entered late', () => {
        given(inclusionDecider, exited).when(recordSession({ sessionId: 'ses-2', heldOn: '2024-12-20' })).then([sessionRecorded({ sessionId: 'ses-2', heldOn: '2024-12-20' })]);
      });
    });

    describe('when the session id is already recorded', () => {
      it('records nothing for the same session sent again', () => {
        given(inclusionDecider, [included, sessionRecorded()]).when(recordSession()).then([]);
      });

      it('refuses another session under the same id', () => {
        given(inclusionDecider, [included, sessionRecorded()]).when(recordSession({ heldOn: '2024-06-11' })).thenThrows('SESSION_ALREADY_RECORDED');
      });
    });

    it.each([
      ['an unknown kind', { kind: 'NURSE_VISIT' as never }, 'INVALID_CODE'],
      ['an unknown profession', { profession: 'NURSE' as never }, 'INVALID_CODE'],
      ['an empty session id', { sessionId: '' }, 'ID_REQUIRED'],
      ['an empty professional id', { professionalId: '' }, 'ID_REQUIRED'],
      ['a duration of 0 minutes', { durationMinutes: 0 }, 'INVALID_DURATION'],
      ['a duration over 480 minutes', { durationMinutes: 481 }, 'INVALID_DURATION'],
      ['a fractional duration', { durationMinutes: 30.5 }, 'INVALID_DURATION'],
      ['an unknown screened disease', { outcomes: { screenings: [{ disease: 'HPV' as never, status: 'DONE' as const }] } }, 'INVALID_CODE'],
      ['a result for a screening only proposed', { outcomes: { screenings: [{ disease: 'HCV' as const, status: 'PROPOSED' as const, result: 'NEGATIVE' as const }] } }, 'INVALID_SCREENING'],
      ['an unknown right', { outcomes: { rights: [{ right: 'RSA' as never, status: 'APPLIED' as const }] } }, 'INVALID_CODE'],
      ['an unknown partner type', { outcomes: { referrals: [{ partnerId: 'p-1', partnerType: 'GYM' as never }] } }, 'INVALID_CODE'],
      ['an invalid session date', { heldOn: '2024-06-31' }, 'INVALID_DATE'],
    ])('refuses %s', (_case, data, code) => {
      given(inclusionDecider, [included]).when(recordSession(data)).thenThrows(code);
    });
  });

  describe('RecordAssessment', () => {
    it('records the 6-month assessment', () => {
      given(inclusionDecider, [included]).when(recordAssessment()).then([assessmentRecorded()]);
    });

    it('records a timepoint of a configured programme', () => {
      const timepoints = [{ code: 'M7', monthsAfterInclusion: 7 }];
      given(inclusionDecider, [included]).when(recordAssessment({ timepoint: 'M7', timepoints })).then([assessmentRecorded('M7')]);
    });

    it('refuses a second assessment at the same timepoint', () => {
      given(inclusionDecider, [included, assessmentRecorded()])
        .when(recordAssessment({ assessedOn: '2024-11-20' }))
        .thenThrows('ASSESSMENT_ALREADY_RECORDED', 'L’évaluation M6 a déjà été enregistrée (le 2024-11-05).');
    });

    it('refuses an assessment before the inclusion', () => {
      given(inclusionDecider, [included]).when(recordAssessment({ timepoint: 'INCLUSION', assessedOn: '2024-04-30' })).thenThrows('ASSESSMENT_BEFORE_INCLUSION');
    });

    it('refuses an assessment in the future', () => {
      given(inclusionDecider, [included]).when(recordAssessment({ assessedOn: '2025-02-01' })).thenThrows('DATE_IN_FUTURE');
    });

    it('refuses an assessment after the exit', () => {
      given(inclusionDecider, exited).when(recordAssessment({ assessedOn: '2025-01-02' })).thenThrows('INCLUSION_CLOSED');
    });

    it.each([
      ['an unknown timepoint', { timepoint: 'M3' }, 'INVALID_CODE'],
      ['a default timepoint missing from the configured ones', { timepoints: [{ code: 'M24', monthsAfterInclusion: 24 }] }, 'INVALID_CODE'],
      ['31 days of use', { daysOfUseLast30: 31 }, 'INVALID_DAYS_OF_USE'],
      ['a quality-of-life score over 100', { qualityOfLifeScore: 101 }, 'INVALID_QUALITY_OF_LIFE_SCORE'],
      ['a negative quality-of-life score', { qualityOfLifeScore: -1 }, 'INVALID_QUALITY_OF_LIFE_SCORE'],
      ['an unknown housing', { housing: 'CASTLE' as never }, 'INVALID_CODE'],
      ['an unknown employment', { employment: 'RETIRED' as never }, 'INVALID_CODE'],
      ['an unknown health coverage', { healthCoverage: 'CMU' as never }, 'INVALID_CODE'],
      ['an empty author', { recordedBy: '' }, 'ID_REQUIRED'],
    ])('refuses %s', (_case, data, code) => {
      given(inclusionDecider, [included]).when(recordAssessment(data)).thenThrows(code);
    });
  });

  describe('RecordExit', () => {
    it('records the exit and closes the inclusion', () => {
      given(inclusionDecider, [included, sessionRecorded()]).when(recordExit()).then([exitRecorded]);
      expect(fold(inclusionDecider, exited)).toMatchObject({ status: 'EXITED', exit: { exitedOn: '2024-12-20', reason: 'GOALS_REACHED', recordedBy: 'gp-1' } });
    });

    it('accepts an exit on the day of the last contact', () => {
      given(inclusionDecider, [included, sessionRecorded()]).when(recordExit({ exitedOn: '2024-06-10', reason: 'MOVED' })).then([
        { type: 'ExitRecorded', data: { ...ids, exitedOn: '2024-06-10', reason: 'MOVED', recordedBy: 'gp-1' } },
      ]);
    });

    it('refuses an exit before the inclusion', () => {
      given(inclusionDecider, [included]).when(recordExit({ exitedOn: '2024-05-01' })).thenThrows('EXIT_BEFORE_INCLUSION', 'La date de sortie ne peut pas précéder l’inclusion (2024-05-02).');
    });

    it('refuses an exit before the last contact', () => {
      given(inclusionDecider, [included, sessionRecorded()]).when(recordExit({ exitedOn: '2024-06-09' })).thenThrows('EXIT_BEFORE_LAST_CONTACT', '2024-06-10');
    });

    it('refuses an exit in the future', () => {
      given(inclusionDecider, [included]).when(recordExit({ exitedOn: '2025-01-16' })).thenThrows('DATE_IN_FUTURE');
    });

    it('refuses a second exit', () => {
      given(inclusionDecider, exited).when(recordExit()).thenThrows('INCLUSION_CLOSED', 'La sortie du dispositif a déjà été enregistrée (le 2024-12-20).');
    });

    it.each([
      ['an unknown reason', { reason: 'BORED' as never }, 'INVALID_CODE'],
      ['an empty author', { recordedBy: '' }, 'ID_REQUIRED'],
      ['an invalid date', { exitedOn: '20/12/2024' }, 'INVALID_DATE'],
    ])('refuses %s', (_case, data, code) => {
      given(inclusionDecider, [included]).when(recordExit(data)).thenThrows(code);
    });
  });

  describe('UpdateCarePlan', () => {
    it('records the care plan sealed under the patient’s key, never in clear (free text is identity)', () => {
      given(inclusionDecider, [included]).when(updateCarePlan()).then([carePlanRevised]);
      expect(fold(inclusionDecider, [included, carePlanRevised])).toMatchObject({ carePlan: { sealed: 'sealed-plan-1', updatedOn: '2024-05-10' } });
      expect(JSON.stringify(given(inclusionDecider, [included]).when(updateCarePlan()).events())).not.toContain('alcool');
    });

    it('records a revision', () => {
      const [event] = given(inclusionDecider, [included, carePlanRevised]).when(updateCarePlan({ nextSteps: [], sealed: 'sealed-plan-2', updatedOn: '2024-07-01' })).events();
      expect(event).toEqual({ type: 'CarePlanRevised', data: { ...ids, sealed: 'sealed-plan-2', updatedOn: '2024-07-01', updatedBy: 'sw-1' } });
    });

    it('records nothing when the application found the plan unchanged, or when it equals a plan recorded in clear', () => {
      given(inclusionDecider, [included, carePlanRevised]).when(updateCarePlan({ unchanged: true, updatedOn: '2024-07-01' })).then([]);
      given(inclusionDecider, [included, clearCarePlanRevised]).when(updateCarePlan({ goals: [' Réduire la consommation d’alcool '], updatedOn: '2024-07-01' })).then([]);
      expect(fold(inclusionDecider, [included, clearCarePlanRevised])).toMatchObject({ carePlan: { goals: ['Réduire la consommation d’alcool'], nextSteps: ['Demande de CSS'] } });
    });

    it('refuses a change once the patient has exited', () => {
      given(inclusionDecider, exited).when(updateCarePlan()).thenThrows('INCLUSION_CLOSED', 'son parcours de soins ne peut plus être modifié');
    });

    it('refuses a care plan dated before the inclusion', () => {
      given(inclusionDecider, [included]).when(updateCarePlan({ updatedOn: '2024-05-01' })).thenThrows('CARE_PLAN_BEFORE_INCLUSION');
    });

    it('does not count as a contact', () => {
      expect(lastContactOn(fold(inclusionDecider, [included, carePlanRevised]))).toBe('2024-05-02');
    });

    it.each([
      ['no goal', { goals: [] }, 'CARE_PLAN_GOALS_REQUIRED'],
      ['21 goals', { goals: Array.from({ length: 21 }, (_, i) => `Objectif ${i + 1}`) }, 'TOO_MANY_ITEMS'],
      ['a goal over 500 characters', { goals: ['x'.repeat(501)] }, 'TEXT_TOO_LONG'],
      ['a blank next step', { nextSteps: [' '] }, 'TEXT_REQUIRED'],
      ['21 next steps', { nextSteps: Array(21).fill('Rappeler') }, 'TOO_MANY_ITEMS'],
      ['an empty author', { updatedBy: '' }, 'ID_REQUIRED'],
      ['a date in the future', { updatedOn: '2025-01-16' }, 'DATE_IN_FUTURE'],
    ])('refuses %s', (_case, data, code) => {
      given(inclusionDecider, [included]).when(updateCarePlan(data)).thenThrows(code);
    });
  });

  describe('lastContactOn', () => {
    it('is the latest of inclusion, sessions and assessments', () => {
      expect(lastContactOn(inclusionDecider.initialState())).toBeUndefined();
      expect(lastContactOn(fold(inclusionDecider, [included]))).toBe('2024-05-02');
      expect(lastContactOn(fold(inclusionDecider, [included, assessmentRecorded(), sessionRecorded()]))).toBe('2024-11-05');
      expect(lastContactOn(fold(inclusionDecider, [included, sessionRecorded({ sessionId: 'ses-9', heldOn: '2024-12-01' }), assessmentRecorded()]))).toBe('2024-12-01');
    });
  });
});

describe('Inclusion: time rules (docs/time-rules.md)', () => {
  describe('IncludePatient', () => {
    it('refuses an inclusion in a microstructure never opened', () => {
      given(inclusionDecider).when(include({ microstructure: { status: 'IN_CREATION', openedOn: null, closedOn: null } })).thenThrows('MICROSTRUCTURE_NOT_OPEN');
    });

    it('refuses an inclusion dated before the microstructure opened, even long before', () => {
      given(inclusionDecider).when(include({ includedOn: '2024-02-29', consent: { ...consent, givenOn: '2024-02-29' } })).thenThrows('INCLUSION_BEFORE_OPENING', /2024-03-01/);
      given(inclusionDecider).when(include({ includedOn: '1960-01-01', consent: { ...consent, givenOn: '1960-01-01' } })).thenThrows('INCLUSION_BEFORE_OPENING');
    });

    it('accepts an inclusion on the opening day', () => {
      expect(given(inclusionDecider).when(include({ includedOn: '2024-03-01', consent: { ...consent, givenOn: '2024-03-01' } })).events()).toHaveLength(1);
    });

    it('refuses an inclusion dated after the microstructure closed', () => {
      given(inclusionDecider).when(include({ microstructure: { status: 'CLOSED', openedOn: '2024-03-01', closedOn: '2024-04-30' } })).thenThrows('INCLUSION_AFTER_CLOSURE', /2024-04-30/);
    });

    it('refuses an inclusion before the patient was born', () => {
      given(inclusionDecider).when(include({ birth: { birthDate: '2024-06-01', birthYear: 2024 } })).thenThrows('INCLUSION_BEFORE_BIRTH', /2024-06-01/);
      given(inclusionDecider).when(include({ birth: { birthYear: 2025 } })).thenThrows('INCLUSION_BEFORE_BIRTH', /en 2025/);
    });

    it('refuses dates before 1900 and in the future', () => {
      given(inclusionDecider).when(include({ includedOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY');
      given(inclusionDecider).when(include({ includedOn: '9999-12-31' })).thenThrows('DATE_IN_FUTURE');
      given(inclusionDecider).when(include({ consent: { ...consent, givenOn: '0001-01-01' } })).thenThrows('DATE_TOO_EARLY');
    });

    it('refuses a partner-sharing consent naming a partner the microstructure does not have', () => {
      given(inclusionDecider).when(include({ consent: { ...consent, partnerSharing: ['csapa-1', 'someone-else'] } })).thenThrows('PARTNER_NOT_OF_MICROSTRUCTURE', /someone-else/);
    });

    it('refuses an inclusion by a professional who is not a GP member on that day', () => {
      given(inclusionDecider).when(include({ actorIsMemberGp: false })).thenThrows('NOT_A_MEMBER_GP');
    });
  });

  describe('RecordSession', () => {
    it('derives the kind from the profession when none is sent', () => {
      given(inclusionDecider, [included]).when(recordSession({ kind: undefined })).then([sessionRecorded()]);
      given(inclusionDecider, [included]).when(recordSession({ kind: null, profession: 'SOCIAL_WORKER', professionalId: 'sw-1' })).then([sessionRecorded({ kind: 'SOCIAL_WORK_INTERVIEW', professionalId: 'sw-1' })]);
    });

    it('refuses a session without a kind for a profession that records none', () => {
      given(inclusionDecider, [included]).when(recordSession({ kind: undefined, profession: 'OTHER' })).thenThrows('SESSION_KIND_NOT_ALLOWED');
    });

    it('refuses a session on an erased patient’s inclusion', () => {
      given(inclusionDecider, [included]).when(recordSession({ patientErased: true })).thenThrows('PATIENT_ERASED');
    });

    it('refuses a 480-minute session recorded three times the same day by the same psychologist', () => {
      const long = (sessionId: string) => sessionRecorded({ sessionId, durationMinutes: 480 });
      given(inclusionDecider, [included, long('ses-1')]).when(recordSession({ sessionId: 'ses-2', durationMinutes: 480 })).thenThrows('DAILY_SESSION_TIME_EXCEEDED', /480 min/);
      given(inclusionDecider, [included, sessionRecorded({ durationMinutes: 240 })]).when(recordSession({ sessionId: 'ses-2', durationMinutes: 240 })).then([sessionRecorded({ sessionId: 'ses-2', durationMinutes: 240 })]);
      // Another day, or another professional, counts apart.
      given(inclusionDecider, [included, long('ses-1')]).when(recordSession({ sessionId: 'ses-2', durationMinutes: 480, heldOn: '2024-06-11' })).then([sessionRecorded({ sessionId: 'ses-2', durationMinutes: 480, heldOn: '2024-06-11' })]);
    });

    it('refuses a day of more than 600 minutes of sessions for one professional, all their patients together', () => {
      given(inclusionDecider, [included]).when(recordSession({ durationMinutes: 120, minutesWithOtherPatients: 500 })).thenThrows('PROFESSIONAL_DAY_EXCEEDED', /500 min .* tous patients confondus/);
      given(inclusionDecider, [included, sessionRecorded({ durationMinutes: 60 })]).when(recordSession({ sessionId: 'ses-2', durationMinutes: 60, minutesWithOtherPatients: 481 })).thenThrows('PROFESSIONAL_DAY_EXCEEDED', /541 min/);
      given(inclusionDecider, [included]).when(recordSession({ durationMinutes: 100, minutesWithOtherPatients: 500 })).then([sessionRecorded({ durationMinutes: 100 })]);
    });

    it('refuses a session before 1900', () => {
      given(inclusionDecider, [included]).when(recordSession({ heldOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY');
    });
  });

  describe('RecordAssessment', () => {
    it('refuses an M12 assessment dated on the inclusion day', () => {
      given(inclusionDecider, [included]).when(recordAssessment({ timepoint: 'M12', assessedOn: '2024-05-02' })).thenThrows('ASSESSMENT_OUT_OF_WINDOW', /2025-04-02 et le 2025-06-01/);
    });

    it('refuses an inclusion assessment 190 days after the inclusion', () => {
      given(inclusionDecider, [included]).when(recordAssessment({ timepoint: 'INCLUSION', assessedOn: '2024-11-08' })).thenThrows('ASSESSMENT_OUT_OF_WINDOW');
    });

    it('accepts an assessment outside its window when a reason is given, and keeps the reason sealed', () => {
      given(inclusionDecider, [included])
        .when(recordAssessment({ timepoint: 'INCLUSION', assessedOn: '2024-11-08', outOfWindowReason: 'Patient injoignable pendant six mois', sealedOutOfWindowReason: 'sealed-reason' }))
        .then([{ ...assessmentRecorded('INCLUSION', '2024-11-08'), data: { ...assessmentRecorded('INCLUSION', '2024-11-08').data, sealedOutOfWindowReason: 'sealed-reason' } }]);
    });

    it('does not keep a reason for an assessment within its window', () => {
      given(inclusionDecider, [included]).when(recordAssessment({ outOfWindowReason: 'inutile', sealedOutOfWindowReason: 'sealed-reason' })).then([assessmentRecorded()]);
    });

    it('follows the configured window', () => {
      given(inclusionDecider, [included]).when(recordAssessment({ assessedOn: '2024-11-05', windowDays: 2 })).thenThrows('ASSESSMENT_OUT_OF_WINDOW');
    });
  });
});

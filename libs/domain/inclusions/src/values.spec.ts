import { ValidationError } from '@cnrms/decider';
import { ageAt, ageBand, AGE_BANDS } from './age-band';
import { requireTimepoint } from './assessment.values';
import { addDays, addMonths, daysBetween, latest } from './dates';
import { isValidSsn, requireBirthDate, requireClearIdentity, requirePersonName, requireSsn, ssnKey, ssnMismatches } from './identity';
import { requireCarePlanItems, requireConsent, requireInclusionReasons, requireInitialSituation } from './inclusion.values';
import { requireSessionOutcomes, SESSION_KIND_BY_PROFESSION } from './session.values';
import { requireBoolean, requireCode, requireDate, requireId, requireIdList, requirePastDate, requireSex, requireTimestamp, SEXES } from './values';

/** The error a validation throws, to check its code, field and message. */
function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a validation error');
}

describe('Inclusions values', () => {
  describe('ids, dates and codes', () => {
    it('trims an id and refuses an empty one', () => {
      expect(requireId(' pat-1 ', 'patientId')).toBe('pat-1');
      expect(refusal(() => requireId(' ', 'patientId', 'L’identifiant du patient'))).toMatchObject({ code: 'ID_REQUIRED', field: 'patientId', message: 'L’identifiant du patient est obligatoire.' });
    });

    it('accepts a real day and refuses one that does not exist', () => {
      expect(requireDate('2024-02-29', 'heldOn')).toBe('2024-02-29');
      expect(refusal(() => requireDate('2023-02-29', 'heldOn'))).toMatchObject({ code: 'INVALID_DATE', field: 'heldOn', message: expect.stringContaining('« 2023-02-29 »') });
    });

    it('refuses a day after today', () => {
      expect(requirePastDate('2024-05-02', 'heldOn', '2024-05-02')).toBe('2024-05-02');
      expect(refusal(() => requirePastDate('2024-05-03', 'heldOn', '2024-05-02'))).toMatchObject({ code: 'DATE_IN_FUTURE', field: 'heldOn' });
    });

    it('requires an instant with its offset', () => {
      expect(requireTimestamp('2024-01-31T09:00:00+01:00', 'registeredAt')).toBe('2024-01-31T09:00:00+01:00');
      expect(refusal(() => requireTimestamp('2024-01-31 09:00', 'registeredAt'))).toMatchObject({ code: 'INVALID_DATE' });
    });

    it('refuses an unknown code with INVALID_CODE, naming the possible values', () => {
      expect(requireSex('FEMALE')).toBe('FEMALE');
      expect(refusal(() => requireSex('F'))).toMatchObject({ code: 'INVALID_CODE', field: 'sex', message: `Valeur non reconnue pour le sexe : « F ». Valeurs possibles : ${SEXES.join(', ')}.` });
      expect(refusal(() => requireCode(['A'], 3, 'x', 'la valeur'))).toMatchObject({ code: 'INVALID_CODE' });
    });

    it('requires a true or false flag', () => {
      expect(requireBoolean(false, 'reinclusion', 'L’indicateur')).toBe(false);
      expect(refusal(() => requireBoolean('yes', 'reinclusion', 'L’indicateur'))).toMatchObject({ code: 'INVALID_VALUE' });
    });

    it('takes an absent id list for an empty one and refuses duplicates', () => {
      expect(requireIdList(undefined, 'partnerSharing', 'Le partenaire')).toEqual([]);
      expect(refusal(() => requireIdList('csapa-1', 'partnerSharing', 'Le partenaire'))).toMatchObject({ code: 'INVALID_LIST' });
      expect(refusal(() => requireIdList(['csapa-1', 'csapa-1'], 'partnerSharing', 'Le partenaire'))).toMatchObject({ code: 'DUPLICATE_VALUE' });
    });
  });

  describe('calendar arithmetic', () => {
    it('adds months, clamped to the end of a shorter month', () => {
      expect(addMonths('2024-01-15', 6)).toBe('2024-07-15');
      expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
      expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
      expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    });

    it('adds days across months and years', () => {
      expect(addDays('2024-12-20', 30)).toBe('2025-01-19');
      expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
      expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    });

    it('finds the latest day', () => {
      expect(latest(['2024-03-01', '2024-11-02', '2024-05-20'])).toBe('2024-11-02');
      expect(latest([])).toBeUndefined();
    });
  });

  describe('social security number (NIR)', () => {
    it.each([
      ['1 85 05 78 006 084 91', '185057800608491'],
      ['290122A12345644', '290122A12345644'],
      ['2 90 12 2b 123 456 71', '290122B12345671'],
      ['2.69.02.99.350.123-36', '269029935012336'],
    ])('accepts %s', (value, normalised) => {
      expect(isValidSsn(value)).toBe(true);
      expect(requireSsn(value)).toBe(normalised);
    });

    it('computes the key as 97 − (number mod 97), Corsica 2A and 2B counting as 19 and 18', () => {
      expect(ssnKey('1850578006084')).toBe(91);
      expect(ssnKey('290122A123456')).toBe(ssnKey('2901219123456'));
      expect(ssnKey('290122B123456')).toBe(ssnKey('2901218123456'));
    });

    it('refuses a wrong key', () => {
      expect(isValidSsn('185057800608492')).toBe(false);
      expect(refusal(() => requireSsn('185057800608492'))).toMatchObject({ code: 'INVALID_SSN', field: 'socialSecurityNumber', message: expect.stringContaining('sa clé ne correspond pas') });
    });

    it('refuses the Corsican key computed without the substitution', () => {
      expect(isValidSsn('290122A12345645')).toBe(false);
    });

    it.each(['18505780060849', '1850578006084911', '585057800608491', '1850527A0608491', '', 'abc'])('refuses the malformed %p', (value) => {
      expect(refusal(() => requireSsn(value))).toMatchObject({ code: 'INVALID_SSN', message: expect.stringContaining('13 caractères') });
    });

    it('refuses what is not a string', () => expect(isValidSsn(185057800608491)).toBe(false));

    it('points out where a NIR contradicts the identity, without refusing it', () => {
      expect(ssnMismatches('185057800608491', { sex: 'MALE', birthDate: '1985-05-12' })).toEqual([]);
      expect(ssnMismatches('185057800608491', { sex: 'FEMALE', birthDate: '1986-06-12' })).toEqual(['SEX', 'BIRTH_YEAR', 'BIRTH_MONTH']);
      expect(ssnMismatches('269029935012336', { sex: 'OTHER', birthDate: '1969-02-01' })).toEqual([]);
      // Month 20: a pseudo-month of a number given without a known birth month.
      expect(ssnMismatches('185209935012375', { sex: 'MALE', birthDate: '1985-11-30' })).toEqual([]);
    });
  });

  describe('names and birth dates', () => {
    it.each([
      [' Dupont ', 'Dupont'],
      ['Le  Goff', 'Le Goff'],
      ['N’Diaye', 'N’Diaye'],
      ['Jean-Pierre', 'Jean-Pierre'],
      ["O'Brien", "O'Brien"],
      ['Müller-Lüdenscheidt', 'Müller-Lüdenscheidt'],
      ['St. Martin', 'St. Martin'],
    ])('accepts the name %p', (value, name) => expect(requirePersonName(value, 'lastName', 'Le nom de famille')).toBe(name));

    it.each(['Dupont2', '-Dupont', 'Dupont--Martin', 'Dupont!', '<b>'])('refuses the name %p', (value) => {
      expect(refusal(() => requirePersonName(value, 'lastName', 'Le nom de famille'))).toMatchObject({ code: 'INVALID_NAME', field: 'lastName' });
    });

    it('requires a name of at most 100 characters', () => {
      expect(refusal(() => requirePersonName(' ', 'firstName', 'Le prénom'))).toMatchObject({ code: 'NAME_REQUIRED', message: 'Le prénom est obligatoire.' });
      expect(refusal(() => requirePersonName('a'.repeat(101), 'firstName', 'Le prénom'))).toMatchObject({ code: 'NAME_TOO_LONG' });
    });

    it('accepts a birth date up to today and up to 130 years back', () => {
      expect(requireBirthDate('2024-05-02', '2024-05-02')).toBe('2024-05-02');
      expect(requireBirthDate('1894-05-02', '2024-05-02')).toBe('1894-05-02');
    });

    it('refuses a birth date in the future or more than 130 years back', () => {
      expect(refusal(() => requireBirthDate('2024-05-03', '2024-05-02'))).toMatchObject({ code: 'INVALID_BIRTH_DATE', message: expect.stringContaining('futur') });
      expect(refusal(() => requireBirthDate('1894-05-01', '2024-05-02'))).toMatchObject({ code: 'INVALID_BIRTH_DATE', message: expect.stringContaining('130 ans') });
      expect(refusal(() => requireBirthDate('1990-13-01', '2024-05-02'))).toMatchObject({ code: 'INVALID_DATE' });
    });

    it('validates the whole clear identity before encryption, dropping blank optional fields', () => {
      const identity = { lastName: ' Martin ', firstName: 'Léa', birthDate: '1990-06-15', sex: 'FEMALE', contact: ' ', socialSecurityNumber: '' };
      expect(requireClearIdentity(identity, '2024-05-02')).toEqual({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-06-15', sex: 'FEMALE' });
    });

    it('keeps the contact and the social security number when given', () => {
      const identity = { lastName: 'Martin', firstName: 'Léa', birthDate: '1985-05-12', sex: 'FEMALE', contact: ' 06 00 00 00 00 ', socialSecurityNumber: '1 85 05 78 006 084 91' };
      expect(requireClearIdentity(identity, '2024-05-02')).toEqual({ ...identity, contact: '06 00 00 00 00', socialSecurityNumber: '185057800608491' });
    });

    it.each([
      ['a missing last name', { lastName: '' }, 'NAME_REQUIRED', 'lastName'],
      ['a first name with digits', { firstName: 'L3a' }, 'INVALID_NAME', 'firstName'],
      ['a future birth date', { birthDate: '2030-01-01' }, 'INVALID_BIRTH_DATE', 'birthDate'],
      ['an unknown sex', { sex: 'F' }, 'INVALID_CODE', 'sex'],
      ['an invalid social security number', { socialSecurityNumber: '185057800608492' }, 'INVALID_SSN', 'socialSecurityNumber'],
      ['a contact that is too long', { contact: 'x'.repeat(501) }, 'TEXT_TOO_LONG', 'contact'],
    ])('refuses an identity with %s', (_case, change, code, field) => {
      const identity = { lastName: 'Martin', firstName: 'Léa', birthDate: '1990-06-15', sex: 'FEMALE', ...change };
      expect(refusal(() => requireClearIdentity(identity, '2024-05-02'))).toMatchObject({ code, field });
    });

    it('refuses a missing identity', () => expect(refusal(() => requireClearIdentity(undefined, '2024-05-02'))).toMatchObject({ code: 'NAME_REQUIRED' }));
  });

  describe('age bands', () => {
    it.each([
      ['2006-05-03', 'UNDER_18'],
      ['2006-05-02', 'AGE_18_24'],
      ['1999-05-03', 'AGE_18_24'],
      ['1999-05-02', 'AGE_25_34'],
      ['1989-05-02', 'AGE_35_44'],
      ['1979-05-02', 'AGE_45_54'],
      ['1969-05-02', 'AGE_55_64'],
      ['1959-05-03', 'AGE_55_64'],
      ['1959-05-02', 'AGE_65_PLUS'],
      ['1920-01-01', 'AGE_65_PLUS'],
    ])('puts a patient born on %s in %s on 2024-05-02', (birthDate, band) => {
      expect(ageBand(birthDate, '2024-05-02')).toBe(band);
    });

    it('counts the age reached during the year from a birth year alone', () => {
      expect(ageAt(2006, '2024-01-01')).toBe(18);
      expect(ageBand(2006, '2024-01-01')).toBe('AGE_18_24');
      expect(ageBand(2007, '2024-12-31')).toBe('UNDER_18');
      expect(ageBand(1959, '2024-05-02')).toBe('AGE_65_PLUS');
    });

    it('counts from the full birth date where the birth year alone is a year too old', () => {
      expect(ageBand('1970-10-17', '2025-09-20')).toBe('AGE_45_54');
      expect(ageBand(1970, '2025-09-20')).toBe('AGE_55_64');
    });

    it('counts a birthday not yet reached in the year', () => {
      expect(ageAt('1990-06-15', '2024-06-14')).toBe(33);
      expect(ageAt('1990-06-15', '2024-06-15')).toBe(34);
    });

    it('lists the seven bands in order', () => expect(AGE_BANDS).toEqual(['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS']));

    it('refuses a birth after the (inclusion) date, a fractional year or an invalid date', () => {
      expect(refusal(() => ageBand(2025, '2024-05-02'))).toMatchObject({ code: 'INCLUSION_BEFORE_BIRTH' });
      expect(refusal(() => ageBand('2024-05-03', '2024-05-02'))).toMatchObject({ code: 'INCLUSION_BEFORE_BIRTH' });
      expect(refusal(() => ageBand(1990.5, '2024-05-02'))).toMatchObject({ code: 'INVALID_BIRTH_YEAR' });
      expect(refusal(() => ageBand(1990, '2024-02-30'))).toMatchObject({ code: 'INVALID_DATE' });
    });
  });

  describe('inclusion values', () => {
    it('returns reasons in the catalogue order', () => expect(requireInclusionReasons(['PRECARITY', 'ADDICTION'])).toEqual(['ADDICTION', 'PRECARITY']));

    it('requires at least one reason, each known, none twice', () => {
      expect(refusal(() => requireInclusionReasons([]))).toMatchObject({ code: 'REASONS_REQUIRED', message: 'Au moins un motif d’inclusion doit être indiqué.' });
      expect(refusal(() => requireInclusionReasons(undefined))).toMatchObject({ code: 'REASONS_REQUIRED' });
      expect(refusal(() => requireInclusionReasons(['ADDICTION', 'DEPRESSION']))).toMatchObject({ code: 'INVALID_CODE', field: 'reasons[1]' });
      expect(refusal(() => requireInclusionReasons(['ADDICTION', 'ADDICTION']))).toMatchObject({ code: 'DUPLICATE_VALUE' });
    });

    it('requires consent to sharing within the team, given by the inclusion date', () => {
      expect(requireConsent({ givenOn: '2024-05-02', teamSharing: true }, '2024-05-02')).toEqual({ givenOn: '2024-05-02', teamSharing: true, partnerSharing: [] });
      expect(refusal(() => requireConsent({ givenOn: '2024-05-02', teamSharing: false }, '2024-05-02'))).toMatchObject({ code: 'CONSENT_REQUIRED', field: 'consent.teamSharing' });
      expect(refusal(() => requireConsent(undefined, '2024-05-02'))).toMatchObject({ code: 'CONSENT_REQUIRED' });
      expect(refusal(() => requireConsent({ givenOn: '2024-05-03', teamSharing: true }, '2024-05-02'))).toMatchObject({ code: 'CONSENT_AFTER_INCLUSION' });
    });

    it('validates the initial situation, substances possibly none', () => {
      const situation = { housing: 'HOMELESS', income: 'BENEFITS', healthCoverage: 'AME', mainSubstances: [], daysOfUseLast30: 0 };
      expect(requireInitialSituation(situation)).toEqual(situation);
      expect(requireInitialSituation({ ...situation, mainSubstances: undefined })).toEqual(situation);
      expect(refusal(() => requireInitialSituation({ ...situation, daysOfUseLast30: 31 }))).toMatchObject({ code: 'INVALID_DAYS_OF_USE', field: 'initialSituation.daysOfUseLast30' });
      expect(refusal(() => requireInitialSituation({ ...situation, daysOfUseLast30: 2.5 }))).toMatchObject({ code: 'INVALID_DAYS_OF_USE' });
      expect(refusal(() => requireInitialSituation({ ...situation, mainSubstances: ['ALCOHOL', 'ALCOHOL'] }))).toMatchObject({ code: 'DUPLICATE_VALUE' });
    });

    it('trims care-plan items and bounds their number and length', () => {
      expect(requireCarePlanItems([' Réduire la consommation '], 'goals')).toEqual(['Réduire la consommation']);
      expect(requireCarePlanItems(undefined, 'nextSteps')).toEqual([]);
      expect(refusal(() => requireCarePlanItems([], 'goals'))).toMatchObject({ code: 'CARE_PLAN_GOALS_REQUIRED' });
      expect(refusal(() => requireCarePlanItems(Array(21).fill('x'), 'nextSteps'))).toMatchObject({ code: 'TOO_MANY_ITEMS', field: 'nextSteps' });
      expect(refusal(() => requireCarePlanItems(['x'.repeat(501)], 'goals'))).toMatchObject({ code: 'TEXT_TOO_LONG', field: 'goals[0]' });
      expect(refusal(() => requireCarePlanItems(['ok', ' '], 'goals'))).toMatchObject({ code: 'TEXT_REQUIRED', field: 'goals[1]' });
      expect(refusal(() => requireCarePlanItems('x', 'goals'))).toMatchObject({ code: 'INVALID_LIST' });
    });
  });

  describe('session values', () => {
    it('maps each profession to the only kind of session it records', () => {
      expect(SESSION_KIND_BY_PROFESSION).toEqual({
        GENERAL_PRACTITIONER: 'GP_CONSULTATION',
        PSYCHOLOGIST: 'PSYCHOLOGIST_SESSION',
        SOCIAL_WORKER: 'SOCIAL_WORK_INTERVIEW',
        PSYCHIATRIST: 'PSYCHIATRIST_SESSION',
      });
    });

    it('turns absent outcomes into empty lists', () => expect(requireSessionOutcomes(undefined)).toEqual({ screenings: [], rights: [], referrals: [] }));

    it('keeps screenings, rights and referrals', () => {
      const outcomes = {
        screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }, { disease: 'HIV', status: 'PROPOSED' }],
        rights: [{ right: 'CSS', status: 'APPLIED' }],
        referrals: [{ partnerId: 'csapa-1', partnerType: 'CSAPA' }],
      };
      expect(requireSessionOutcomes(outcomes)).toEqual(outcomes);
    });

    it('keeps an HCV treatment started at the session (and adds no list when none was)', () => {
      const outcomes = { screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }], rights: [], referrals: [], treatments: [{ disease: 'HCV', status: 'STARTED' }] };
      expect(requireSessionOutcomes(outcomes)).toEqual(outcomes);
      expect(requireSessionOutcomes({ treatments: [] })).toEqual({ screenings: [], rights: [], referrals: [] });
    });

    it.each([
      ['an unknown disease', { screenings: [{ disease: 'HPV', status: 'DONE' }] }, 'INVALID_CODE', 'outcomes.screenings[0].disease'],
      ['an unknown screening status', { screenings: [{ disease: 'HIV', status: 'REFUSED' }] }, 'INVALID_CODE', 'outcomes.screenings[0].status'],
      ['an unknown result', { screenings: [{ disease: 'HIV', status: 'DONE', result: 'MAYBE' }] }, 'INVALID_CODE', 'outcomes.screenings[0].result'],
      ['a result of a screening only proposed', { screenings: [{ disease: 'HIV', status: 'PROPOSED', result: 'NEGATIVE' }] }, 'INVALID_SCREENING', 'outcomes.screenings[0].result'],
      ['an RNA result outside hepatitis C', { screenings: [{ disease: 'HBV', status: 'DONE', result: 'RNA_POSITIVE' }] }, 'INVALID_SCREENING', 'outcomes.screenings[0].result'],
      ['one disease screened twice', { screenings: [{ disease: 'HIV', status: 'DONE' }, { disease: 'HIV', status: 'PROPOSED' }] }, 'DUPLICATE_VALUE', 'outcomes.screenings'],
      ['an unknown right', { rights: [{ right: 'RSA', status: 'APPLIED' }] }, 'INVALID_CODE', 'outcomes.rights[0].right'],
      ['an unknown right status', { rights: [{ right: 'AME', status: 'REFUSED' }] }, 'INVALID_CODE', 'outcomes.rights[0].status'],
      ['one right twice', { rights: [{ right: 'AME', status: 'APPLIED' }, { right: 'AME', status: 'GRANTED' }] }, 'DUPLICATE_VALUE', 'outcomes.rights'],
      ['a referral without partner', { referrals: [{ partnerId: '', partnerType: 'CMP' }] }, 'ID_REQUIRED', 'outcomes.referrals[0].partnerId'],
      ['an unknown partner type', { referrals: [{ partnerId: 'p-1', partnerType: 'GYM' }] }, 'INVALID_CODE', 'outcomes.referrals[0].partnerType'],
      ['one partner twice', { referrals: [{ partnerId: 'p-1', partnerType: 'CMP' }, { partnerId: 'p-1', partnerType: 'CMP' }] }, 'DUPLICATE_VALUE', 'outcomes.referrals'],
      ['screenings that are not a list', { screenings: 'HIV' }, 'INVALID_LIST', 'outcomes.screenings'],
      ['an untreatable disease', { treatments: [{ disease: 'HIV', status: 'STARTED' }] }, 'INVALID_CODE', 'outcomes.treatments[0].disease'],
      ['one treatment twice', { treatments: [{ disease: 'HCV', status: 'STARTED' }, { disease: 'HCV', status: 'STARTED' }] }, 'DUPLICATE_VALUE', 'outcomes.treatments'],
    ])('refuses %s', (_case, outcomes, code, field) => {
      expect(refusal(() => requireSessionOutcomes(outcomes))).toMatchObject({ code, field });
    });
  });

  describe('assessment timepoints', () => {
    it('accepts the default timepoints and configured ones', () => {
      expect(requireTimepoint('M6')).toEqual({ code: 'M6', monthsAfterInclusion: 6 });
      expect(requireTimepoint('M24', [{ code: 'M24', monthsAfterInclusion: 24 }])).toEqual({ code: 'M24', monthsAfterInclusion: 24 });
    });

    it('refuses an unknown timepoint', () => {
      expect(refusal(() => requireTimepoint('M3'))).toMatchObject({ code: 'INVALID_CODE', field: 'timepoint', message: expect.stringContaining('INCLUSION, M6, M12') });
    });
  });
});

import { DomainError, ValidationError } from '@cnrms/decider';
import {
  departmentsForPostalCode,
  isDepartmentCode,
  isIsoDate,
  isIsoTimestamp,
  isPostalCodeInDepartment,
  isValidRpps,
  NAME_MAX_LENGTH,
  optionalEmail,
  optionalText,
  requireAdeli,
  requireAddress,
  requireCoordinatorRole,
  requireDate,
  requireDepartment,
  requireDepartments,
  requireEmail,
  requireId,
  requireMemberRole,
  requireMicrostructureKind,
  requireName,
  requirePartnerType,
  requirePostalCode,
  requirePracticeSite,
  requirePracticeSiteType,
  requireProfession,
  requireReason,
  requireRegion,
  requireRpps,
  requireTimestamp,
} from './values';

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

describe('Directory values', () => {
  describe('names', () => {
    it('trims the name', () => expect(requireName('  Microstructure du Neudorf ')).toBe('Microstructure du Neudorf'));

    it('accepts a name of the maximum length', () => expect(requireName('a'.repeat(NAME_MAX_LENGTH))).toHaveLength(NAME_MAX_LENGTH));

    it.each([[''], ['   '], [undefined], [null], [42]])('refuses %p as empty', (value) => {
      const error = refusal(() => requireName(value, 'firstName', 'Le prénom'));
      expect(error).toMatchObject({ code: 'NAME_REQUIRED', kind: 'BAD_USER_INPUT', field: 'firstName', message: 'Le prénom est obligatoire.' });
    });

    it('refuses a name that is too long', () => {
      const error = refusal(() => requireName('a'.repeat(NAME_MAX_LENGTH + 1)));
      expect(error).toMatchObject({ code: 'NAME_TOO_LONG', message: 'Le nom ne doit pas dépasser 200 caractères.' });
    });
  });

  describe('region, reason and free texts', () => {
    it('requires the region name', () => {
      expect(requireRegion(' Grand Est ')).toBe('Grand Est');
      expect(refusal(() => requireRegion(' '))).toMatchObject({ code: 'REGION_REQUIRED', field: 'region' });
    });

    it('requires a reason', () => {
      expect(requireReason('Départ du médecin')).toBe('Départ du médecin');
      expect(refusal(() => requireReason(''))).toMatchObject({ code: 'REASON_REQUIRED', message: 'Le motif est obligatoire.' });
      expect(refusal(() => requireReason('x'.repeat(1001)))).toMatchObject({ code: 'TEXT_TOO_LONG' });
    });

    it('turns an absent or blank optional text into undefined', () => {
      expect(optionalText(undefined, 'contact', 'Le contact')).toBeUndefined();
      expect(optionalText('  ', 'contact', 'Le contact')).toBeUndefined();
      expect(optionalText(' 03 88 00 00 00 ', 'contact', 'Le contact')).toBe('03 88 00 00 00');
      expect(refusal(() => optionalText('x'.repeat(1001), 'contact', 'Le contact'))).toMatchObject({ code: 'TEXT_TOO_LONG', field: 'contact' });
    });
  });

  describe('ids', () => {
    it('accepts a non-empty id', () => expect(requireId(' ms-1 ', 'microstructureId')).toBe('ms-1'));

    it('refuses an empty id', () => {
      expect(refusal(() => requireId('', 'professionalId', 'L’identifiant du professionnel'))).toMatchObject({
        code: 'ID_REQUIRED',
        field: 'professionalId',
        message: 'L’identifiant du professionnel est obligatoire.',
      });
    });
  });

  describe('departments', () => {
    it.each(['01', '09', '19', '21', '67', '95', '2A', '2B', '971', '972', '973', '974', '976'])('accepts %s', (code) => {
      expect(isDepartmentCode(code)).toBe(true);
      expect(requireDepartment(code)).toBe(code);
    });

    it.each(['00', '20', '96', '970', '977', '1', '2C', '100', '', 'AB'])('refuses %p', (code) => {
      expect(refusal(() => requireDepartment(code))).toMatchObject({ code: 'INVALID_DEPARTMENT', field: 'department' });
    });

    it('upper-cases Corsica’s codes', () => expect(requireDepartment(' 2a ')).toBe('2A'));

    it('explains the valid codes', () => {
      expect(refusal(() => requireDepartment('20')).message).toBe(
        '« 20 » n’est pas un code de département valide (01 à 95, 2A ou 2B pour la Corse, 971 à 976 pour l’outre-mer).',
      );
    });

    it('returns a list of departments sorted', () => expect(requireDepartments(['68', '67', '2b'])).toEqual(['2B', '67', '68']));

    it('requires at least one department', () => {
      expect(refusal(() => requireDepartments([]))).toMatchObject({ code: 'DEPARTMENTS_REQUIRED', field: 'departments' });
      expect(refusal(() => requireDepartments(undefined))).toMatchObject({ code: 'DEPARTMENTS_REQUIRED' });
    });

    it('refuses a department given twice', () => {
      expect(refusal(() => requireDepartments(['67', '68', '67']))).toMatchObject({ code: 'DUPLICATE_DEPARTMENT', message: 'Le département 67 est indiqué plusieurs fois.' });
    });

    it('refuses an invalid department in the list', () => expect(refusal(() => requireDepartments(['67', '20']))).toMatchObject({ code: 'INVALID_DEPARTMENT' }));
  });

  describe('addresses and postal codes', () => {
    it('accepts five digits', () => expect(requirePostalCode(' 67000 ')).toBe('67000'));

    it.each(['6700', '670000', '67 000', 'ABCDE', ''])('refuses the postal code %p', (code) => {
      expect(refusal(() => requirePostalCode(code))).toMatchObject({ code: 'INVALID_POSTAL_CODE', message: 'Le code postal doit comporter 5 chiffres.' });
    });

    it('requires street and city', () => {
      expect(requireAddress({ street: ' 1 rue du Jeu des Enfants ', postalCode: '67000', city: ' Strasbourg ' })).toEqual({
        street: '1 rue du Jeu des Enfants',
        postalCode: '67000',
        city: 'Strasbourg',
      });
      expect(refusal(() => requireAddress({ street: '', postalCode: '67000', city: 'Strasbourg' }))).toMatchObject({ code: 'ADDRESS_REQUIRED', field: 'address.street' });
      expect(refusal(() => requireAddress({ street: '1 rue', postalCode: '67000', city: ' ' }))).toMatchObject({ code: 'ADDRESS_REQUIRED', field: 'address.city' });
      expect(refusal(() => requireAddress(undefined))).toMatchObject({ code: 'ADDRESS_REQUIRED' });
    });

    it('tells the departments a postal code may belong to', () => {
      expect(departmentsForPostalCode('67000')).toEqual(['67']);
      expect(departmentsForPostalCode('20000')).toEqual(['2A', '2B']);
      expect(departmentsForPostalCode('97400')).toEqual(['974']);
      expect(departmentsForPostalCode('nope')).toEqual([]);
      expect(isPostalCodeInDepartment('20200', '2B')).toBe(true);
      expect(isPostalCodeInDepartment('67000', '68')).toBe(false);
    });
  });

  describe('practice sites', () => {
    const site = { name: ' Cabinet médical ', type: 'MSP', address: { street: '1 rue', postalCode: '67000', city: 'Strasbourg' } };

    it('validates name, type and address', () => {
      expect(requirePracticeSite(site)).toEqual({ ...site, name: 'Cabinet médical' });
    });

    it('refuses an unknown type', () => {
      expect(refusal(() => requirePracticeSite({ ...site, type: 'HOSPITAL' }))).toMatchObject({ code: 'INVALID_PRACTICE_SITE_TYPE', field: 'practiceSite.type' });
    });

    it('requires the site name', () => {
      expect(refusal(() => requirePracticeSite({ ...site, name: '' }))).toMatchObject({ code: 'NAME_REQUIRED', field: 'practiceSite.name' });
    });
  });

  describe('RPPS numbers', () => {
    it.each(['10003456786', '10101010105', '10000000009'])('accepts %s (11 digits, valid Luhn key)', (rpps) => {
      expect(isValidRpps(rpps)).toBe(true);
      expect(requireRpps(rpps)).toBe(rpps);
    });

    it('ignores spaces', () => expect(requireRpps('100 034 567 86')).toBe('10003456786'));

    it.each(['1000345678', '100034567860', '1000345678A', '', undefined])('refuses %p, which is not 11 digits', (rpps) => {
      expect(refusal(() => requireRpps(rpps))).toMatchObject({ code: 'INVALID_RPPS', field: 'rpps', message: 'Le numéro RPPS doit comporter 11 chiffres.' });
    });

    it('refuses a wrong key', () => {
      expect(isValidRpps('10003456787')).toBe(false);
      expect(refusal(() => requireRpps('10003456787'))).toMatchObject({ code: 'INVALID_RPPS', message: expect.stringContaining('clé de contrôle') });
    });
  });

  describe('ADELI numbers', () => {
    it.each([['671234567', '671234567'], ['2A1234567', '2A1234567'], ['2b1234567', '2B1234567'], ['97 1234567', '971234567']])('accepts %p', (adeli, expected) => {
      expect(requireAdeli(adeli)).toBe(expected);
    });

    it.each(['67123456', '6712345678', '2C1234567', 'AB1234567', '67123456X', ''])('refuses %p', (adeli) => {
      expect(refusal(() => requireAdeli(adeli))).toMatchObject({ code: 'INVALID_ADELI', field: 'adeli' });
    });
  });

  describe('e-mail addresses', () => {
    it('accepts an address', () => expect(requireEmail(' a.martin@example.fr ')).toBe('a.martin@example.fr'));

    it.each(['a.martin', 'a@b', 'a b@example.fr', ''])('refuses %p', (email) => {
      expect(refusal(() => requireEmail(email))).toMatchObject({ code: 'INVALID_EMAIL' });
    });

    it('leaves an absent optional address out', () => expect(optionalEmail('')).toBeUndefined());
  });

  describe('dates', () => {
    it.each(['2024-02-29', '2023-12-31', '2000-01-01'])('accepts %s', (date) => {
      expect(isIsoDate(date)).toBe(true);
      expect(requireDate(date, 'startedOn')).toBe(date);
    });

    it.each(['2023-02-29', '2023-13-01', '2023-04-31', '2023-00-10', '2023-1-5', '05/01/2023', '2023-01-05T00:00:00Z', ''])('refuses %p', (date) => {
      expect(refusal(() => requireDate(date, 'startedOn'))).toMatchObject({ code: 'INVALID_DATE', field: 'startedOn' });
    });

    it('shows what it received', () => {
      expect(refusal(() => requireDate('2023-02-30', 'openedOn')).message).toBe('La date doit être une date réelle au format AAAA-MM-JJ (reçu : « 2023-02-30 »).');
    });

    it.each(['2024-01-31T09:00:00Z', '2024-01-31T09:00Z', '2024-01-31T09:00:00.123Z', '2024-01-31T09:00:00+01:00'])('accepts the instant %s', (instant) => {
      expect(isIsoTimestamp(instant)).toBe(true);
      expect(requireTimestamp(instant, 'createdAt')).toBe(instant);
    });

    it.each(['2024-01-31', '2024-02-30T09:00:00Z', '2024-01-31T24:00:00Z', '2024-01-31T09:00:00', 'yesterday'])('refuses the instant %p', (instant) => {
      expect(refusal(() => requireTimestamp(instant, 'createdAt'))).toMatchObject({ code: 'INVALID_DATE', field: 'createdAt' });
    });
  });

  describe('enumerations', () => {
    it.each([
      ['profession', requireProfession, 'PSYCHOLOGIST', 'NURSE', 'INVALID_PROFESSION'],
      ['practice site type', requirePracticeSiteType, 'HEALTH_CENTRE', 'CLINIC', 'INVALID_PRACTICE_SITE_TYPE'],
      ['partner type', requirePartnerType, 'CSAPA', 'SCHOOL', 'INVALID_PARTNER_TYPE'],
      ['coordinator role', requireCoordinatorRole, 'MEDICAL', 'FINANCIAL', 'INVALID_COORDINATOR_ROLE'],
      ['member role', requireMemberRole, 'COORDINATING_GP', 'HEAD', 'INVALID_MEMBER_ROLE'],
      ['microstructure kind', requireMicrostructureKind, 'MENTAL_HEALTH', 'PAEDIATRICS', 'INVALID_MICROSTRUCTURE_KIND'],
    ] as const)('%s: accepts a known value and refuses an unknown one', (_name, check, known, unknown, code) => {
      expect(check(known)).toBe(known);
      expect(refusal(() => check(unknown))).toMatchObject({ code });
    });

    it('lists the possible values', () => {
      expect(refusal(() => requireProfession('NURSE')).message).toBe(
        'Valeur non reconnue pour la profession : « NURSE ». Valeurs possibles : GENERAL_PRACTITIONER, PSYCHOLOGIST, SOCIAL_WORKER, PSYCHIATRIST, OTHER.',
      );
    });

    it('is a domain error the GraphQL layer can map', () => expect(refusal(() => requireProfession(undefined))).toBeInstanceOf(DomainError));
  });
});

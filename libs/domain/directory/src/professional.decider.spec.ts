import { fold } from '@cnrms/decider';
import { given } from '@cnrms/decider/testing';
import { ChangeProfessionalIdentity, ProfessionalRegistered, professionalDecider, RegisterProfessional } from './professional.decider';

const professionalId = 'pro-42';
const register = (data: Partial<RegisterProfessional['data']> = {}): RegisterProfessional => ({
  type: 'RegisterProfessional',
  data: { professionalId, lastName: 'Weber', firstName: 'Anne', profession: 'GENERAL_PRACTITIONER', rpps: '10003456786', registeredAt: '2024-01-10T09:00:00Z', ...data },
});
const registered: ProfessionalRegistered = {
  type: 'ProfessionalRegistered',
  data: { professionalId, lastName: 'Weber', firstName: 'Anne', profession: 'GENERAL_PRACTITIONER', rpps: '10003456786', registeredAt: '2024-01-10T09:00:00Z' },
};
const changeIdentity = (data: Partial<ChangeProfessionalIdentity['data']> = {}): ChangeProfessionalIdentity => ({
  type: 'ChangeProfessionalIdentity',
  data: { professionalId, lastName: 'Weber-Klein', firstName: 'Anne', ...data },
});

describe('Professional', () => {
  describe('RegisterProfessional', () => {
    it('registers a GP with an RPPS number', () => {
      given(professionalDecider, []).when(register()).then([registered]);
    });

    it('registers a social worker with an ADELI number and an e-mail, normalised', () => {
      given(professionalDecider, [])
        .when(register({ lastName: ' Martin ', firstName: ' Léa ', profession: 'SOCIAL_WORKER', rpps: undefined, adeli: '2a 1234567', email: ' l.martin@example.fr ' }))
        .then([
          {
            type: 'ProfessionalRegistered',
            data: { professionalId, lastName: 'Martin', firstName: 'Léa', profession: 'SOCIAL_WORKER', adeli: '2A1234567', email: 'l.martin@example.fr', registeredAt: '2024-01-10T09:00:00Z' },
          },
        ]);
    });

    it('does not over-block: a GP without an RPPS number yet is registered', () => {
      given(professionalDecider, [])
        .when(register({ rpps: '' }))
        .then([{ type: 'ProfessionalRegistered', data: { professionalId, lastName: 'Weber', firstName: 'Anne', profession: 'GENERAL_PRACTITIONER', registeredAt: '2024-01-10T09:00:00Z' } }]);
    });

    describe('when the professional is already registered', () => {
      it('refuses a second registration', () => {
        given(professionalDecider, [registered]).when(register()).thenThrows('PROFESSIONAL_ALREADY_REGISTERED', 'déjà enregistré');
      });
    });

    it.each([
      ['an empty id', { professionalId: '' }, 'ID_REQUIRED', 'L’identifiant du professionnel est obligatoire.'],
      ['an empty last name', { lastName: ' ' }, 'NAME_REQUIRED', 'Le nom de famille est obligatoire.'],
      ['an empty first name', { firstName: '' }, 'NAME_REQUIRED', 'Le prénom est obligatoire.'],
      ['a last name too long', { lastName: 'x'.repeat(201) }, 'NAME_TOO_LONG', 'Le nom de famille ne doit pas dépasser 200 caractères.'],
      ['an unknown profession', { profession: 'NURSE' as never }, 'INVALID_PROFESSION', 'la profession'],
      ['an RPPS number of 10 digits', { rpps: '1000345678' }, 'INVALID_RPPS', 'Le numéro RPPS doit comporter 11 chiffres.'],
      ['an RPPS number with a wrong key', { rpps: '10003456787' }, 'INVALID_RPPS', 'clé de contrôle'],
      ['an invalid ADELI number', { adeli: '2C1234567' }, 'INVALID_ADELI', '9 caractères'],
      ['an invalid e-mail', { email: 'anne.weber' }, 'INVALID_EMAIL', 'L’adresse électronique n’est pas valide.'],
      ['an invalid registration date', { registeredAt: '2024-01-10' }, 'INVALID_DATE', 'ISO 8601'],
    ])('refuses %s', (_case, data, code, message) => {
      given(professionalDecider, []).when(register(data)).thenThrows(code, message);
    });
  });

  describe('ChangeProfessionalIdentity', () => {
    it('records the new name', () => {
      given(professionalDecider, [registered])
        .when(changeIdentity())
        .then([{ type: 'ProfessionalIdentityChanged', data: { professionalId, lastName: 'Weber-Klein', firstName: 'Anne' } }]);
    });

    it('records a new e-mail', () => {
      given(professionalDecider, [registered])
        .when(changeIdentity({ lastName: 'Weber', email: 'a.weber@example.fr' }))
        .then([{ type: 'ProfessionalIdentityChanged', data: { professionalId, lastName: 'Weber', firstName: 'Anne', email: 'a.weber@example.fr' } }]);
    });

    it('records nothing when nothing changes', () => {
      given(professionalDecider, [registered]).when(changeIdentity({ lastName: ' Weber ' })).then([]);
    });

    it('refuses an unregistered professional', () => {
      given(professionalDecider, []).when(changeIdentity()).thenThrows('PROFESSIONAL_NOT_FOUND', 'n’est pas enregistré');
    });

    it('refuses an empty name', () => {
      given(professionalDecider, [registered]).when(changeIdentity({ firstName: '' })).thenThrows('NAME_REQUIRED');
    });
  });

  describe('state', () => {
    it('keeps identifiers and follows identity changes, e-mail removal included', () => {
      const state = fold(professionalDecider, [
        { ...registered, data: { ...registered.data, email: 'a.weber@example.fr' } },
        { type: 'ProfessionalIdentityChanged', data: { professionalId, lastName: 'Weber-Klein', firstName: 'Anne' } },
      ]);
      expect(state).toEqual({ status: 'REGISTERED', ...registered.data, lastName: 'Weber-Klein' });
    });
  });
});

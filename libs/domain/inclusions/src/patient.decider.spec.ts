import { fold } from '@cnrms/decider';
import { given } from '@cnrms/decider/testing';
import { EraseIdentity, IdentityErased, patientDecider, PatientRegistered, RegisterPatient } from './patient.decider';

const identityCiphertext = 'v1:aes-256-gcm:3q2+7w==:Zm9vYmFy';
const register = (data: Partial<RegisterPatient['data']> = {}): RegisterPatient => ({
  type: 'RegisterPatient',
  data: { patientId: 'pat-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace', identityCiphertext, sex: 'FEMALE', birthYear: 1990, registeredAt: '2024-05-02T10:00:00+02:00', ...data },
});
const registered: PatientRegistered = {
  type: 'PatientRegistered',
  data: { patientId: 'pat-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace', identityCiphertext, sex: 'FEMALE', birthYear: 1990, registeredAt: '2024-05-02T10:00:00+02:00' },
};
const erase = (data: Partial<EraseIdentity['data']> = {}): EraseIdentity => ({
  type: 'EraseIdentity',
  data: { patientId: 'pat-1', erasedAt: '2025-01-15T14:00:00Z', requestedBy: 'gp-1', ...data },
});
const erased: IdentityErased = {
  type: 'IdentityErased',
  data: { patientId: 'pat-1', erasedAt: '2025-01-15T14:00:00Z', requestedBy: 'gp-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace' },
};

describe('Patient', () => {
  describe('RegisterPatient', () => {
    it('registers the pseudonymous patient with the encrypted identity, sex and birth year', () => {
      given(patientDecider, []).when(register()).then([registered]);
      expect(fold(patientDecider, [registered])).toMatchObject({ status: 'REGISTERED', identityCiphertext });
    });

    it('keeps the ciphertext exactly as given', () => {
      const [event] = given(patientDecider, []).when(register({ identityCiphertext: ' padded== ' })).events();
      expect(event).toMatchObject({ data: { identityCiphertext: ' padded== ' } });
    });

    it('accepts a sex left unknown and a patient born in the year of registration', () => {
      const [event] = given(patientDecider, []).when(register({ sex: 'UNKNOWN', birthYear: 2024 })).events();
      expect(event).toMatchObject({ data: { sex: 'UNKNOWN', birthYear: 2024 } });
    });

    describe('when the patient is already registered', () => {
      it('refuses to register them again', () => {
        given(patientDecider, [registered]).when(register()).thenThrows('PATIENT_ALREADY_REGISTERED', 'Ce patient est déjà enregistré.');
      });

      it('refuses it after erasure too', () => {
        given(patientDecider, [registered, erased]).when(register()).thenThrows('PATIENT_ALREADY_REGISTERED');
      });
    });

    it.each([
      ['an empty patient id', { patientId: '' }, 'ID_REQUIRED'],
      ['an empty microstructure id', { microstructureId: ' ' }, 'ID_REQUIRED'],
      ['an empty network id', { networkId: '' }, 'ID_REQUIRED'],
      ['a missing encrypted identity', { identityCiphertext: '  ' }, 'IDENTITY_REQUIRED'],
      ['an encrypted identity that is not text', { identityCiphertext: 42 as never }, 'IDENTITY_REQUIRED'],
      ['an unknown sex', { sex: 'F' as never }, 'INVALID_CODE'],
      ['a birth year after the registration', { birthYear: 2025 }, 'INVALID_BIRTH_YEAR'],
      ['a birth year more than 130 years back', { birthYear: 1893 }, 'INVALID_BIRTH_YEAR'],
      ['a fractional birth year', { birthYear: 1990.5 }, 'INVALID_BIRTH_YEAR'],
      ['a birth year given as text', { birthYear: '1990' as never }, 'INVALID_BIRTH_YEAR'],
      ['a registration time without offset', { registeredAt: '2024-05-02T10:00:00' }, 'INVALID_DATE'],
    ])('refuses %s', (_case, data, code) => {
      given(patientDecider, []).when(register(data)).thenThrows(code);
    });
  });

  describe('EraseIdentity', () => {
    it('records the erasure, who asked and when, and where the patient was followed', () => {
      given(patientDecider, [registered]).when(erase()).then([erased]);
    });

    it('still folds an erasure recorded without the microstructure and network', () => {
      const older: IdentityErased = { type: 'IdentityErased', data: { patientId: 'pat-1', erasedAt: '2025-01-15T14:00:00Z', requestedBy: 'gp-1' } };
      expect(fold(patientDecider, [registered, older])).toEqual(fold(patientDecider, [registered, erased]));
    });

    it('forgets the ciphertext but keeps what counts need', () => {
      const state = fold(patientDecider, [registered, erased]);
      expect(state).toEqual({
        status: 'IDENTITY_ERASED',
        patientId: 'pat-1',
        microstructureId: 'ms-neudorf',
        networkId: 'net-alsace',
        sex: 'FEMALE',
        birthYear: 1990,
        registeredAt: '2024-05-02T10:00:00+02:00',
        erasedAt: '2025-01-15T14:00:00Z',
        erasedBy: 'gp-1',
      });
    });

    it('records nothing when the identity is already erased', () => {
      given(patientDecider, [registered, erased]).when(erase({ erasedAt: '2025-02-01T09:00:00Z' })).then([]);
    });

    it('refuses an unknown patient', () => {
      given(patientDecider, []).when(erase()).thenThrows('PATIENT_NOT_FOUND', 'Ce patient n’est pas enregistré.');
    });

    it.each([
      ['without a requester', { requestedBy: '' }, 'ID_REQUIRED'],
      ['with an invalid time', { erasedAt: '15/01/2025' }, 'INVALID_DATE'],
    ])('refuses an erasure %s', (_case, data, code) => {
      given(patientDecider, [registered]).when(erase(data)).thenThrows(code);
    });
  });
});

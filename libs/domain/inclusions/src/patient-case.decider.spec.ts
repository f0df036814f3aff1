import { fold } from '@cnrms/decider';
import { given } from '@cnrms/decider/testing';
import { CloseCase, isReinclusion, OpenCase, PatientCaseClosed, patientCaseDecider, PatientCaseOpened } from './patient-case.decider';

const of = (inclusionId: string) => ({ patientId: 'pat-1', microstructureId: 'ms-neudorf', inclusionId });
const openCase = (inclusionId = 'inc-1', includedOn = '2024-05-02'): OpenCase => ({ type: 'OpenCase', data: { ...of(inclusionId), includedOn } });
const closeCase = (inclusionId = 'inc-1', exitedOn = '2024-12-20'): CloseCase => ({ type: 'CloseCase', data: { ...of(inclusionId), exitedOn } });
const opened = (inclusionId = 'inc-1', includedOn = '2024-05-02', inclusionNumber = 1): PatientCaseOpened => ({
  type: 'PatientCaseOpened',
  data: { ...of(inclusionId), includedOn, reinclusion: inclusionNumber > 1, inclusionNumber },
});
const closed = (inclusionId = 'inc-1', exitedOn = '2024-12-20'): PatientCaseClosed => ({ type: 'PatientCaseClosed', data: { ...of(inclusionId), exitedOn } });

describe('Patient case (one open inclusion per patient per microstructure)', () => {
  describe('OpenCase', () => {
    it('opens the first inclusion, which is not a re-inclusion', () => {
      given(patientCaseDecider, []).when(openCase()).then([opened()]);
      expect(isReinclusion(patientCaseDecider.initialState())).toBe(false);
      expect(isReinclusion(fold(patientCaseDecider, [opened()]))).toBe(false);
    });

    describe('when an inclusion is open', () => {
      it('refuses a second one', () => {
        given(patientCaseDecider, [opened()])
          .when(openCase('inc-2', '2024-06-01'))
          .thenThrows('INCLUSION_ALREADY_OPEN', 'Ce patient a déjà une inclusion en cours dans cette microstructure (depuis le 2024-05-02).');
      });

      it('says it is a conflict and which inclusion is open', () => {
        expect(() => patientCaseDecider.decide(openCase('inc-2'), fold(patientCaseDecider, [opened()]))).toThrow(
          expect.objectContaining({ kind: 'CONFLICT', details: { inclusionId: 'inc-1' } }),
        );
      });

      it('records nothing when the same inclusion is opened again (a retried command)', () => {
        given(patientCaseDecider, [opened()]).when(openCase()).then([]);
      });
    });

    describe('when the previous inclusion is closed', () => {
      const history = [opened(), closed()];

      it('opens a re-inclusion and counts it', () => {
        given(patientCaseDecider, history).when(openCase('inc-2', '2025-03-01')).then([opened('inc-2', '2025-03-01', 2)]);
        expect(isReinclusion(fold(patientCaseDecider, [...history, opened('inc-2', '2025-03-01', 2)]))).toBe(true);
      });

      it('counts the third inclusion as the second re-inclusion', () => {
        given(patientCaseDecider, [...history, opened('inc-2', '2025-03-01', 2), closed('inc-2', '2025-06-01')])
          .when(openCase('inc-3', '2025-09-01'))
          .then([opened('inc-3', '2025-09-01', 3)]);
      });

      it('accepts a re-inclusion on the day of the exit', () => {
        given(patientCaseDecider, history).when(openCase('inc-2', '2024-12-20')).then([opened('inc-2', '2024-12-20', 2)]);
      });

      it('refuses a re-inclusion dated before the exit', () => {
        given(patientCaseDecider, history).when(openCase('inc-2', '2024-12-19')).thenThrows('INCLUSION_BEFORE_PREVIOUS_EXIT', '2024-12-20');
      });
    });

    it.each([
      ['an empty inclusion id', openCase(''), 'ID_REQUIRED'],
      ['an invalid inclusion date', openCase('inc-1', '2024-13-01'), 'INVALID_DATE'],
    ])('refuses %s', (_case, command, code) => {
      given(patientCaseDecider, []).when(command).thenThrows(code);
    });
  });

  describe('CloseCase', () => {
    it('closes the open inclusion', () => {
      given(patientCaseDecider, [opened()]).when(closeCase()).then([closed()]);
    });

    it('records nothing when it is already closed', () => {
      given(patientCaseDecider, [opened(), closed()]).when(closeCase()).then([]);
    });

    it('refuses a patient never included here', () => {
      given(patientCaseDecider, []).when(closeCase()).thenThrows('CASE_NOT_FOUND');
    });

    it('refuses another inclusion than the current one', () => {
      given(patientCaseDecider, [opened()]).when(closeCase('inc-9')).thenThrows('INCLUSION_MISMATCH');
    });

    it('refuses an exit before the inclusion', () => {
      given(patientCaseDecider, [opened()]).when(closeCase('inc-1', '2024-05-01')).thenThrows('EXIT_BEFORE_INCLUSION', '2024-05-02');
    });
  });
});

import { fold } from '@cnrms/decider';
import { assessmentSchedule, followUpFactsOf, suggestLostToFollowUp } from './follow-up';
import { inclusionDecider, InclusionEvent, PatientIncluded } from './inclusion.decider';

const ids = { inclusionId: 'inc-1', patientId: 'pat-1', microstructureId: 'ms-neudorf', networkId: 'net-alsace' };
const included: PatientIncluded = {
  type: 'PatientIncluded',
  data: {
    ...ids,
    includedOn: '2024-01-31',
    reasons: ['ADDICTION'],
    treatingGpId: 'gp-1',
    includedBy: 'gp-1',
    consent: { givenOn: '2024-01-31', teamSharing: true, partnerSharing: [] },
    initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 20 },
    reinclusion: false,
    profile: { sex: 'MALE', ageBand: 'AGE_45_54' },
  },
};
const assessed = (timepoint: string, assessedOn: string): InclusionEvent => ({
  type: 'AssessmentRecorded',
  data: { ...ids, timepoint, assessedOn, daysOfUseLast30: 5, qualityOfLifeScore: 60, housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL', recordedBy: 'gp-1' },
});
const session = (heldOn: string): InclusionEvent => ({
  type: 'FollowUpSessionRecorded',
  data: { ...ids, sessionId: `ses-${heldOn}`, kind: 'GP_CONSULTATION', heldOn, professionalId: 'gp-1', durationMinutes: 20, outcomes: { screenings: [], rights: [], referrals: [] } },
});
const exit = (exitedOn: string): InclusionEvent => ({ type: 'ExitRecorded', data: { ...ids, exitedOn, reason: 'MOVED', recordedBy: 'gp-1' } });
const state = (...events: InclusionEvent[]) => followUpFactsOf(fold(inclusionDecider, [included, ...events]));
const statuses = (schedule: ReturnType<typeof assessmentSchedule>) => Object.fromEntries(schedule.map((s) => [s.timepoint, s.status]));

describe('Follow-up of an inclusion', () => {
  describe('assessmentSchedule', () => {
    it('dates each default timepoint from the inclusion, clamped to the end of the month, with a ±30-day window', () => {
      expect(assessmentSchedule(state(), '2024-02-15')).toEqual([
        { timepoint: 'INCLUSION', dueOn: '2024-01-31', windowStartOn: '2024-01-01', windowEndOn: '2024-03-01', status: 'DUE' },
        { timepoint: 'M6', dueOn: '2024-07-31', windowStartOn: '2024-07-01', windowEndOn: '2024-08-30', status: 'UPCOMING' },
        { timepoint: 'M12', dueOn: '2025-01-31', windowStartOn: '2025-01-01', windowEndOn: '2025-03-02', status: 'UPCOMING' },
      ]);
    });

    it('marks a recorded assessment DONE with its date', () => {
      expect(assessmentSchedule(state(assessed('INCLUSION', '2024-02-10')), '2024-02-15')[0]).toMatchObject({ status: 'DONE', assessedOn: '2024-02-10' });
    });

    it('moves from UPCOMING to DUE on the first day of the window and to OVERDUE the day after it', () => {
      const inclusion = state(assessed('INCLUSION', '2024-01-31'));
      expect(statuses(assessmentSchedule(inclusion, '2024-06-30')).M6).toBe('UPCOMING');
      expect(statuses(assessmentSchedule(inclusion, '2024-07-01')).M6).toBe('DUE');
      expect(statuses(assessmentSchedule(inclusion, '2024-08-30')).M6).toBe('DUE');
      expect(statuses(assessmentSchedule(inclusion, '2024-08-31')).M6).toBe('OVERDUE');
    });

    it('takes configured timepoints and window', () => {
      const schedule = assessmentSchedule(state(), '2026-01-20', [{ code: 'M24', monthsAfterInclusion: 24 }], 15);
      expect(schedule).toEqual([{ timepoint: 'M24', dueOn: '2026-01-31', windowStartOn: '2026-01-16', windowEndOn: '2026-02-15', status: 'DUE' }]);
    });

    describe('when the patient has exited', () => {
      it('keeps a timepoint missed while followed OVERDUE and the later ones NOT_APPLICABLE', () => {
        expect(statuses(assessmentSchedule(state(exit('2024-10-15')), '2025-06-01'))).toEqual({ INCLUSION: 'OVERDUE', M6: 'OVERDUE', M12: 'NOT_APPLICABLE' });
      });

      it('does not ask for an assessment whose window was still open at the exit', () => {
        expect(statuses(assessmentSchedule(state(assessed('INCLUSION', '2024-01-31'), exit('2024-08-01')), '2024-08-02'))).toEqual({
          INCLUSION: 'DONE',
          M6: 'NOT_APPLICABLE',
          M12: 'NOT_APPLICABLE',
        });
      });
    });

    it('has nothing for an inclusion that does not exist', () => expect(assessmentSchedule(followUpFactsOf(inclusionDecider.initialState()), '2024-02-15')).toEqual([]));

    it('refuses an invalid today', () => expect(() => assessmentSchedule(state(), '2024-02-30')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' })));
  });

  describe('suggestLostToFollowUp', () => {
    it('suggests it after 6 months without contact, from the last contact', () => {
      const inclusion = state(session('2024-03-15'), assessed('INCLUSION', '2024-02-01'));
      expect(suggestLostToFollowUp(inclusion, '2024-09-14')).toEqual({ suggested: false, lastContactOn: '2024-03-15' });
      expect(suggestLostToFollowUp(inclusion, '2024-09-15')).toEqual({ suggested: true, lastContactOn: '2024-03-15' });
    });

    it('counts from the inclusion when there is no other contact', () => {
      expect(suggestLostToFollowUp(state(), '2024-07-31')).toEqual({ suggested: true, lastContactOn: '2024-01-31' });
    });

    it('takes another number of months', () => {
      expect(suggestLostToFollowUp(state(), '2024-04-30', 3)).toEqual({ suggested: true, lastContactOn: '2024-01-31' });
      expect(suggestLostToFollowUp(state(), '2024-04-29', 3).suggested).toBe(false);
    });

    it('never suggests it for an exited patient', () => {
      expect(suggestLostToFollowUp(state(exit('2024-02-10')), '2025-01-01')).toEqual({ suggested: false, lastContactOn: '2024-01-31' });
    });

    it('never suggests it for an inclusion that does not exist', () => {
      expect(suggestLostToFollowUp(followUpFactsOf(inclusionDecider.initialState()), '2025-01-01')).toEqual({ suggested: false });
    });

    it('refuses a number of months below 1', () => {
      expect(() => suggestLostToFollowUp(state(), '2025-01-01', 0)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    });
  });
});

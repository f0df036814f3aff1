import * as inclusions from './index';

describe('Inclusions public API', () => {
  describe('stream ids', () => {
    it('names each stream <category>-<id>', () => {
      expect(inclusions.patientStream('pat-1')).toBe('patient-pat-1');
      expect(inclusions.inclusionStream('inc-1')).toBe('inclusion-inc-1');
      expect(inclusions.patientCaseStream('pat-1', 'ms-1')).toBe('patientcase-pat-1_ms-1');
    });

    it('keeps categories free of dashes, so that the store derives them', () => {
      for (const category of Object.values(inclusions.INCLUSIONS_STREAM_CATEGORIES)) expect(category).not.toContain('-');
    });

    it('refuses an empty id', () => {
      expect(() => inclusions.inclusionStream(' ')).toThrow(expect.objectContaining({ code: 'ID_REQUIRED' }));
      expect(() => inclusions.patientCaseStream('pat-1', '')).toThrow(expect.objectContaining({ code: 'ID_REQUIRED' }));
    });

    it('refuses an id with the separator of the patient-case stream', () => {
      expect(() => inclusions.patientCaseStream('pat_1', 'ms-1')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
      expect(() => inclusions.patientCaseStream('pat-1', 'ms_1')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    });
  });

  describe('event types', () => {
    it('lists every event type once', () => {
      expect(new Set(inclusions.INCLUSIONS_EVENT_TYPES).size).toBe(inclusions.INCLUSIONS_EVENT_TYPES.length);
      expect([...inclusions.INCLUSIONS_EVENT_TYPES].sort()).toEqual(
        ['AssessmentRecorded', 'CarePlanRevised', 'ExitRecorded', 'FollowUpSessionRecorded', 'IdentityErased', 'PatientCaseClosed', 'PatientCaseOpened', 'PatientIncluded', 'PatientRegistered'],
      );
    });

    it('tells an inclusions event from another', () => {
      expect(inclusions.isInclusionsEvent({ type: 'PatientIncluded' })).toBe(true);
      expect(inclusions.isInclusionsEvent({ type: 'MicrostructureOpened' })).toBe(false);
      expect(inclusions.isInclusionsEvent({ type: 'hasOwnProperty' })).toBe(false);
    });
  });

  it('exports every decider', () => {
    for (const decider of [inclusions.patientDecider, inclusions.patientCaseDecider, inclusions.inclusionDecider]) {
      expect(decider).toEqual({ initialState: expect.any(Function), decide: expect.any(Function), evolve: expect.any(Function) });
    }
  });

  it('exports the default timepoints at 0, 6 and 12 months', () => {
    expect(inclusions.DEFAULT_TIMEPOINTS).toEqual([
      { code: 'INCLUSION', monthsAfterInclusion: 0 },
      { code: 'M6', monthsAfterInclusion: 6 },
      { code: 'M12', monthsAfterInclusion: 12 },
    ]);
  });
});

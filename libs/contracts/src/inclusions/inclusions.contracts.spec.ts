import { ContractViolation } from '../contract';
import { FOREVER, topicsOf } from '../topics';
import { platformContracts } from '../index';
import { AssessmentRecorded, ExitRecorded, FollowUpSessionRecorded, INCLUSION_TOPIC, inclusionsContracts, PatientErased, PatientIncluded } from './inclusions.contracts';

const placed = { patientId: 'pat-7f3a', microstructureId: 'ms-neudorf', networkId: 'net-alsace' };
const valid = {
  [PatientIncluded.type]: {
    inclusionId: 'inc-1',
    ...placed,
    includedOn: '2024-05-02',
    reasons: ['ADDICTION', 'PRECARITY'],
    reinclusion: false,
    sex: 'FEMALE',
    ageBand: 'AGE_35_44',
    initialSituation: { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 24 },
    teamConsent: true,
    partnerSharingCount: 2,
    treatingGpId: 'pro-gp-1',
  },
  [FollowUpSessionRecorded.type]: {
    sessionId: 'ses-1',
    inclusionId: 'inc-1',
    ...placed,
    kind: 'SOCIAL_WORK_INTERVIEW',
    heldOn: '2024-05-20',
    professionalId: 'pro-sw-1',
    durationMinutes: 45,
    outcomes: {
      screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }, { disease: 'HIV', status: 'PROPOSED' }],
      rights: [{ right: 'CSS', status: 'GRANTED' }],
      referrals: [{ partnerId: 'partner-csapa', partnerType: 'CSAPA' }],
      treatments: [{ disease: 'HCV', status: 'STARTED' }],
    },
  },
  [AssessmentRecorded.type]: {
    inclusionId: 'inc-1',
    ...placed,
    timepoint: 'M6',
    assessedOn: '2024-11-04',
    daysOfUseLast30: 6,
    qualityOfLifeScore: 62,
    housing: 'STABLE',
    employment: 'UNEMPLOYED',
    healthCoverage: 'CSS',
  },
  [ExitRecorded.type]: { inclusionId: 'inc-1', ...placed, exitedOn: '2025-06-30', reason: 'GOALS_REACHED' },
  [PatientErased.type]: { ...placed, erasedOn: '2025-09-01' },
} as Record<string, Record<string, unknown>>;

const contracts = platformContracts();
const publish = (type: string, payload: unknown) => contracts.validateForPublish(type, contracts.get(type)!.version, payload);
const withField = (type: string, path: string[], value: unknown): Record<string, unknown> => {
  const copy = structuredClone(valid[type]);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) target = (Array.isArray(target[key]) ? (target[key] as unknown[])[0] : target[key]) as Record<string, unknown>;
  target[path[path.length - 1]] = value;
  return copy;
};

describe('inclusions contracts', () => {
  it('are registered once each, on the inclusions topic kept for ever', () => {
    expect(inclusionsContracts.map((c) => contracts.get(c.type)?.topic)).toEqual(inclusionsContracts.map(() => INCLUSION_TOPIC));
    expect(inclusionsContracts.map((c) => c.type).sort()).toEqual(Object.keys(valid).sort());
    expect(topicsOf('inclusions')).toEqual([{ name: 'inclusions.inclusion.v1', service: 'inclusions', partitions: 6, retentionMs: FOREVER }]);
  });

  describe('when publishing', () => {
    it.each(Object.keys(valid))('accepts a valid %s as it is', (type) => {
      expect(publish(type, valid[type])).toEqual(valid[type]);
    });

    it('accepts a session without outcomes and a configured timepoint beyond M12', () => {
      expect(() => publish(FollowUpSessionRecorded.type, withField(FollowUpSessionRecorded.type, ['outcomes'], { screenings: [], rights: [], referrals: [], treatments: [] }))).not.toThrow();
      expect(() => publish(AssessmentRecorded.type, withField(AssessmentRecorded.type, ['timepoint'], 'M24'))).not.toThrow();
    });

    it.each(Object.keys(valid))('refuses a %s carrying a lastName, naming the field but not its value', (type) => {
      let violation: unknown;
      try {
        publish(type, { ...valid[type], lastName: 'Zébulon-Quenardel' });
      } catch (error) {
        violation = error;
      }
      expect(violation).toBeInstanceOf(ContractViolation);
      expect((violation as ContractViolation).message).toMatch(/lastName/);
      expect((violation as ContractViolation).message).not.toMatch(/Zébulon/);
    });

    it.each([
      ['a note in the initial situation', PatientIncluded.type, ['initialSituation', 'note']],
      ['the partners shared with', PatientIncluded.type, ['partnerSharing']],
      ['the birth year', PatientIncluded.type, ['birthYear']],
      ['the consent date', PatientIncluded.type, ['consentGivenOn']],
      ['a contact on a referral', FollowUpSessionRecorded.type, ['outcomes', 'referrals', 'contact']],
      ['a comment on a screening', FollowUpSessionRecorded.type, ['outcomes', 'screenings', 'comment']],
      ['a comment on the exit', ExitRecorded.type, ['comment']],
    ])('refuses %s, even nested', (_case, type, path) => {
      expect(() => publish(type, withField(type, path as string[], 'rue des Lilas'))).toThrow(ContractViolation);
    });

    it.each([
      ['a sex code', PatientIncluded.type, ['sex'], 'F'],
      ['an age band', PatientIncluded.type, ['ageBand'], '35-44'],
      ['an inclusion reason', PatientIncluded.type, ['reasons'], ['ALCOHOLISM']],
      ['a substance', PatientIncluded.type, ['initialSituation', 'mainSubstances'], ['HEROIN']],
      ['a housing situation', PatientIncluded.type, ['initialSituation', 'housing'], 'SQUAT'],
      ['a session kind', FollowUpSessionRecorded.type, ['kind'], 'NURSE_VISIT'],
      ['a screened disease', FollowUpSessionRecorded.type, ['outcomes', 'screenings', 'disease'], 'HPV'],
      ['a right', FollowUpSessionRecorded.type, ['outcomes', 'rights', 'right'], 'RSA'],
      ['a partner type', FollowUpSessionRecorded.type, ['outcomes', 'referrals', 'partnerType'], 'FRIEND'],
      ['a treated disease', FollowUpSessionRecorded.type, ['outcomes', 'treatments', 'disease'], 'HIV'],
      ['an employment situation', AssessmentRecorded.type, ['employment'], 'RETIRED'],
      ['a timepoint written as text', AssessmentRecorded.type, ['timepoint'], 'à 6 mois'],
      ['an exit reason', ExitRecorded.type, ['reason'], 'EXPELLED'],
    ])('refuses an unknown code for %s', (_case, type, path, value) => {
      expect(() => publish(type, withField(type, path as string[], value))).toThrow(ContractViolation);
    });

    it.each([
      ['no inclusion reason', PatientIncluded.type, ['reasons'], []],
      ['31 days of use in 30', PatientIncluded.type, ['initialSituation', 'daysOfUseLast30'], 31],
      ['a fractional partner count', PatientIncluded.type, ['partnerSharingCount'], 1.5],
      ['a session of 0 minutes', FollowUpSessionRecorded.type, ['durationMinutes'], 0],
      ['a quality-of-life score above 100', AssessmentRecorded.type, ['qualityOfLifeScore'], 101],
      ['an erasure time instead of a day', PatientErased.type, ['erasedOn'], '2025-09-01T10:12:00Z'],
      ['an empty patient id', ExitRecorded.type, ['patientId'], ''],
    ])('refuses %s', (_case, type, path, value) => {
      expect(() => publish(type, withField(type, path as string[], value))).toThrow(ContractViolation);
    });
  });

  describe('when consuming', () => {
    it('accepts a v1 and parks a version it does not know yet', () => {
      expect(contracts.decodeOnConsume(ExitRecorded.type, 1, valid[ExitRecorded.type])).toEqual({ kind: 'accepted', payload: valid[ExitRecorded.type], version: 1 });
      expect(contracts.decodeOnConsume(ExitRecorded.type, 2, { ...valid[ExitRecorded.type], comment: 'x' })).toEqual({ kind: 'parked', reason: expect.stringMatching(/newer/) });
    });

    it('publishes a session as v2, a producer leaving out treatments meaning none', () => {
      const { treatments: _none, ...outcomes } = valid[FollowUpSessionRecorded.type].outcomes as Record<string, unknown>;
      expect(FollowUpSessionRecorded.version).toBe(2);
      expect(publish(FollowUpSessionRecorded.type, { ...valid[FollowUpSessionRecorded.type], outcomes })).toEqual({ ...valid[FollowUpSessionRecorded.type], outcomes: { ...outcomes, treatments: [] } });
    });

    it('upcasts a v1 session (no treatment outcome) so that the history still counts', () => {
      const v2 = valid[FollowUpSessionRecorded.type];
      const { treatments: _none, ...v1Outcomes } = v2.outcomes as Record<string, unknown>;
      expect(contracts.decodeOnConsume(FollowUpSessionRecorded.type, 1, { ...v2, outcomes: v1Outcomes })).toEqual({
        kind: 'accepted',
        payload: { ...v2, outcomes: { ...v1Outcomes, treatments: [] } },
        version: 2,
      });
      expect(contracts.decodeOnConsume(FollowUpSessionRecorded.type, 2, v2)).toEqual({ kind: 'accepted', payload: v2, version: 2 });
    });
  });
});

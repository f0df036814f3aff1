import { InclusionsEvent } from '@cnrms/domain-inclusions';
import { ProjectionSpec } from '@cnrms/eventsourcing/testing';
import { inclusionsMigrations } from '../../infrastructure/migrations';
import { CaseloadProjection } from './caseload.projection';

const ids = { inclusionId: 'inc-1', patientId: 'pat-1', microstructureId: 'ms-1', networkId: 'net-1' };
const included: InclusionsEvent = {
  type: 'PatientIncluded',
  data: {
    ...ids,
    includedOn: '2024-05-02',
    reasons: ['ADDICTION'],
    treatingGpId: 'gp-1',
    includedBy: 'gp-1',
    consent: { givenOn: '2024-05-02', teamSharing: true, partnerSharing: [] },
    initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 20 },
    reinclusion: false,
    profile: { sex: 'FEMALE', ageBand: 'AGE_35_44' },
  },
};
// 23:30 UTC on 31 August is already 1 September in France: the timeline says the French day.
const erased: InclusionsEvent = { type: 'IdentityErased', data: { patientId: 'pat-1', erasedAt: '2024-08-31T23:30:00.000Z', requestedBy: 'psy-1' } };

describe('caseload read model: free text about a patient (docs/security.md)', () => {
  let spec: ProjectionSpec;
  const projection = new CaseloadProjection({ timepoints: [{ code: 'INCLUSION', monthsAfterInclusion: 0 }], assessmentWindowDays: 30 });
  const apply = (event: InclusionsEvent, streamId: string) => spec.given({ streamId, ...event });
  const carePlanOf = async () => (await spec.rows<{ plan: unknown }>(`select state->'carePlan' as plan from inclusions.inclusions where id = 'inc-1'`))[0].plan;

  beforeAll(async () => {
    spec = await ProjectionSpec.start({ label: 'inclusions_caseload_free_text', schema: 'inclusions', migrations: inclusionsMigrations, projections: [projection] });
  });

  afterAll(async () => {
    await spec?.close();
  });

  it('keeps a sealed care plan sealed, and drops the text of a plan recorded in clear when the patient is erased', async () => {
    await apply(included, 'inclusion-inc-1');
    // Recorded before free text was sealed: in clear.
    await apply({ type: 'CarePlanRevised', data: { ...ids, goals: ['Renouer avec sa sœur Marie'], nextSteps: ['Appeler le CMP'], updatedOn: '2024-06-01', updatedBy: 'sw-1' } }, 'inclusion-inc-1');
    expect(await carePlanOf()).toMatchObject({ goals: ['Renouer avec sa sœur Marie'] });
    await apply(erased, 'patient-pat-1');
    const plan = await carePlanOf();
    expect(plan).toEqual({ erased: true, updatedOn: '2024-06-01', updatedBy: 'sw-1' });
    const text = (await spec.rows<{ text: string }>(`select t::text as text from inclusions.inclusions t`)).map((r) => r.text).join('\n');
    expect(text).not.toContain('Marie');
    const erasure = await spec.rows(`select occurred_on::text as day from inclusions.timeline_entries where inclusion_id = 'inc-1' and kind = 'ERASURE'`);
    expect(erasure).toEqual([{ day: '2024-09-01' }]);
  });

  it('records a sealed plan as ciphertext only', async () => {
    await apply({ type: 'CarePlanRevised', data: { ...ids, sealed: 'v1.ciphertext-under-the-patient-key', updatedOn: '2024-06-02', updatedBy: 'sw-1' } }, 'inclusion-inc-1');
    expect(await carePlanOf()).toEqual({ sealed: 'v1.ciphertext-under-the-patient-key', updatedOn: '2024-06-02', updatedBy: 'sw-1' });
  });

  it('rebuilt from zero, the caseload has the same rows', async () => {
    const { live, rebuilt } = await spec.rebuild();
    expect(live.inclusions).toHaveLength(1);
    expect(rebuilt).toEqual(live);
  });
});

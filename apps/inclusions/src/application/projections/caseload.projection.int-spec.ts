import { InclusionsEvent } from '@cnrms/domain-inclusions';
import { ProjectionSpec } from '@cnrms/eventsourcing/testing';
import { QueryRunner } from 'typeorm';
import { inclusionsMigrations } from '../../infrastructure/migrations';
import { InclusionColumns1763900000700 } from '../../infrastructure/migrations/1763900000700-inclusion-columns';
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

describe('caseload read model (free text about a patient: docs/security.md)', () => {
  let spec: ProjectionSpec;
  const projection = new CaseloadProjection({ timepoints: [{ code: 'INCLUSION', monthsAfterInclusion: 0 }], assessmentWindowDays: 30 });
  const apply = (event: InclusionsEvent, streamId: string) => spec.given({ streamId, ...event });
  const carePlanOf = async () =>
    (
      await spec.rows(
        `select care_plan_sealed as sealed, care_plan_goals as goals, care_plan_next_steps as "nextSteps", care_plan_erased as erased,
                care_plan_updated_on::text as "updatedOn", care_plan_updated_by as "updatedBy"
           from inclusions.inclusions where id = 'inc-1'`,
      )
    )[0];

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
    expect(plan).toEqual({ sealed: null, goals: null, nextSteps: null, erased: true, updatedOn: '2024-06-01', updatedBy: 'sw-1' });
    const text = (await spec.rows<{ text: string }>(`select t::text as text from inclusions.inclusions t`)).map((r) => r.text).join('\n');
    expect(text).not.toContain('Marie');
    const erasure = await spec.rows(`select occurred_on::text as day from inclusions.timeline_entries where inclusion_id = 'inc-1' and kind = 'ERASURE'`);
    expect(erasure).toEqual([{ day: '2024-09-01' }]);
  });

  it('records a sealed plan as ciphertext only', async () => {
    await apply({ type: 'CarePlanRevised', data: { ...ids, sealed: 'v1.ciphertext-under-the-patient-key', updatedOn: '2024-06-02', updatedBy: 'sw-1' } }, 'inclusion-inc-1');
    expect(await carePlanOf()).toEqual({ sealed: 'v1.ciphertext-under-the-patient-key', goals: null, nextSteps: null, erased: false, updatedOn: '2024-06-02', updatedBy: 'sw-1' });
  });

  it('keeps each fact of an inclusion in its own column: last contact, next assessment window, exit', async () => {
    const inclusion = (type: string, data: object) => apply({ type, data: { ...ids, inclusionId: 'inc-2', ...data } } as InclusionsEvent, 'inclusion-inc-2');
    const columns = async () =>
      (
        await spec.rows(
          `select status, included_on::text as included, last_contact_on::text as "lastContact", next_assessment_window_start::text as "nextWindow",
                  reasons, sex, age_band as "ageBand", consent_partner_sharing as "partnerSharing", initial_main_substances as substances,
                  exited_on::text as "exitedOn", exit_reason as "exitReason", inclusion_number as number
             from inclusions.inclusions where id = 'inc-2'`,
        )
      )[0];
    await inclusion('PatientIncluded', { ...included.data, inclusionId: 'inc-2', includedOn: '2025-01-10', consent: { givenOn: '2025-01-10', teamSharing: true, partnerSharing: ['csapa-1'] } });
    expect(await columns()).toEqual({
      status: 'OPEN', included: '2025-01-10', lastContact: '2025-01-10', nextWindow: '2024-12-11', reasons: ['ADDICTION'], sex: 'FEMALE', ageBand: 'AGE_35_44',
      partnerSharing: ['csapa-1'], substances: ['ALCOHOL'], exitedOn: null, exitReason: null, number: 2,
    });
    const session = { sessionId: 'ses-1', kind: 'GP_CONSULTATION', heldOn: '2025-02-03', professionalId: 'gp-1', durationMinutes: 20, outcomes: { screenings: [], rights: [], referrals: [] } };
    await inclusion('FollowUpSessionRecorded', session);
    // A session dated before the last contact does not move it back.
    await inclusion('FollowUpSessionRecorded', { ...session, sessionId: 'ses-2', heldOn: '2025-01-20' });
    expect(await columns()).toMatchObject({ lastContact: '2025-02-03', nextWindow: '2024-12-11' });
    await inclusion('AssessmentRecorded', {
      timepoint: 'INCLUSION', assessedOn: '2025-02-05', daysOfUseLast30: 4, qualityOfLifeScore: 60, housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL', recordedBy: 'gp-1',
    });
    // Its only timepoint assessed, nothing is due any more.
    expect(await columns()).toMatchObject({ lastContact: '2025-02-05', nextWindow: null });
    await inclusion('ExitRecorded', { exitedOn: '2025-03-01', reason: 'MOVED', recordedBy: 'gp-1' });
    expect(await columns()).toMatchObject({ status: 'EXITED', exitedOn: '2025-03-01', exitReason: 'MOVED', lastContact: '2025-02-05' });
  });

  it('ignores the events of an inclusion it never saw included, as the decider does', async () => {
    await apply({ type: 'ExitRecorded', data: { ...ids, inclusionId: 'inc-unknown', exitedOn: '2025-03-01', reason: 'MOVED', recordedBy: 'gp-1' } }, 'inclusion-inc-unknown');
    expect(await spec.rows(`select id from inclusions.inclusions where id = 'inc-unknown'`)).toEqual([]);
    expect(await spec.rows(`select kind from inclusions.timeline_entries where inclusion_id = 'inc-unknown'`)).toEqual([]);
  });

  it('migrates rows kept as the decider state into the columns, and back, without losing a fact', async () => {
    const runner = { query: (sql: string) => spec.rows(sql) } as unknown as QueryRunner;
    const before = await spec.rows(`select * from inclusions.inclusions order by id`);
    const migration = new InclusionColumns1763900000700();
    await migration.down(runner);
    const [{ state }] = await spec.rows<{ state: Record<string, unknown> }>(`select state from inclusions.inclusions where id = 'inc-2'`);
    expect(state).toMatchObject({ status: 'EXITED', includedOn: '2025-01-10', exit: { exitedOn: '2025-03-01', reason: 'MOVED' }, assessments: [{ timepoint: 'INCLUSION' }] });
    await migration.up(runner);
    expect(await spec.rows(`select * from inclusions.inclusions order by id`)).toEqual(before);
  });

  it('rebuilt from zero, the caseload has the same rows', async () => {
    const { live, rebuilt } = await spec.rebuild();
    expect(live.inclusions).toHaveLength(2);
    expect(rebuilt).toEqual(live);
  });
});

import { randomUUID } from 'node:crypto';
import { MeetingsEvent } from '@cnrms/domain-meetings';
import { ProjectionSpec } from '@cnrms/eventsourcing/testing';
import { IntegrationEvent } from '@cnrms/messaging';
import { PoolClient } from 'pg';
import { meetingsMigrations } from '../infrastructure/migrations';
import { MeetingsProjection } from './projections/meetings.projection';
import { referenceDataConsumer } from './reference-data.consumer';

const at = { meetingId: 'meet-1', microstructureId: 'ms-1', networkId: 'net-1' };

describe('meetings read models on PostgreSQL', () => {
  let spec: ProjectionSpec;
  let tx: PoolClient;

  const integration = (type: string, payload: object): IntegrationEvent =>
    ({ eventId: randomUUID(), type, version: 1, topic: 't', key: 'k', payload, correlationId: 'c', causationId: null, occurredAt: new Date().toISOString(), networkId: 'net-1' }) as IntegrationEvent;
  const rows = (sql: string) => spec.rows(sql);

  beforeAll(async () => {
    spec = await ProjectionSpec.start({ label: 'meetings_read_models', schema: 'meetings', migrations: meetingsMigrations, projections: [new MeetingsProjection()] });
    tx = spec.database.pool as unknown as PoolClient;
  });

  afterAll(async () => {
    await spec?.close();
  });

  it('keeps the team, its opening and the included patients from the other services’ events, applying each twice without change', async () => {
    const events = [
      integration('directory.MicrostructureCreated', { microstructureId: 'ms-1', networkId: 'net-1', name: 'MS', kind: 'ADDICTION', department: '67', status: 'IN_CREATION' }),
      integration('directory.MicrostructureOpened', { microstructureId: 'ms-1', networkId: 'net-1', kind: 'ADDICTION', department: '67', openedOn: '2024-01-10' }),
      integration('directory.MembershipStarted', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'gp-1', profession: 'GENERAL_PRACTITIONER', role: 'MEMBER', startedOn: '2024-01-10' }),
      integration('directory.MembershipEnded', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'gp-1', startedOn: '2024-01-10', endedOn: '2024-12-31' }),
      integration('inclusions.PatientIncluded', { inclusionId: 'inc-1', patientId: 'pat-1', microstructureId: 'ms-1', networkId: 'net-1', includedOn: '2024-05-02' }),
      integration('inclusions.AssessmentRecorded', { inclusionId: 'inc-1', patientId: 'pat-1', microstructureId: 'ms-1', networkId: 'net-1', timepoint: 'INCLUSION', assessedOn: '2024-05-02' }),
      integration('inclusions.ExitRecorded', { inclusionId: 'inc-1', patientId: 'pat-1', microstructureId: 'ms-1', networkId: 'net-1', exitedOn: '2024-11-30', reason: 'MOVED' }),
    ];
    for (const event of [...events, ...events]) await referenceDataConsumer.handle(event, tx);
    expect(await rows(`select status, opened_on::text from meetings.microstructures`)).toEqual([{ status: 'ACTIVE', opened_on: '2024-01-10' }]);
    expect(await rows(`select professional_id, ended_on::text from meetings.memberships`)).toEqual([{ professional_id: 'gp-1', ended_on: '2024-12-31' }]);
    expect(await rows(`select patient_id, included_on::text, exited_on::text, assessed_timepoints from meetings.followed_inclusions`)).toEqual([
      { patient_id: 'pat-1', included_on: '2024-05-02', exited_on: '2024-11-30', assessed_timepoints: ['INCLUSION'] },
    ]);
  });

  it('destroys the patient’s summary key when the inclusions service announces an erasure', async () => {
    await referenceDataConsumer.handle(integration('inclusions.PatientErased', { patientId: 'pat-1', microstructureId: 'ms-1', networkId: 'net-1', erasedOn: '2025-01-02' }), tx);
    expect(await rows(`select patient_id, wrapped_key, destroyed_at is not null as destroyed from meetings.patient_keys`)).toEqual([{ patient_id: 'pat-1', wrapped_key: null, destroyed: true }]);
  });

  it('projects a meeting scheduled, held with its reviews, idempotently, and rebuilds it to the same rows', async () => {
    const events: MeetingsEvent[] = [
      { type: 'MeetingScheduled', data: { ...at, scheduledOn: '2024-06-10', format: 'VIDEO', place: null, expectedAttendeeIds: ['gp-1'], scheduledBy: 'gp-1' } },
      { type: 'MeetingHeld', data: { ...at, heldOn: '2024-06-11', durationMinutes: 60, attendeeIds: ['gp-1'], reviewedPatientIds: ['pat-1'], recordedBy: 'gp-1' } },
      { type: 'CaseReviewed', data: { ...at, patientId: 'pat-1', heldOn: '2024-06-11', decisions: ['REFERRAL'], nextReviewOn: '2024-09-11', summaryCiphertext: 'v1.a.b.c' } },
    ];
    // Each delivered twice, as a redelivery after a crash would.
    await spec.given(...[...events, ...events].map((event) => ({ streamId: 'meeting-meet-1', ...event })));
    expect(await rows(`select status, held_on::text, duration_minutes, attendee_ids from meetings.meetings`)).toEqual([{ status: 'HELD', held_on: '2024-06-11', duration_minutes: 60, attendee_ids: ['gp-1'] }]);
    expect(await rows(`select patient_id, decisions, summary_ciphertext from meetings.case_reviews`)).toEqual([{ patient_id: 'pat-1', decisions: ['REFERRAL'], summary_ciphertext: 'v1.a.b.c' }]);
    const { live, rebuilt } = await spec.rebuild();
    expect(live.meetings).toHaveLength(1);
    expect(rebuilt).toEqual(live);
  });
});

import { randomUUID } from 'node:crypto';
import { Identity } from '@cnrms/auth';
import { IntegrationEvent } from '@cnrms/messaging';
import { createTestDatabase, ReceivedMail, startTestSmtpServer, TestDatabase } from '@cnrms/testing';
import { PoolClient } from 'pg';
import pino from 'pino';
import { QueryRunner } from 'typeorm';
import { NotificationSettings } from '../config';
import { notificationsMigrations } from '../infrastructure/migrations';
import { AssessmentReminders } from './assessment-reminders';
import { Inbox } from './inbox';
import { MailSender } from './mail-sender';
import { notificationsConsumer, professionalsConsumer } from './notifications.consumer';

// The service's consumers, reminders, inbox and mail sender on real PostgreSQL, with a real SMTP server.
const NOW = new Date('2027-01-10T09:00:00Z');
const clock = () => NOW;
const silent = pino({ level: 'silent' });
const DAY = 24 * 3600 * 1000;

describe('notifications on PostgreSQL', () => {
  let database: TestDatabase;
  let inbox: Inbox;
  const received: ReceivedMail[] = [];
  let smtp: { url: string; close: () => Promise<void> };
  let settings: NotificationSettings;
  const mail = { enabled: true, dashboardUrl: 'https://tableau.example.fr' };
  const consumer = notificationsConsumer({ mail, now: clock, maxEventAgeMs: 7 * DAY });

  const event = (type: string, payload: object, occurredAt = new Date(NOW.getTime() - 60_000)): IntegrationEvent =>
    ({ eventId: randomUUID(), type, version: 1, topic: 't', key: 'k', payload, correlationId: 'c', causationId: null, occurredAt: occurredAt.toISOString(), networkId: 'net-1' }) as IntegrationEvent;
  const handle = async (...events: IntegrationEvent[]) => {
    for (const e of events) {
      const target = e.type.startsWith('directory.Professional') ? professionalsConsumer : consumer;
      await target.handle(e, database.pool as unknown as PoolClient);
    }
  };
  const noticesOf = async (professionalId: string) =>
    (await database.pool.query(`select kind, title, body, link, about from notifications.notices where professional_id = $1 order by created_at, kind`, [professionalId])).rows;
  const emails = async () => (await database.pool.query(`select e.to_address, e.subject, e.status, e.attempts, e.last_error, n.professional_id from notifications.emails e join notifications.notices n on n.id = e.notice_id order by n.created_at`)).rows;
  const professional = (id: string): Identity => ({ userId: `u-${id}`, roles: ['professional'], networkIds: ['net-1'], microstructureIds: ['ms-1'], professionalId: id });

  const sessionOn = (date: string) => ({ sessionId: `s-${date}`, date, hours: 3, capacity: 1 });
  const training = (sessions = [sessionOn('2027-02-01')]) => ({
    trainingId: 't-1',
    networkId: 'net-1',
    kind: 'TRAINING',
    title: 'Repérage précoce et intervention brève',
    theme: 'ALCOHOL',
    format: 'IN_PERSON',
    audience: ['PSYCHOLOGIST', 'GENERAL_PRACTITIONER'],
    registrationClosesOn: '2027-01-25',
    sessions,
    publishedOn: '2026-12-01',
  });
  const registrant = (professionalId: string, sessionId = 's-2027-02-01') => ({ trainingId: 't-1', sessionId, registrationId: `r-${professionalId}`, professionalId, networkId: 'net-1', profession: 'PSYCHOLOGIST' });

  beforeAll(async () => {
    database = await createTestDatabase('notifications');
    await database.pool.query('create schema notifications');
    const runner = { query: (sql: string) => database.pool.query(sql) } as unknown as QueryRunner;
    for (const Migration of notificationsMigrations) await new Migration().up(runner);
    inbox = new Inbox(database.pool);
    smtp = await startTestSmtpServer(received);
    settings = {
      smtpUrl: smtp.url,
      mailFrom: 'Microstructures <notifications@cnrms.invalid>',
      dashboardUrl: mail.dashboardUrl,
      timepoints: [
        { code: 'M6', monthsAfterInclusion: 6 },
        { code: 'M12', monthsAfterInclusion: 12 },
      ],
      assessmentWindowDays: 30,
      reminderIntervalMs: 3_600_000,
      mailPollMs: 3_600_000,
      mailMaxAttempts: 2,
    };
    await handle(
      event('directory.ProfessionalRegistered', { professionalId: 'psy-1', profession: 'PSYCHOLOGIST', displayName: 'Bruno Modèle', email: 'b.modele@example.fr' }),
      event('directory.ProfessionalRegistered', { professionalId: 'gp-1', profession: 'GENERAL_PRACTITIONER', displayName: 'Claire Fontaine', email: null }),
      event('directory.ProfessionalRegistered', { professionalId: 'sw-1', profession: 'SOCIAL_WORKER', displayName: 'Denis Lemaire', email: 'd.lemaire@example.fr' }),
      event('directory.MembershipStarted', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'gp-1', profession: 'GENERAL_PRACTITIONER', role: 'GP', startedOn: '2025-01-01' }),
      event('directory.MembershipStarted', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'psy-1', profession: 'PSYCHOLOGIST', role: 'MEMBER', startedOn: '2025-01-01' }),
      event('directory.MembershipStarted', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'sw-1', profession: 'SOCIAL_WORKER', role: 'MEMBER', startedOn: '2025-01-01' }),
      event('directory.MembershipEnded', { microstructureId: 'ms-1', networkId: 'net-1', professionalId: 'sw-1', startedOn: '2025-01-01', endedOn: '2026-12-31' }),
    );
  });

  afterAll(async () => {
    await smtp?.close();
    await database?.drop();
  });

  it('tells a professional promoted from a wait list, once even when the event comes twice, and queues the e-mail to their work address', async () => {
    const promoted = event('training.WaitListedProfessionalPromoted', { ...registrant('psy-1'), promotedAt: NOW.toISOString() });
    await handle(event('training.TrainingPublished', training()), promoted, promoted);
    expect(await noticesOf('psy-1')).toEqual([
      {
        kind: 'WAIT_LIST_PROMOTION',
        title: 'Une place s’est libérée : vous êtes inscrit·e à « Repérage précoce et intervention brève »',
        body: expect.stringContaining('pour la session du 01/02/2027'),
        link: '/formations',
        about: `event:${promoted.eventId}`,
      },
    ]);
    expect(await emails()).toEqual([expect.objectContaining({ professional_id: 'psy-1', to_address: 'b.modele@example.fr', status: 'PENDING', attempts: 0 })]);
  });

  it('tells the people registered that a training changed, then that it is cancelled; without e-mail address, in the inbox only', async () => {
    await handle(
      event('training.TrainingUpdated', { ...training([sessionOn('2027-02-08')]), changes: ['SESSIONS'], affectedProfessionalIds: ['psy-1', 'gp-1'], updatedOn: '2027-01-10' }),
      event('training.TrainingCancelled', { trainingId: 't-1', networkId: 'net-1', title: 'Repérage précoce et intervention brève', reason: 'TRAINER_UNAVAILABLE', affectedProfessionalIds: ['psy-1', 'gp-1'], cancelledOn: '2027-01-10' }),
    );
    const gp = await noticesOf('gp-1');
    expect(gp.map((n) => [n.kind, n.title])).toEqual([
      ['TRAINING_CHANGED', 'La formation « Repérage précoce et intervention brève » a été modifiée'],
      ['TRAINING_CANCELLED', 'La formation « Repérage précoce et intervention brève » est annulée'],
    ]);
    expect(gp[0].body).toContain('les sessions (dates, horaires, lieu ou places)');
    expect(gp[0].body).toContain('Sessions prévues le 08/02/2027.');
    expect(gp[1].body).toContain('(intervenant indisponible)');
    expect((await emails()).map((e) => [e.professional_id, e.subject])).toEqual([
      ['psy-1', expect.stringContaining('Une place s’est libérée')],
      ['psy-1', 'La formation « Repérage précoce et intervention brève » a été modifiée'],
      ['psy-1', 'La formation « Repérage précoce et intervention brève » est annulée'],
    ]);
  });

  it('keeps history replayed at a first start without telling it: an old event, or a session already past', async () => {
    const before = (await emails()).length;
    await handle(
      event('training.TrainingPublished', { ...training([sessionOn('2026-11-02')]), trainingId: 't-old' }),
      event('training.WaitListedProfessionalPromoted', { ...registrant('gp-1', 's-2026-11-02'), trainingId: 't-old', promotedAt: '2026-10-20T10:00:00Z' }),
      event('meetings.MeetingScheduled', { meetingId: 'm-old', microstructureId: 'ms-1', networkId: 'net-1', scheduledOn: '2027-03-01', format: 'IN_PERSON' }, new Date(NOW.getTime() - 30 * DAY)),
    );
    expect((await noticesOf('gp-1')).map((n) => n.kind)).toEqual(['TRAINING_CHANGED', 'TRAINING_CANCELLED']);
    expect(await emails()).toHaveLength(before);
    const kept = await database.pool.query(`select (select count(*)::int from notifications.trainings where id = 't-old') as trainings, (select count(*)::int from notifications.meetings where id = 'm-old') as meetings`);
    expect(kept.rows[0]).toEqual({ trainings: 1, meetings: 1 });
  });

  it('tells the members of the microstructure on the meeting’s date that a meeting is planned, then cancelled — not a former member', async () => {
    await handle(
      event('meetings.MeetingScheduled', { meetingId: 'm-1', microstructureId: 'ms-1', networkId: 'net-1', scheduledOn: '2027-01-21', format: 'VIDEO' }),
      event('meetings.MeetingCancelled', { meetingId: 'm-1', microstructureId: 'ms-1', networkId: 'net-1', scheduledOn: '2027-01-21', cancelledOn: '2027-01-10' }),
    );
    for (const member of ['gp-1', 'psy-1']) {
      const meetings = (await noticesOf(member)).filter((n) => n.kind.startsWith('MEETING'));
      expect(meetings.map((n) => [n.kind, n.title, n.link])).toEqual([
        ['MEETING_SCHEDULED', 'Réunion de concertation le 21/01/2027', '/equipe/ms-1'],
        ['MEETING_CANCELLED', 'Réunion du 21/01/2027 annulée', '/equipe/ms-1'],
      ]);
      expect(meetings[0].body).toContain('en visioconférence');
    }
    expect(await noticesOf('sw-1')).toEqual([]);
  });

  it('reminds the team, once, of each open inclusion’s assessment whose window opened — not one recorded, not after an exit or an erasure, not before its window', async () => {
    const included = (inclusionId: string, patientId: string, includedOn: string) =>
      event('inclusions.PatientIncluded', { inclusionId, patientId, microstructureId: 'ms-1', networkId: 'net-1', includedOn, treatingGpId: 'gp-1' });
    await handle(
      included('inc-due', 'pat-1', '2026-07-15'), // M6 due 2027-01-15: window 2026-12-16 … 2027-02-14
      included('inc-done', 'pat-2', '2026-07-20'),
      event('inclusions.AssessmentRecorded', { inclusionId: 'inc-done', patientId: 'pat-2', microstructureId: 'ms-1', networkId: 'net-1', timepoint: 'M6', assessedOn: '2027-01-05' }),
      included('inc-exited', 'pat-3', '2026-07-15'),
      event('inclusions.ExitRecorded', { inclusionId: 'inc-exited', patientId: 'pat-3', microstructureId: 'ms-1', networkId: 'net-1', exitedOn: '2026-12-01', reason: 'MOVED' }),
      included('inc-erased', 'pat-4', '2026-07-15'),
      event('inclusions.PatientErased', { patientId: 'pat-4', microstructureId: 'ms-1', networkId: 'net-1', erasedOn: '2027-01-02' }),
      included('inc-later', 'pat-5', '2026-08-20'), // M6 due 2027-02-20: window opens 2027-01-21
      included('inc-m12', 'pat-6', '2026-01-12'), // M12 due 2027-01-12: due; M6 (2026-07-12) long past, recorded below
      event('inclusions.AssessmentRecorded', { inclusionId: 'inc-m12', patientId: 'pat-6', microstructureId: 'ms-1', networkId: 'net-1', timepoint: 'M6', assessedOn: '2026-07-10' }),
    );
    const reminders = new AssessmentReminders(database.pool, settings, clock, silent);
    expect(await reminders.remind()).toBe(4); // two inclusions × the two current members
    expect(await reminders.remind()).toBe(0);
    const due = (await noticesOf('gp-1')).filter((n) => n.kind === 'ASSESSMENT_DUE');
    expect(due.map((n) => [n.about, n.title, n.link])).toEqual(
      expect.arrayContaining([
        ['assessment:inc-due:M6', 'Évaluation à 6 mois à réaliser d’ici le 14/02/2027', '/equipe/ms-1/inclusions/inc-due'],
        ['assessment:inc-m12:M12', 'Évaluation à 12 mois à réaliser d’ici le 11/02/2027', '/equipe/ms-1/inclusions/inc-m12'],
      ]),
    );
    expect(due).toHaveLength(2);
    expect(await noticesOf('sw-1')).toEqual([]);
  });

  it('sends the queued e-mails through the SMTP server, each once, with the dashboard’s link', async () => {
    const sender = new MailSender(database.pool, settings, silent);
    await sender.onApplicationBootstrap();
    try {
      await sender.wake();
      const queued = await emails();
      expect(queued.every((e) => e.status === 'SENT' && e.attempts === 1)).toBe(true);
      expect(received).toHaveLength(queued.length);
      expect(received.every((m) => m.to === 'b.modele@example.fr')).toBe(true);
      expect(received.map((m) => m.subject)).toEqual(expect.arrayContaining(['La formation « Repérage précoce et intervention brève » est annulée', 'Réunion de concertation le 21/01/2027']));
      const assessment = received.find((m) => m.subject.startsWith('Évaluation à 6 mois'));
      expect(assessment?.text).toContain('https://tableau.example.fr/equipe/ms-1/inclusions/inc-due');
      expect(await sender.wake()).toBe(0);
      expect(received).toHaveLength(queued.length);
    } finally {
      await sender.onModuleDestroy();
    }
  });

  it('keeps an e-mail the server cannot take, retries it later, and gives it up after the last attempt — the notice stays', async () => {
    const unreachable = new MailSender(database.pool, { ...settings, smtpUrl: 'smtp://127.0.0.1:9' }, silent);
    await unreachable.onApplicationBootstrap();
    try {
      await handle(event('meetings.MeetingScheduled', { meetingId: 'm-2', microstructureId: 'ms-1', networkId: 'net-1', scheduledOn: '2027-02-18', format: 'IN_PERSON' }));
      await unreachable.wake();
      const [pending] = (await emails()).filter((e) => e.status !== 'SENT');
      expect(pending).toEqual(expect.objectContaining({ status: 'PENDING', attempts: 1, last_error: expect.any(String) }));
      expect(pending.last_error).not.toContain('b.modele@example.fr');
      // Its next attempt is later; brought forward here, it fails for the last time.
      await database.pool.query(`update notifications.emails set next_attempt_at = now() where status = 'PENDING'`);
      await unreachable.wake();
      expect((await emails()).filter((e) => e.status !== 'SENT').map((e) => [e.status, e.attempts])).toEqual([['FAILED', 2]]);
      expect((await noticesOf('psy-1')).filter((n) => n.title === 'Réunion de concertation le 18/02/2027')).toHaveLength(1);
    } finally {
      await unreachable.onModuleDestroy();
    }
  });

  it('shows each professional their own inbox, marks read only their own notices, and answers another’s notice as a missing one', async () => {
    const mine = await inbox.read(professional('gp-1'), {});
    expect(mine.unreadCount).toBe(mine.notices.length);
    expect(mine.notices.length).toBeGreaterThanOrEqual(5);
    const theirs = (await inbox.read(professional('psy-1'), {})).notices[0];
    await expect(inbox.markRead(professional('gp-1'), [mine.notices[0].id, theirs.id])).rejects.toMatchObject({ code: 'NOTIFICATION_NOT_FOUND' });
    await expect(inbox.markRead(professional('gp-1'), ['not-a-uuid'])).rejects.toMatchObject({ code: 'NOTIFICATION_NOT_FOUND' });
    await expect(inbox.markRead(professional('gp-1'), [])).rejects.toMatchObject({ code: 'INVALID_NOTIFICATION_IDS' });
    expect((await inbox.read(professional('gp-1'), {})).unreadCount).toBe(mine.notices.length);
    expect(await inbox.markRead(professional('gp-1'), [mine.notices[0].id, mine.notices[0].id])).toBe(1);
    expect((await inbox.read(professional('gp-1'), { unreadOnly: true })).notices.map((n) => n.id)).not.toContain(mine.notices[0].id);
    expect(await inbox.markRead(professional('gp-1'), null)).toBe(mine.notices.length - 1);
    expect((await inbox.read(professional('gp-1'), {})).unreadCount).toBe(0);
    expect((await inbox.read(professional('psy-1'), {})).unreadCount).toBeGreaterThan(0);
    expect(await inbox.read({ userId: 'coord', roles: ['regional_coordinator'], networkIds: ['net-1'], microstructureIds: [] }, {})).toEqual({ unreadCount: 0, notices: [] });
    await expect(inbox.read(professional('gp-1'), { first: 0 })).rejects.toMatchObject({ code: 'INVALID_PAGE_SIZE' });
  });
});

import { Identity } from '@cnrms/auth';
import { createTestDatabase, ReceivedMail, startTestSmtpServer, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform } from './platform';

/**
 * Notifications end to end: the whole platform on a fresh database, its notifications service writing to a
 * real SMTP server started by the test. A care team is built in the directory (two members with a work
 * e-mail, one without), a patient included six months ago; a training with one seat fills and frees its seat,
 * is edited and cancelled; a meeting is planned. Each professional finds in their inbox, through the gateway,
 * what concerns them, and by e-mail when the directory has their address; no notice, no e-mail and no table
 * of the notifications service holds anything of the patient's identity.
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const fr = (date: string) => date.split('-').reverse().join('/');

const PATIENT = { lastName: 'Quenelle-Vasseur', firstName: 'Zéphyrine', birthDate: '1983-05-17', sex: 'FEMALE' };
const INBOX = 'query($unread: Boolean) { myNotifications(unreadOnly: $unread) { unreadCount notifications { id kind title body link createdAt readAt } } }';
const MARK_READ = 'mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) { unreadCount notifications { id readAt } } }';

type NotificationView = { id: string; kind: string; title: string; body: string; link: string | null; createdAt: string; readAt: string | null };
type InboxView = { unreadCount: number; notifications: NotificationView[] };

describe('notifications through the gateway and by e-mail', () => {
  let database: TestDatabase;
  let platform: Platform;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>> | undefined;
  const received: ReceivedMail[] = [];

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let gp: Identity;
  let psychologist: Identity;
  let socialWorker: Identity;
  let team: string;
  let inclusionId: string;
  let trainingId: string;
  let sessionId: string;

  const professional = (id: string, networkId: string, microstructureId: string, name: string): Identity => ({
    userId: `u-${name}`,
    displayName: name,
    roles: ['professional'],
    networkIds: [networkId],
    microstructureIds: [microstructureId],
    professionalId: id,
  });
  const inbox = async (who: Identity, unread?: boolean) => (await platform.data<{ myNotifications: InboxView }>(who, INBOX, { unread })).myNotifications;
  /** Waits until `who` has a notice of `kind` (the events cross the bus to the notifications service). */
  const noticeOf = async (who: Identity, kind: string, count = 1) =>
    (await eventually(() => inbox(who), (view) => view.notifications.filter((n) => n.kind === kind).length >= count, 60_000)).notifications.filter((n) => n.kind === kind);
  const mailsTo = (address: string) => received.filter((mail) => mail.to.includes(address));

  /** Retries while the directory's events have not yet reached a service (FORBIDDEN, NOT_FOUND, not yet open), at most 60 s. */
  async function onceKnown<T>(attempt: () => Promise<GraphQLAnswer<T>>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await attempt();
      if (!answer.errors?.length) return answer.data as T;
      const category = ['FORBIDDEN', 'NOT_FOUND'].includes(String(answer.errors[0].extensions?.category)) ? String(answer.errors[0].extensions?.category) : String(answer.errors[0].extensions?.code);
      if (!['FORBIDDEN', 'NOT_FOUND', 'MICROSTRUCTURE_NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN', 'PROFESSIONAL_NOT_FOUND'].includes(category) || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(answer.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    smtp = await startTestSmtpServer(received);

    database = await createTestDatabase('e2e_notifications');
    platform = await Platform.start({
      databaseUrl: database.url,
      portOffset: 4400,
      demoData: false,
      env: { SMTP_URL: smtp.url, NOTIFICATIONS_REMINDER_INTERVAL_S: '1', NOTIFICATIONS_MAIL_POLL_MS: '500', DASHBOARD_URL: 'https://tableau.example.fr' },
    });

    const { createRegionalNetwork } = await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', {
      input: { name: 'Réseau e2e des notifications', region: '44', departments: ['67'] },
    });
    const networkId = createRegionalNetwork.id;
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] };
    const teamSince = shift(today, -400);
    const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
      input: { networkId, name: 'Microstructure e2e des Notifications', department: '67', practiceSite: { name: 'Cabinet des Notifications', type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
    });
    team = createMicrostructure.id;
    const ids: string[] = [];
    for (const person of [
      { firstName: 'Gaspard', lastName: 'Médecin-Notif', profession: 'GENERAL_PRACTITIONER', email: 'gaspard.medecin@example.fr' },
      { firstName: 'Pauline', lastName: 'Psy-Notif', profession: 'PSYCHOLOGIST', email: 'pauline.psy@example.fr' },
      { firstName: 'Soline', lastName: 'Social-Notif', profession: 'SOCIAL_WORKER' },
    ]) {
      const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: person });
      await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: team, professionalId: registerProfessional.id, startedOn: teamSince } });
      ids.push(registerProfessional.id);
    }
    await platform.data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: team, on: teamSince });
    gp = professional(ids[0], networkId, team, 'gp');
    psychologist = professional(ids[1], networkId, team, 'psychologist');
    socialWorker = professional(ids[2], networkId, team, 'social-worker');

    // Included 182 days ago: the assessment at six months is due about today, its window open.
    const includedOn = shift(today, -182);
    const situation = { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 10 };
    const input = { microstructureId: team, patient: PATIENT, includedOn, reasons: ['ADDICTION'], treatingGpId: gp.professionalId, consent: { givenOn: includedOn, teamSharing: true, partnerSharing: [] }, initialSituation: situation };
    const included = await onceKnown(() => platform.query<{ includePatient: { id: string } }>(gp, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', { input }));
    inclusionId = included.includePatient.id;
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
    await smtp?.close();
  }, 60_000);

  it('reminds every member of the team that the patient’s six-month assessment is due, with the inclusion’s page', async () => {
    for (const member of [gp, psychologist, socialWorker]) {
      const [due] = await noticeOf(member, 'ASSESSMENT_DUE');
      expect(due.title).toMatch(/^Évaluation à 6 mois à réaliser d’ici le \d{2}\/\d{2}\/\d{4}$/);
      expect(due.link).toBe(`/equipe/${team}/inclusions/${inclusionId}`);
      expect(due.body).toContain(inclusionId);
    }
    await eventually(async () => mailsTo('gaspard.medecin@example.fr').filter((m) => m.subject.startsWith('Évaluation à 6 mois')), (mails) => mails.length === 1, 30_000);
    expect(mailsTo('gaspard.medecin@example.fr')[0].text).toContain(`https://tableau.example.fr/equipe/${team}/inclusions/${inclusionId}`);
  }, 90_000);

  it('tells the psychologist, in the inbox and by e-mail, that a seat freed on the wait list is hers', async () => {
    const publish = 'mutation($input: PublishTrainingInput!) { publishTraining(input: $input) { id sessions { id } } }';
    const session = { date: shift(today, 20), startTime: '09:00', endTime: '12:30', place: 'Maison des associations, Testville', capacity: 1 };
    const training = await onceKnown(() =>
      platform.query<{ publishTraining: { id: string; sessions: { id: string }[] } }>(coordinator, publish, {
        input: { networkId: coordinator.networkIds[0], title: 'Repérage précoce et intervention brève', theme: 'ALCOHOL', audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'], format: 'IN_PERSON', registrationClosesOn: shift(today, 10), sessions: [session] },
      }),
    );
    trainingId = training.publishTraining.id;
    sessionId = training.publishTraining.sessions[0].id;
    const register = 'mutation($s: ID!) { registerForTraining(sessionId: $s) { id status } }';
    const gpRegistration = await onceKnown(() => platform.query<{ registerForTraining: { id: string; status: string } }>(gp, register, { s: sessionId }));
    const psyRegistration = await onceKnown(() => platform.query<{ registerForTraining: { id: string; status: string } }>(psychologist, register, { s: sessionId }));
    expect([gpRegistration.registerForTraining.status, psyRegistration.registerForTraining.status]).toEqual(['REGISTERED', 'WAITLISTED']);
    await platform.data(gp, 'mutation($r: ID!) { cancelTrainingRegistration(registrationId: $r) { status } }', { r: gpRegistration.registerForTraining.id });

    const [promotion] = await noticeOf(psychologist, 'WAIT_LIST_PROMOTION');
    expect(promotion).toMatchObject({ title: 'Une place s’est libérée : vous êtes inscrit·e à « Repérage précoce et intervention brève »', link: '/formations', readAt: null });
    expect(promotion.body).toContain(`pour la session du ${fr(shift(today, 20))}`);
    const mails = await eventually(async () => mailsTo('pauline.psy@example.fr').filter((m) => m.subject === promotion.title), (list) => list.length === 1, 30_000);
    expect(mails[0].text).toContain(promotion.body);
    expect((await inbox(gp)).notifications.filter((n) => n.kind === 'WAIT_LIST_PROMOTION')).toEqual([]);
  }, 90_000);

  it('tells the people registered that the training changed, then that it is cancelled', async () => {
    await platform.data(coordinator, 'mutation($input: UpdateTrainingInput!) { updateTraining(input: $input) { id } }', {
      input: {
        trainingId,
        title: 'Repérage précoce et intervention brève',
        theme: 'ALCOHOL',
        audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
        format: 'IN_PERSON',
        registrationClosesOn: shift(today, 10),
        sessions: [{ id: sessionId, date: shift(today, 21), startTime: '09:00', endTime: '12:30', place: 'Hôtel de région, Testville', capacity: 1 }],
      },
    });
    const [changed] = await noticeOf(psychologist, 'TRAINING_CHANGED');
    expect(changed.body).toContain(`Sessions prévues le ${fr(shift(today, 21))}.`);
    await platform.data(coordinator, 'mutation($input: CancelTrainingInput!) { cancelTraining(input: $input) { status } }', { input: { trainingId, reason: 'TRAINER_UNAVAILABLE' } });
    const [cancelled] = await noticeOf(psychologist, 'TRAINING_CANCELLED');
    expect(cancelled.title).toBe('La formation « Repérage précoce et intervention brève » est annulée');
    await eventually(async () => mailsTo('pauline.psy@example.fr').map((m) => m.subject), (subjects) => subjects.includes(cancelled.title) && subjects.includes(changed.title), 30_000);
  }, 90_000);

  it('tells every member that a case-review meeting is planned; the member without e-mail in the inbox only', async () => {
    const scheduledOn = shift(today, 10);
    await platform.data(gp, 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }', {
      input: { microstructureId: team, scheduledOn, format: 'IN_PERSON', place: 'Salle de réunion du cabinet', expectedAttendeeIds: [gp.professionalId, psychologist.professionalId] },
    });
    for (const member of [gp, psychologist, socialWorker]) {
      const [planned] = await noticeOf(member, 'MEETING_SCHEDULED');
      expect(planned).toMatchObject({ title: `Réunion de concertation le ${fr(scheduledOn)}`, link: `/equipe/${team}` });
      expect(planned.body).not.toContain('Salle de réunion du cabinet');
    }
    await eventually(async () => received.filter((m) => m.subject === `Réunion de concertation le ${fr(scheduledOn)}`).map((m) => m.to).sort(), (to) => to.length === 2, 30_000);
    expect(received.filter((m) => m.subject === `Réunion de concertation le ${fr(scheduledOn)}`).map((m) => m.to).sort()).toEqual(['gaspard.medecin@example.fr', 'pauline.psy@example.fr']);
    expect(received.some((m) => /Soline|Social-Notif/.test(m.to))).toBe(false);
  }, 90_000);

  it('marks read only the caller’s own notices; another’s notice is answered as a missing one; a coordinator has an empty inbox, an anonymous caller none', async () => {
    const mine = await inbox(socialWorker);
    const theirs = (await inbox(psychologist)).notifications[0];
    const refused = await platform.query(socialWorker, MARK_READ, { ids: [mine.notifications[0].id, theirs.id] });
    expect(codesOf(refused)).toEqual(['NOTIFICATION_NOT_FOUND']);
    expect((await inbox(socialWorker)).unreadCount).toBe(mine.unreadCount);
    const marked = await platform.data<{ markNotificationsRead: InboxView }>(socialWorker, MARK_READ, { ids: [mine.notifications[0].id] });
    expect(marked.markNotificationsRead.unreadCount).toBe(mine.unreadCount - 1);
    expect((await inbox(socialWorker, true)).notifications.map((n) => n.id)).not.toContain(mine.notifications[0].id);
    expect((await platform.data<{ markNotificationsRead: InboxView }>(socialWorker, MARK_READ, {})).markNotificationsRead.unreadCount).toBe(0);
    expect((await inbox(psychologist)).notifications.find((n) => n.id === theirs.id)?.readAt).toBeNull();
    expect(await inbox(coordinator)).toEqual({ unreadCount: 0, notifications: [] });
    expect(codesOf(await platform.query(null, INBOX))).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps nothing of the patient’s identity: not in a notice, not in an e-mail, not in any table of the notifications service', async () => {
    const tables = await database.pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'notifications'`);
    let everything = JSON.stringify(received);
    for (const { table_name } of tables.rows) everything += JSON.stringify((await database.pool.query(`select * from notifications.${table_name}`)).rows);
    expect(everything).toContain(inclusionId);
    for (const value of [PATIENT.lastName, PATIENT.firstName, PATIENT.birthDate, fr(PATIENT.birthDate), 'Quenelle']) expect(everything).not.toContain(value);
  });
});

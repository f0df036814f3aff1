import { randomUUID } from 'node:crypto';
import { Identity } from '@cnrms/auth';
import { PostgresEventStore } from '@cnrms/eventsourcing';
import { createTestDatabase, pdfText, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform } from './platform';

/**
 * Trainings end to end: the whole platform on a fresh database without demo data. Coordinators build
 * two networks' teams in the directory; the directory's events reach the training service through the
 * bus. Coordinators and the national coordination publish trainings and a national day, professionals
 * register (wait list beyond capacity, promotion on cancellation), attendance is recorded, hours and
 * certificates are read; every refusal leaves the training service's events and read models as they
 * were; each role sees only what it may. Last, 50 professionals register at once for 20 seats.
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const frenchDate = (date: string) => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

const TRAINING = 'id networkId kind title theme audience format registrationClosesOn';
const SESSION = 'id date startTime endTime place capacity hours registeredCount waitListedCount seatsLeft attendedCount';
const REGISTRATION = 'id trainingId sessionId professionalId networkId profession status waitListRank attended attendedHours promotedAt cancelledAt';
const publish = `mutation($input: PublishTrainingInput!) { publishTraining(input: $input) { ${TRAINING} sessions { ${SESSION} } } }`;
const register = `mutation($s: ID!) { registerForTraining(sessionId: $s) { ${REGISTRATION} } }`;
const cancel = `mutation($r: ID!) { cancelTrainingRegistration(registrationId: $r) { ${REGISTRATION} } }`;
const attend = `mutation($input: RecordAttendanceInput!) { recordTrainingAttendance(input: $input) { ${SESSION} } }`;
const REGISTRATIONS_OF = `query($p: ID!) { professionalRegistrations(professionalId: $p) { ${REGISTRATION} training { title } } }`;
const TRAINING_REGISTRATIONS = `query($t: ID!) { training(id: $t) { id registrations { ${REGISTRATION} } } }`;
const CERTIFICATE = 'query($r: ID!) { certificate(registrationId: $r) { fileName contentType contentBase64 } }';

type SessionView = { id: string; date: string; startTime: string; endTime: string; place: string | null; hours: number; capacity: number; registeredCount: number; waitListedCount: number; seatsLeft: number; attendedCount: number };
type TrainingView = { id: string; networkId: string | null; title: string; sessions: SessionView[] };
type RegistrationView = { id: string; professionalId: string; networkId: string; status: string; waitListRank: number | null; attended: boolean; attendedHours: number | null; promotedAt: string | null };

describe('training through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const funder: Identity = { userId: 'u-funder', roles: ['funder'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let otherCoordinator: Identity;
  let gp: Identity;
  let psychologist: Identity;
  let socialWorker: Identity;
  let otherGp: Identity;
  let networkId: string;
  let otherNetworkId: string;
  let expectedMemberships = 0;

  /** The hepatitis C morning (today, 2 seats), the alcohol session (in ten days, 1 seat). */
  let morning: TrainingView;
  let alcohol: TrainingView;
  const registrationOf: Record<string, string> = {};

  const professional = (id: string, microstructureId: string, network: string, name: string): Identity => ({
    userId: `u-${name}`,
    displayName: name,
    roles: ['professional'],
    networkIds: [network],
    microstructureIds: [microstructureId],
    professionalId: id,
  });
  const session = (overrides: object = {}) => ({ date: today, startTime: '09:00', endTime: '12:30', place: 'Maison des associations, Testville', capacity: 2, ...overrides });

  /** What a refused command must not change: the service's events and its registrations. */
  const footprint = async () => ({
    events: Number((await database.pool.query('select count(*) from training.events')).rows[0].count),
    registrations: (await database.pool.query('select id, status, attended from training.registrations order by id')).rows,
    trainings: Number((await database.pool.query('select count(*) from training.trainings')).rows[0].count),
  });
  async function expectRefused(send: () => Promise<GraphQLAnswer<unknown>>, codes: string[], message?: RegExp) {
    const before = await footprint();
    const answer = await send();
    expect(codes).toContain(codesOf(answer)[0]);
    expect(answer.errors?.[0].message).toEqual(expect.any(String));
    if (message) expect(answer.errors?.[0].message).toMatch(message);
    expect(await footprint()).toEqual(before);
    return answer;
  }

  async function team(network: string, name: string, people: { firstName: string; lastName: string; profession: string }[]) {
    const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(national, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
      input: { networkId: network, name, department: '67', practiceSite: { name: `Cabinet ${name}`, type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
    });
    const ids: string[] = [];
    for (const person of people) {
      const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(national, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: person });
      await platform.data(national, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: shift(today, -100) } });
      ids.push(registerProfessional.id);
    }
    expectedMemberships += people.length;
    return { id: createMicrostructure.id, ids };
  }
  /** Waits until every membership created so far has reached the training service. */
  const directoryKnown = () =>
    eventually(async () => Number((await database.pool.query('select count(*) from training.memberships')).rows[0].count), (n) => n === expectedMemberships, 60_000);

  beforeAll(async () => {
    database = await createTestDatabase('e2e_training');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 3500, demoData: false });
    const network = async (name: string) =>
      (await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input: { name, region: '44', departments: ['67'] } }))
        .createRegionalNetwork.id;
    networkId = await network('Réseau e2e des formations');
    otherNetworkId = await network('Réseau e2e voisin des formations');
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] };
    otherCoordinator = { userId: 'u-other-coordinator', roles: ['regional_coordinator'], networkIds: [otherNetworkId], microstructureIds: [] };
    const first = await team(networkId, 'Microstructure e2e des Formations', [
      { firstName: 'Gaspard', lastName: 'Médecin-Formation', profession: 'GENERAL_PRACTITIONER' },
      { firstName: 'Pauline', lastName: 'Psy-Formation', profession: 'PSYCHOLOGIST' },
      { firstName: 'Soline', lastName: 'Social-Formation', profession: 'SOCIAL_WORKER' },
    ]);
    const second = await team(otherNetworkId, 'Microstructure e2e voisine des Formations', [{ firstName: 'Victor', lastName: 'Autre-Formation', profession: 'GENERAL_PRACTITIONER' }]);
    gp = professional(first.ids[0], first.id, networkId, 'gp');
    psychologist = professional(first.ids[1], first.id, networkId, 'psychologist');
    socialWorker = professional(first.ids[2], first.id, networkId, 'social-worker');
    otherGp = professional(second.ids[0], second.id, otherNetworkId, 'other-gp');
    await directoryKnown();
    await eventually(async () => Number((await database.pool.query('select count(*) from training.networks')).rows[0].count), (n) => n === 2);
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  describe('publishing', () => {
    it('lets a regional coordinator publish their network’s training, hours defaulting to the session’s length', async () => {
      const input = { networkId, title: 'Hépatite C : dépister et traiter en ville', theme: 'HEPATITIS_C', audience: ['PSYCHOLOGIST', 'GENERAL_PRACTITIONER'], format: 'IN_PERSON', registrationClosesOn: today, sessions: [session()] };
      morning = (await platform.data<{ publishTraining: TrainingView }>(coordinator, publish, { input })).publishTraining;
      expect(morning).toMatchObject({ networkId, kind: 'TRAINING', theme: 'HEPATITIS_C', audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'], registrationClosesOn: today });
      expect(morning.sessions).toEqual([expect.objectContaining({ date: today, hours: 3.5, capacity: 2, registeredCount: 0, seatsLeft: 2 })]);
      const remote = { networkId, title: 'Repérage précoce et alcool', theme: 'ALCOHOL', audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'], format: 'REMOTE', registrationClosesOn: shift(today, 5) };
      alcohol = (await platform.data<{ publishTraining: TrainingView }>(coordinator, publish, { input: { ...remote, sessions: [session({ date: shift(today, 10), startTime: '14:00', endTime: '16:00', place: null, capacity: 1 })] } }))
        .publishTraining;
      expect(alcohol.sessions[0]).toMatchObject({ hours: 2, capacity: 1 });
    });

    describe('refuses, writing nothing', () => {
      const input = (overrides: object = {}) => ({ networkId, title: 'Formation refusée', theme: 'SOCIAL_RIGHTS', audience: ['SOCIAL_WORKER'], format: 'IN_PERSON', registrationClosesOn: today, sessions: [session()], ...overrides });

      it('a session ending before it starts', async () => {
        await expectRefused(() => platform.query(coordinator, publish, { input: input({ sessions: [session({ startTime: '14:00', endTime: '12:00' })] }) }), ['SESSION_ENDS_BEFORE_START'], /doit finir après avoir commencé/);
      });
      it('another network’s training, a national one, by a regional coordinator', async () => {
        await expectRefused(() => platform.query(otherCoordinator, publish, { input: input() }), ['FORBIDDEN'], /coordinations du réseau/);
        await expectRefused(() => platform.query(coordinator, publish, { input: input({ networkId: null }) }), ['FORBIDDEN'], /coordination nationale/);
      });
      it('a training published by a professional or a funder', async () => {
        await expectRefused(() => platform.query(gp, publish, { input: input() }), ['FORBIDDEN']);
        await expectRefused(() => platform.query(funder, publish, { input: input() }), ['FORBIDDEN']);
      });
      it('a network the directory does not know, a deadline after the first session', async () => {
        await expectRefused(() => platform.query(national, publish, { input: input({ networkId: 'net-nowhere' }) }), ['NETWORK_NOT_FOUND']);
        await expectRefused(() => platform.query(coordinator, publish, { input: input({ registrationClosesOn: shift(today, 1) }) }), ['DEADLINE_AFTER_FIRST_SESSION']);
      });
    });
  });

  describe('registering', () => {
    it('gives a professional a seat', async () => {
      const { registerForTraining } = await platform.data<{ registerForTraining: RegistrationView }>(gp, register, { s: morning.sessions[0].id });
      expect(registerForTraining).toMatchObject({ professionalId: gp.professionalId, networkId, profession: 'GENERAL_PRACTITIONER', status: 'REGISTERED', waitListRank: null });
      registrationOf.gpMorning = registerForTraining.id;
    });

    it('wait-lists beyond the capacity, saying so with the rank', async () => {
      const seat = (await platform.data<{ registerForTraining: RegistrationView }>(psychologist, register, { s: alcohol.sessions[0].id })).registerForTraining;
      const first = (await platform.data<{ registerForTraining: RegistrationView }>(gp, register, { s: alcohol.sessions[0].id })).registerForTraining;
      const second = (await platform.data<{ registerForTraining: RegistrationView }>(socialWorker, register, { s: alcohol.sessions[0].id })).registerForTraining;
      expect([seat.status, first.status, first.waitListRank, second.status, second.waitListRank]).toEqual(['REGISTERED', 'WAITLISTED', 1, 'WAITLISTED', 2]);
      Object.assign(registrationOf, { psyAlcohol: seat.id, gpAlcohol: first.id, swAlcohol: second.id });
    });

    describe('refuses, writing nothing', () => {
      it('a second registration to the same session', async () => {
        await expectRefused(() => platform.query(gp, register, { s: morning.sessions[0].id }), ['ALREADY_REGISTERED'], /déjà inscrit/);
        await expectRefused(() => platform.query(socialWorker, register, { s: alcohol.sessions[0].id }), ['ALREADY_REGISTERED'], /liste d’attente/);
      });
      it('a profession the training is not for, a professional of another network', async () => {
        await expectRefused(() => platform.query(socialWorker, register, { s: morning.sessions[0].id }), ['PROFESSION_NOT_IN_AUDIENCE']);
        await expectRefused(() => platform.query(otherGp, register, { s: morning.sessions[0].id }), ['NOT_A_NETWORK_MEMBER'], /membres du réseau/);
      });
      it('a coordinator or a funder registering (only a professional registers, themselves)', async () => {
        await expectRefused(() => platform.query(coordinator, register, { s: morning.sessions[0].id }), ['FORBIDDEN']);
        await expectRefused(() => platform.query(funder, register, { s: morning.sessions[0].id }), ['FORBIDDEN']);
      });
      it('a registration after the deadline', async () => {
        // A training published last month, whose registrations closed yesterday: written as its service wrote it.
        const trainingId = randomUUID();
        const sessionId = randomUUID();
        const store = new PostgresEventStore({ pool: database.pool, schema: 'training' });
        const data = {
          trainingId,
          networkId,
          kind: 'TRAINING',
          title: 'Traitements de substitution aux opiacés',
          theme: 'OPIOID_SUBSTITUTION',
          audience: ['GENERAL_PRACTITIONER'],
          format: 'IN_PERSON',
          registrationClosesOn: shift(today, -1),
          sessions: [{ sessionId, date: shift(today, 3), startTime: '09:00', endTime: '12:00', place: 'Salle du réseau', capacity: 10, hours: 3 }],
          publishedBy: 'u-coordinator',
          publishedOn: shift(today, -30),
        };
        const metadata = { eventId: randomUUID(), correlationId: 'e2e', causationId: null, actorId: 'u-coordinator', networkId, occurredAt: new Date().toISOString(), schemaVersion: 1 };
        await store.appendToStream(`training-${trainingId}`, [{ type: 'TrainingPublished', data, metadata }], { expectedVersion: 'no_stream' });
        await eventually(async () => (await database.pool.query('select 1 from training.sessions where id = $1', [sessionId])).rowCount, (n) => n === 1);
        await expectRefused(() => platform.query(gp, register, { s: sessionId }), ['REGISTRATION_CLOSED'], /closes depuis le/);
      });
      it('cancelling someone else’s registration', async () => {
        await expectRefused(() => platform.query(gp, cancel, { r: registrationOf.psyAlcohol }), ['FORBIDDEN'], /propre inscription/);
        await expectRefused(() => platform.query(coordinator, cancel, { r: registrationOf.psyAlcohol }), ['FORBIDDEN']);
      });
    });

    it('promotes the first of the wait list when a registered professional cancels, and moves the others up', async () => {
      const { cancelTrainingRegistration } = await platform.data<{ cancelTrainingRegistration: RegistrationView }>(psychologist, cancel, { r: registrationOf.psyAlcohol });
      expect(cancelTrainingRegistration).toMatchObject({ status: 'CANCELLED', professionalId: psychologist.professionalId });
      const { training } = await platform.data<{ training: { registrations: RegistrationView[] } }>(coordinator, TRAINING_REGISTRATIONS, { t: alcohol.id });
      expect(training.registrations.map((r) => [r.professionalId, r.status, r.waitListRank, r.promotedAt !== null])).toEqual([
        [gp.professionalId, 'REGISTERED', null, true],
        [socialWorker.professionalId, 'WAITLISTED', 1, false],
        [psychologist.professionalId, 'CANCELLED', null, false],
      ]);
    });
  });

  describe('attendance (émargement)', () => {
    it('refuses, writing nothing, another network’s coordinator, a professional, and a sheet with someone not registered', async () => {
      const input = { sessionId: morning.sessions[0].id, professionalIds: [gp.professionalId] };
      await expectRefused(() => platform.query(otherCoordinator, attend, { input }), ['FORBIDDEN']);
      await expectRefused(() => platform.query(gp, attend, { input }), ['FORBIDDEN']);
      await expectRefused(() => platform.query(coordinator, attend, { input: { ...input, professionalIds: [gp.professionalId, psychologist.professionalId] } }), ['NOT_REGISTERED'], /n’est pas inscrit/);
    });

    it('records who signed, with the session’s hours; the national coordination may too', async () => {
      registrationOf.psyMorning = (await platform.data<{ registerForTraining: RegistrationView }>(psychologist, register, { s: morning.sessions[0].id })).registerForTraining.id;
      const input = { sessionId: morning.sessions[0].id, professionalIds: [gp.professionalId, psychologist.professionalId] };
      const { recordTrainingAttendance } = await platform.data<{ recordTrainingAttendance: SessionView }>(coordinator, attend, { input });
      expect(recordTrainingAttendance).toMatchObject({ registeredCount: 2, attendedCount: 2, seatsLeft: 0 });
      // Signing again changes nothing.
      const before = await footprint();
      await platform.data(national, attend, { input });
      expect(await footprint()).toEqual(before);
    });
  });

  describe('hours and certificates', () => {
    const HOURS = 'query($p: ID!) { professional(id: $p) { lastName trainingHours { totalHours attendedSessionCount } trainingRegistrations { status training { title } } } }';

    it('gives a professional their hours and registrations, joined to the directory’s entity', async () => {
      const { professional: gpView } = await platform.data<{ professional: { lastName: string; trainingHours: { totalHours: number; attendedSessionCount: number }; trainingRegistrations: unknown[] } }>(gp, HOURS, { p: gp.professionalId });
      expect(gpView).toMatchObject({ lastName: 'Médecin-Formation', trainingHours: { totalHours: 3.5, attendedSessionCount: 1 } });
      expect(gpView.trainingRegistrations).toHaveLength(2);
      const { professionalRegistrations } = await platform.data<{ professionalRegistrations: RegistrationView[] }>(coordinator, REGISTRATIONS_OF, { p: gp.professionalId });
      expect(professionalRegistrations.map((r) => [r.status, r.attended, r.attendedHours])).toEqual(
        expect.arrayContaining([
          ['REGISTERED', true, 3.5],
          ['REGISTERED', false, null],
        ]),
      );
    });

    it('keeps a professional’s hours and registrations from the other network’s coordinator, other professionals and funders', async () => {
      for (const who of [otherCoordinator, psychologist, funder]) {
        expect(codesOf(await platform.query(who, REGISTRATIONS_OF, { p: gp.professionalId }))).toEqual(['FORBIDDEN']);
        expect(codesOf(await platform.query(who, 'query($p: ID!) { professional(id: $p) { trainingHours { totalHours } } }', { p: gp.professionalId }))).toContain('FORBIDDEN');
      }
      for (const who of [gp, funder, otherCoordinator]) expect(codesOf(await platform.query(who, TRAINING_REGISTRATIONS, { t: morning.id }))).toEqual(['FORBIDDEN']);
    });

    it('shows the network’s coordination the catalogue of a network and its aggregated hours, without a person; not funders (aggregated indicators only)', async () => {
      const NETWORK = 'query($n: ID!) { network(id: $n) { name trainings { title sessions { registeredCount } } trainingHours { totalHours professionalCount } } }';
      expect(codesOf(await platform.query(funder, NETWORK, { n: networkId }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await platform.query(funder, '{ trainings { title } }'))).toEqual(['FORBIDDEN']);
      const { network } = await platform.data<{ network: { name: string; trainings: { title: string }[]; trainingHours: { totalHours: number; professionalCount: number } } }>(coordinator, NETWORK, { n: networkId });
      expect(network.name).toBe('Réseau e2e des formations');
      expect(network.trainings.map((t) => t.title)).toEqual(expect.arrayContaining(['Hépatite C : dépister et traiter en ville', 'Repérage précoce et alcool']));
      expect(network.trainingHours).toEqual({ totalHours: 7, professionalCount: 2 });
      const { trainings } = await platform.data<{ trainings: { title: string }[] }>(gp, 'query($f: TrainingFilterInput) { trainings(filter: $f) { title } }', { f: { theme: 'ALCOHOL', networkId } });
      expect(trainings).toEqual([{ title: 'Repérage précoce et alcool' }]);
    });

    it('renders the certificate of attendance for the professional, a PDF that says who attended what, for how long', async () => {
      const { certificate } = await platform.data<{ certificate: { fileName: string; contentType: string; contentBase64: string } }>(gp, CERTIFICATE, { r: registrationOf.gpMorning });
      expect(certificate.contentType).toBe('application/pdf');
      expect(certificate.fileName).toMatch(/^attestation-presence-.+\.pdf$/);
      const text = (await pdfText(Buffer.from(certificate.contentBase64, 'base64'))).pages.join(' ').replace(/\s+/g, ' ').trim();
      expect(text).toContain('Attestation de présence');
      expect(text).toContain('Le réseau Réseau e2e des formations atteste que Gaspard Médecin-Formation (médecin généraliste) a suivi la formation');
      expect(text).toContain('« Hépatite C : dépister et traiter en ville »');
      expect(text).toContain(`le ${frenchDate(today)}, de 09:00 à 12:30 — Maison des associations, Testville : 3,5 h`);
      expect(text).toContain('Total : 3,5 heures de formation.');
    });

    it('gives it to the network’s coordinator, not to another professional, another network or a funder, and not without attendance', async () => {
      expect((await platform.data<{ certificate: { contentBase64: string } }>(coordinator, CERTIFICATE, { r: registrationOf.gpMorning })).certificate.contentBase64.length).toBeGreaterThan(1000);
      for (const who of [psychologist, otherCoordinator, funder]) expect(codesOf(await platform.query(who, CERTIFICATE, { r: registrationOf.gpMorning }))).toEqual(['FORBIDDEN']);
      const answer = await platform.query(socialWorker, CERTIFICATE, { r: registrationOf.swAlcohol });
      expect(codesOf(answer)).toEqual(['CERTIFICATE_NOT_AVAILABLE']);
      expect(answer.errors?.[0].message).toMatch(/Aucune présence/);
    });

    it('publishes the hours attended for reporting, with professional ids only', async () => {
      type Row = { event_type: string; data: Record<string, unknown> };
      const rows = await eventually(
        async () => (await database.pool.query<Row>(`select event_type, data from bus.events where stream_category = 'training.training.v1' order by global_position`)).rows,
        (list) => list.filter((r) => r.event_type === 'training.AttendanceRecorded').length === 2,
      );
      const attended = rows.filter((r) => r.event_type === 'training.AttendanceRecorded').map((r) => JSON.stringify(r.data));
      expect(attended.some((text) => text.includes(gp.professionalId!) && text.includes('"hours":3.5'))).toBe(true);
      expect(JSON.stringify(rows)).not.toMatch(/Médecin-Formation|Gaspard|Maison des associations/);
    });
  });

  describe('a national day', () => {
    it('is published by the national coordination, open to every network’s members, counted per network', async () => {
      const input = {
        kind: 'NATIONAL_EVENT',
        title: 'Journée nationale des microstructures (e2e)',
        theme: 'OTHER',
        audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'],
        format: 'IN_PERSON',
        registrationClosesOn: shift(today, 10),
        sessions: [session({ date: shift(today, 20), startTime: '09:30', endTime: '17:00', place: 'Paris (fictif)', capacity: 300, hours: 6 })],
      };
      await expectRefused(() => platform.query(coordinator, publish, { input }), ['FORBIDDEN']);
      const { publishTraining } = await platform.data<{ publishTraining: TrainingView & { kind: string } }>(national, publish, { input });
      expect(publishTraining).toMatchObject({ networkId: null, kind: 'NATIONAL_EVENT' });
      for (const who of [gp, psychologist, otherGp]) await platform.data(who, register, { s: publishTraining.sessions[0].id });
      const { training } = await platform.data<{ training: { countsByNetwork: unknown[] } }>(national, 'query($t: ID!) { training(id: $t) { countsByNetwork { networkId registered waitListed attended } } }', { t: publishTraining.id });
      expect(training.countsByNetwork).toEqual(
        [
          { networkId, registered: 2, waitListed: 0, attended: 0 },
          { networkId: otherNetworkId, registered: 1, waitListed: 0, attended: 0 },
        ].sort((a, b) => a.networkId.localeCompare(b.networkId)),
      );
      const { trainings } = await platform.data<{ trainings: { title: string }[] }>(otherGp, 'query { trainings(filter: { national: true }) { title } }');
      expect(trainings).toEqual([{ title: 'Journée nationale des microstructures (e2e)' }]);
    });
  });

  describe('50 professionals registering at once for 20 seats', () => {
    it('seats exactly 20 and wait-lists 30 with ranks 1 to 30, losing none', async () => {
      const crowd = await team(
        networkId,
        'Microstructure e2e de la foule',
        Array.from({ length: 50 }, (_, i) => ({ firstName: `Prénom${i}`, lastName: `Foule-${String(i).padStart(2, '0')}`, profession: 'GENERAL_PRACTITIONER' })),
      );
      await directoryKnown();
      const input = { networkId, title: 'Entretien motivationnel (session très demandée)', theme: 'MOTIVATIONAL_INTERVIEWING', audience: ['GENERAL_PRACTITIONER'], format: 'REMOTE', registrationClosesOn: shift(today, 5) };
      const { publishTraining } = await platform.data<{ publishTraining: TrainingView }>(coordinator, publish, {
        input: { ...input, sessions: [session({ date: shift(today, 15), place: null, capacity: 20 })] },
      });
      const sessionId = publishTraining.sessions[0].id;
      const answers = await Promise.all(crowd.ids.map((id) => platform.query<{ registerForTraining: RegistrationView }>(professional(id, crowd.id, networkId, id), register, { s: sessionId })));
      expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
      const statuses = answers.map((a) => a.data!.registerForTraining);
      expect(statuses.filter((r) => r.status === 'REGISTERED')).toHaveLength(20);
      expect(statuses.filter((r) => r.status === 'WAITLISTED').map((r) => r.waitListRank).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const { training } = await platform.data<{ training: { sessions: SessionView[]; registrations: RegistrationView[] } }>(coordinator, `query($t: ID!) { training(id: $t) { sessions { ${SESSION} } registrations { ${REGISTRATION} } } }`, {
        t: publishTraining.id,
      });
      expect(training.sessions[0]).toMatchObject({ registeredCount: 20, waitListedCount: 30, seatsLeft: 0 });
      expect(new Set(training.registrations.map((r) => r.professionalId))).toEqual(new Set(crowd.ids));
    }, 120_000);
  });

  describe('editing and cancelling a published training', () => {
    const TRAINING_STATE = `query($t: ID!) { training(id: $t) { id title status updatedOn cancelledOn cancellationReason sessions { ${SESSION} } registrations { ${REGISTRATION} } } }`;
    const update = `mutation($input: UpdateTrainingInput!) { updateTraining(input: $input) { id title status updatedOn sessions { ${SESSION} } } }`;
    const cancelTraining = `mutation($input: CancelTrainingInput!) { cancelTraining(input: $input) { id status cancelledOn cancellationReason } }`;
    type Edited = { id: string; title: string; status: string; updatedOn: string | null; cancelledOn: string | null; cancellationReason: string | null; sessions: SessionView[]; registrations: RegistrationView[] };
    let interview: TrainingView;
    const first = (overrides: object = {}) => ({ id: interview.sessions[0].id, date: interview.sessions[0].date, startTime: '09:00', endTime: '12:30', place: 'Maison des associations, Testville', capacity: 1, ...overrides });
    const edit = (overrides: object = {}) => ({
      trainingId: interview.id,
      title: 'Entretien motivationnel',
      theme: 'MOTIVATIONAL_INTERVIEWING',
      audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
      format: 'IN_PERSON',
      registrationClosesOn: shift(today, 10),
      sessions: [first()],
      ...overrides,
    });

    beforeAll(async () => {
      const input = { networkId, title: 'Entretien motivationnel', theme: 'MOTIVATIONAL_INTERVIEWING', audience: ['PSYCHOLOGIST', 'GENERAL_PRACTITIONER'], format: 'IN_PERSON', registrationClosesOn: shift(today, 10), sessions: [session({ date: shift(today, 20), capacity: 1 })] };
      interview = (await platform.data<{ publishTraining: TrainingView }>(coordinator, publish, { input })).publishTraining;
      registrationOf.gpInterview = (await platform.data<{ registerForTraining: RegistrationView }>(gp, register, { s: interview.sessions[0].id })).registerForTraining.id;
      registrationOf.psyInterview = (await platform.data<{ registerForTraining: RegistrationView }>(psychologist, register, { s: interview.sessions[0].id })).registerForTraining.id;
    });

    describe('refuses, writing nothing', () => {
      it('another network’s coordinator, a professional, a funder', async () => {
        for (const who of [otherCoordinator, gp, funder]) await expectRefused(() => platform.query(who, update, { input: edit({ title: 'Autre titre' }) }), ['FORBIDDEN']);
        for (const who of [otherCoordinator, gp, funder]) await expectRefused(() => platform.query(who, cancelTraining, { input: { trainingId: interview.id, reason: 'OTHER' } }), ['FORBIDDEN']);
      });
      it('a capacity below the seats taken, a session removed with registrations, an audience without a registered profession', async () => {
        await expectRefused(() => platform.query(coordinator, update, { input: edit({ sessions: [first({ capacity: 0 })] }) }), ['INVALID_CAPACITY']);
        await expectRefused(() => platform.query(coordinator, update, { input: edit({ sessions: [first({ id: null, date: shift(today, 21) })] }) }), ['SESSION_HAS_REGISTRATIONS'], /ne peut pas être retirée/);
        await expectRefused(() => platform.query(coordinator, update, { input: edit({ audience: ['PSYCHOLOGIST'] }) }), ['AUDIENCE_EXCLUDES_REGISTERED'], /GENERAL_PRACTITIONER/);
        await expectRefused(() => platform.query(coordinator, update, { input: edit({ registrationClosesOn: shift(today, 25) }) }), ['DEADLINE_AFTER_FIRST_SESSION']);
      });
      it('a session that took place, a training that started (attendance recorded this morning), an unknown training', async () => {
        const held = { title: morning.title, theme: 'HEPATITIS_C', audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'], format: 'IN_PERSON', registrationClosesOn: today };
        const today_ = { id: morning.sessions[0].id, date: today, startTime: '09:00', endTime: '12:30', place: 'Ailleurs', capacity: 2 };
        await expectRefused(() => platform.query(coordinator, update, { input: { ...held, trainingId: morning.id, sessions: [today_] } }), ['SESSION_ALREADY_HELD']);
        await expectRefused(() => platform.query(coordinator, cancelTraining, { input: { trainingId: morning.id, reason: 'OTHER' } }), ['TRAINING_ALREADY_HELD']);
        await expectRefused(() => platform.query(coordinator, cancelTraining, { input: { trainingId: 'training-nowhere', reason: 'OTHER' } }), ['TRAINING_NOT_FOUND']);
      });
    });

    it('edits the programme: a session moved and one added, seats added go to the wait list in order', async () => {
      const moved = first({ date: shift(today, 21), place: 'Hôtel de région, Testville', capacity: 2 });
      const added = { date: shift(today, 28), startTime: '14:00', endTime: '17:00', place: 'Hôtel de région, Testville', capacity: 12 };
      const { updateTraining } = await platform.data<{ updateTraining: Edited }>(coordinator, update, { input: edit({ title: 'Entretien motivationnel en microstructure', sessions: [moved, added] }) });
      expect(updateTraining).toMatchObject({ title: 'Entretien motivationnel en microstructure', status: 'PUBLISHED', updatedOn: today });
      expect(updateTraining.sessions.map((s) => [s.date, s.capacity, s.registeredCount, s.waitListedCount])).toEqual([
        [shift(today, 21), 2, 2, 0],
        [shift(today, 28), 12, 0, 0],
      ]);
      const { training } = await platform.data<{ training: Edited }>(coordinator, TRAINING_STATE, { t: interview.id });
      expect(training.registrations.map((r) => [r.professionalId, r.status, r.promotedAt !== null]).sort()).toEqual(
        [
          [gp.professionalId, 'REGISTERED', false],
          [psychologist.professionalId, 'REGISTERED', true],
        ].sort(),
      );
      // Sending the same programme again records nothing.
      const before = await footprint();
      const { training: now } = await platform.data<{ training: Edited }>(coordinator, TRAINING_STATE, { t: interview.id });
      const same = now.sessions.map(({ id, date, startTime, endTime, place, capacity, hours }) => ({ id, date, startTime, endTime, place, capacity, hours }));
      await platform.data(coordinator, update, { input: edit({ title: now.title, sessions: same }) });
      expect(await footprint()).toEqual(before);
    });

    it('cancels it: every registration cancelled with it, nobody can register or edit it afterwards, cancelling again records nothing', async () => {
      const { cancelTraining: cancelled } = await platform.data<{ cancelTraining: Edited }>(coordinator, cancelTraining, { input: { trainingId: interview.id, reason: 'TRAINER_UNAVAILABLE' } });
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelledOn: today, cancellationReason: 'TRAINER_UNAVAILABLE' });
      const { training } = await platform.data<{ training: Edited }>(coordinator, TRAINING_STATE, { t: interview.id });
      expect(training.registrations.map((r) => r.status)).toEqual(['CANCELLED', 'CANCELLED']);
      expect(training.sessions.map((s) => s.registeredCount)).toEqual([0, 0]);
      await expectRefused(() => platform.query(socialWorker, register, { s: interview.sessions[0].id }), ['TRAINING_CANCELLED'], /annulée/);
      await expectRefused(() => platform.query(coordinator, update, { input: edit({ title: 'Reprise' }) }), ['TRAINING_CANCELLED']);
      const before = await footprint();
      await platform.data(coordinator, cancelTraining, { input: { trainingId: interview.id, reason: 'OTHER' } });
      expect(await footprint()).toEqual(before);
    });

    it('tells the other services what changed and who is affected, with professional ids only', async () => {
      type Row = { event_type: string; data: { payload: Record<string, unknown> } };
      const rows = await eventually(
        async () => (await database.pool.query<Row>(`select event_type, data from bus.events where stream_id = $1 order by global_position`, [`training.training.v1-${interview.id}`])).rows,
        (list) => list.some((r) => r.event_type === 'training.TrainingCancelled'),
      );
      const updated = rows.find((r) => r.event_type === 'training.TrainingUpdated')!.data.payload;
      expect(updated).toMatchObject({ changes: ['TITLE', 'SESSIONS'], affectedProfessionalIds: [gp.professionalId, psychologist.professionalId].sort() });
      expect(rows.find((r) => r.event_type === 'training.TrainingCancelled')!.data.payload).toMatchObject({ reason: 'TRAINER_UNAVAILABLE', affectedProfessionalIds: [gp.professionalId, psychologist.professionalId].sort() });
      expect(JSON.stringify(rows)).not.toMatch(/Médecin-Formation|Gaspard|Hôtel de région/);
    }, 60_000);
  });
});

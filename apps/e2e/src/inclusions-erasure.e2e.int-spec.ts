import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform } from './platform';

/**
 * A patient's right to erasure, end to end: the identity is crypto-shredded (the patient's key is
 * destroyed), so it stays unreadable when every inclusions projection is rebuilt from the event store;
 * and nothing identifying a patient leaves the inclusions service, neither on the integration bus nor
 * in any service's logs (captured at debug level), nor stays in clear in any table.
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const daysAgo = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const nir = (body: string) => body + String(97 - Number(BigInt(body) % 97n)).padStart(2, '0');

// Fictional patients. The erased one sorts first by name, so that "erased patients last" shows.
const abrilande = { lastName: 'Abrilande', firstName: 'Léocadie', birthDate: '1979-08-21', sex: 'FEMALE', contact: 'leocadie.abrilande@exemple.test, 07 98 76 54 32', socialSecurityNumber: nir('2790813055321') };
const bellegrive = { lastName: 'Bellegrive', firstName: 'Anselme', birthDate: '1958-12-05', sex: 'MALE', contact: 'Foyer des Essais, chambre 12, Testville', socialSecurityNumber: nir('1581269123456') };
const cormelan = { lastName: 'Cormelan', firstName: 'Ondine', birthDate: '2001-03-17', sex: 'FEMALE', contact: '01 23 45 67 89' };
/** Sent in a refused inclusion: a refusal must not leak either. */
const refused = { lastName: 'Sansaccord', firstName: 'Gontran', birthDate: '1990-10-10', sex: 'MALE', contact: 'gontran.sansaccord@exemple.test' };
/** Sent in every other kind of refusal the service can give (bad date, control character, birth after inclusion, unknown team or GP). */
const malformed = { lastName: 'Datefausse', firstName: 'Eulalie', birthDate: '1961-02-30', sex: 'FEMALE', contact: '06 61 02 30 00' };
const invisible = { lastName: 'Invisiblet', firstName: 'Prosper', birthDate: '1971-07-07', sex: 'MALE', contact: 'rue des Essais\u0007 06 55 44 33 22' };
const unborn = { lastName: 'Avantnaissance', firstName: 'Clothilde', birthDate: '2061-06-16', sex: 'FEMALE', contact: 'clothilde@exemple.test' };
const carePlans: Record<string, string[]> = {
  abrilande: ['Renouer le contact avec sa sœur à Lunéville (texte libre 7731)'],
  bellegrive: ['Trouver un hébergement stable avant décembre (texte libre 8842)'],
};
const situation = { housing: 'HOMELESS', income: 'NONE', healthCoverage: 'AME', mainSubstances: ['COCAINE'], daysOfUseLast30: 12 };

/** Every identifying value of the test patients, as a string a leak would contain. */
function identifyingValues(): { what: string; value: string }[] {
  const values: { what: string; value: string }[] = [];
  for (const patient of [abrilande, bellegrive, cormelan, refused, malformed, invisible, unborn] as Record<string, string | undefined>[]) {
    for (const field of ['lastName', 'firstName', 'birthDate', 'contact', 'socialSecurityNumber']) {
      const value = patient[field];
      if (value) values.push({ what: `${patient.lastName}.${field}`, value });
    }
  }
  for (const [who, texts] of Object.entries(carePlans)) for (const text of texts) values.push({ what: `${who}.carePlan`, value: text });
  return values;
}
const leaksIn = (text: string, values = identifyingValues()) => values.filter(({ value }) => text.toLowerCase().includes(value.toLowerCase())).map(({ what }) => what);

const INCLUSION = 'id patientId status includedOn inclusionNumber exit { exitedOn } carePlan { goals nextSteps erased } sessions { id kind heldOn } assessments { timepoint assessedOn } timeline { occurredOn kind professionalId }';
const PATIENT = 'id sex birthYear erased erasedAt identity { lastName firstName birthDate contact socialSecurityNumber }';
const CASELOAD = `query($ms: ID!) { caseload(microstructureId: $ms, filter: { status: ALL }, page: { first: 100 }) {
  totalCount nodes { patient { id sex birthYear erased identity { lastName firstName birthDate contact socialSecurityNumber } } inclusion { id status includedOn } }
} }`;
const SUMMARY = 'query($id: ID!) { microstructure(id: $id) { caseloadSummary { active exited dueAssessments overdueAssessments lostToFollowUpSuggested } } }';
const ERASE = `mutation($id: ID!) { erasePatientIdentity(patientId: $id) { ${PATIENT} } }`;

type PatientView = { id: string; erased: boolean; erasedAt: string | null; identity: Record<string, string | null> | null };
type InclusionView = { id: string; patientId: string; status: string; carePlan: { goals: string[]; nextSteps: string[]; erased: boolean } | null; timeline: { kind: string }[] };
type CaseloadView = { caseload: { totalCount: number; nodes: { patient: { id: string; erased: boolean; identity: { lastName: string } | null }; inclusion: { id: string; status: string } }[] } };

describe('inclusions: erasure, projection replay and personal data', () => {
  let database: TestDatabase;
  let platform: Platform;

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const admin: Identity = { userId: 'u-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let gp: Identity;
  let psychologist: Identity;
  let otherGp: Identity;
  let team: string;
  let otherTeam: string;
  let partnerId: string;
  const patientIds: Record<string, string> = {};
  const inclusionIds: Record<string, string> = {};

  const include = (who: Identity, patient: object, includedOn: string, microstructureId = team) =>
    platform.query<{ includePatient: { id: string; patientId: string } }>(who, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id patientId } }', {
      input: { microstructureId, patient, includedOn, reasons: ['ADDICTION'], treatingGpId: who.professionalId, consent: { givenOn: includedOn, teamSharing: true }, initialSituation: situation },
    });

  /** Retries while the care team has not yet reached the inclusions service, at most 60 s. */
  async function onceTheTeamIsKnown<T>(attempt: () => Promise<GraphQLAnswer<T>>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await attempt();
      if (!answer.errors?.length) return answer.data as T;
      // FORBIDDEN / NOT_FOUND by category; a rule violation (RULE_VIOLATION) by its code, e.g. MICROSTRUCTURE_NOT_OPEN.
      const category = ['FORBIDDEN', 'NOT_FOUND'].includes(String(answer.errors[0].extensions?.category)) ? String(answer.errors[0].extensions?.category) : String(answer.errors[0].extensions?.code);
      if (!['FORBIDDEN', 'NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN'].includes(category) || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(answer.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const patient = async (id: string, who: Identity = gp) => (await platform.data<{ patient: PatientView }>(who, `query($id: ID!) { patient(id: $id) { ${PATIENT} } }`, { id })).patient;
  const inclusion = async (id: string) => (await platform.data<{ inclusion: InclusionView }>(gp, `query($id: ID!) { inclusion(id: $id) { ${INCLUSION} } }`, { id })).inclusion;
  const caseload = () => platform.data<CaseloadView>(gp, CASELOAD, { ms: team });
  // The team's exact counts (the coordination's hide those below the confidentiality threshold).
  const summary = async () => (await platform.data<{ microstructure: { caseloadSummary: Record<string, number> } }>(gp, SUMMARY, { id: team })).microstructure.caseloadSummary;
  /** Everything the team and the coordination see, to compare before and after a rebuild. */
  const snapshot = async () => ({
    caseload: await caseload(),
    summary: await summary(),
    patients: await Promise.all(Object.values(patientIds).map((id) => patient(id))),
    inclusions: await Promise.all(Object.values(inclusionIds).map((id) => inclusion(id))),
    otherTeam: await platform.data(otherGp, CASELOAD, { ms: otherTeam }),
  });

  beforeAll(async () => {
    database = await createTestDatabase('e2e_inclusions_erasure');
    // Debug level: the log scan below then covers everything the services may write.
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 1700, demoData: false, env: { LOG_LEVEL: 'debug' } });

    const { createRegionalNetwork } = await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation { createRegionalNetwork(input: { name: "Réseau e2e de l’effacement", region: "44", departments: ["54"] }) { id } }');
    const networkId = createRegionalNetwork.id;
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] };
    const member = (id: string, microstructureId: string, name: string): Identity => ({ userId: `u-${name}`, roles: ['professional'], networkIds: [networkId], microstructureIds: [microstructureId], professionalId: id });

    const careTeam = async (name: string, people: { firstName: string; lastName: string; profession: string }[]) => {
      const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId, name, department: '54', practiceSite: { name: `Cabinet ${name}`, type: 'MSP', address: { street: '2 rue de l’Oubli', postalCode: '54000', city: 'Testville' } } },
      });
      const { addPartner } = await platform.data<{ addPartner: { id: string } }>(coordinator, 'mutation($input: AddPartnerInput!) { addPartner(input: $input) { id } }', {
        input: { microstructureId: createMicrostructure.id, name: `CMP e2e ${name}`, type: 'CMP' },
      });
      const ids: string[] = [];
      for (const person of people) {
        const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: person });
        await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: daysAgo(400) } });
        ids.push(registerProfessional.id);
      }
      await platform.data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: createMicrostructure.id, on: daysAgo(400) });
      return { id: createMicrostructure.id, partnerId: addPartner.id, ids };
    };
    // The GP joins last: once the GP may include, the whole team has reached the inclusions service (one ordered stream per microstructure).
    const first = await careTeam('Microstructure e2e de l’Oubli', [
      { firstName: 'Irène', lastName: 'Psychologue-Essai', profession: 'PSYCHOLOGIST' },
      { firstName: 'Hector', lastName: 'Généraliste-Essai', profession: 'GENERAL_PRACTITIONER' },
    ]);
    const second = await careTeam('Microstructure e2e du Souvenir', [{ firstName: 'Jacques', lastName: 'Voisin-Essai', profession: 'GENERAL_PRACTITIONER' }]);
    team = first.id;
    otherTeam = second.id;
    partnerId = first.partnerId;
    psychologist = member(first.ids[0], team, 'psychologist');
    gp = member(first.ids[1], team, 'gp');
    otherGp = member(second.ids[0], otherTeam, 'other-gp');
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  it('follows three patients of one team (and one of another), one of whom has left', async () => {
    for (const [key, person, includedOn] of [['abrilande', abrilande, daysAgo(90)], ['bellegrive', bellegrive, daysAgo(20)], ['cormelan', cormelan, daysAgo(50)]] as const) {
      const { includePatient } = await onceTheTeamIsKnown(() => include(gp, person, includedOn));
      patientIds[key] = includePatient.patientId;
      inclusionIds[key] = includePatient.id;
    }
    await onceTheTeamIsKnown(() => include(otherGp, { lastName: 'Voisinage', firstName: 'Rufin', birthDate: '1970-01-15', sex: 'MALE' }, daysAgo(10), otherTeam));

    const session = 'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id } }';
    for (const key of ['abrilande', 'bellegrive']) {
      await platform.data(psychologist, session, { input: { inclusionId: inclusionIds[key], kind: 'PSYCHOLOGIST_SESSION', heldOn: daysAgo(10), durationMinutes: 50, outcomes: { screenings: [{ disease: 'HIV', status: 'DONE', result: 'NEGATIVE' }], referrals: [{ partnerId }] } } });
      await platform.data(gp, 'mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { id } }', { input: { inclusionId: inclusionIds[key], goals: carePlans[key], nextSteps: ['Revoir en consultation'] } });
    }
    await platform.data(gp, 'mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { id } }', {
      input: { inclusionId: inclusionIds.abrilande, timepoint: 'INCLUSION', assessedOn: daysAgo(88), daysOfUseLast30: 12, qualityOfLifeScore: 35, housing: 'HOMELESS', employment: 'UNEMPLOYED', healthCoverage: 'AME' },
    });
    await platform.data(gp, 'mutation($input: RecordExitInput!) { recordExit(input: $input) { id } }', { input: { inclusionId: inclusionIds.cormelan, exitedOn: daysAgo(1), reason: 'MOVED' } });
    // A refused inclusion (no consent) whose identity must not leak either.
    const refusal = await platform.query(gp, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', {
      input: { microstructureId: team, patient: refused, includedOn: today, reasons: ['OTHER'], treatingGpId: gp.professionalId, initialSituation: situation },
    });
    expect(codesOf(refusal)).toEqual(['CONSENT_REQUIRED']);
    // Every other kind of refusal, each with identifying values that no log line may repeat (#13 finding 8).
    const attempt = (patient: object, overrides: object = {}) =>
      platform.query(gp, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', {
        input: { microstructureId: team, patient, includedOn: today, reasons: ['OTHER'], treatingGpId: gp.professionalId, consent: { givenOn: today, teamSharing: true, partnerSharing: [] }, initialSituation: situation, ...overrides },
      });
    for (const [patient, overrides] of [
      [malformed, {}],
      [invisible, {}],
      [unborn, {}],
      [malformed, { microstructureId: '5d0e7a4c-0000-4000-8000-000000000000' }],
      [invisible, { treatingGpId: '5d0e7a4c-0000-4000-8000-000000000001' }],
      [unborn, { includedOn: 'pas une date' }],
    ] as const) {
      const answer = await attempt(patient, overrides);
      expect(codesOf(answer).length).toBe(1);
      expect(codesOf(answer)).not.toContain('INTERNAL_SERVER_ERROR');
    }

    const listed = await eventually(caseload, (c) => c.caseload.totalCount === 3);
    expect(listed.caseload.nodes.map((n) => n.patient.identity?.lastName)).toEqual(['Abrilande', 'Bellegrive', 'Cormelan']);
  }, 120_000);

  describe('erasing a patient’s identity', () => {
    let before: Awaited<ReturnType<typeof snapshot>>;

    it('is refused to anyone outside the patient’s team, and to the coordination', async () => {
      before = await snapshot();
      for (const who of [otherGp, { ...otherGp, microstructureIds: [otherTeam, team] }, coordinator, national]) {
        const answer = await platform.query(who, ERASE, { id: patientIds.abrilande });
        expect([who.userId, answer.errors?.map((e) => e.extensions?.category ?? e.extensions?.code)]).toEqual([who.userId, ['FORBIDDEN']]);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('lets a member of the team erase it: the identity is gone everywhere, the follow-up and the counts stay', async () => {
      // Before: the team reads the care plan (free text, sealed under the patient's key).
      expect((await inclusion(inclusionIds.abrilande)).carePlan).toEqual({ goals: carePlans.abrilande, nextSteps: ['Revoir en consultation'], erased: false });
      const { erasePatientIdentity: erased } = await platform.data<{ erasePatientIdentity: PatientView }>(psychologist, ERASE, { id: patientIds.abrilande });
      expect(erased).toMatchObject({ id: patientIds.abrilande, erased: true, identity: null, sex: 'FEMALE', birthYear: 1979 });
      expect(erased.erasedAt).toEqual(expect.any(String));

      expect(await patient(patientIds.abrilande)).toMatchObject({ erased: true, identity: null });
      const followUp = await inclusion(inclusionIds.abrilande);
      expect(followUp).toMatchObject({ patientId: patientIds.abrilande, status: 'OPEN' });
      expect(followUp.timeline.map((entry) => entry.kind)).toEqual(['INCLUSION', 'ASSESSMENT', 'SESSION', 'CARE_PLAN', 'ERASURE']);
      // The care plan was shredded with the key: said so, with no text; another patient's stays readable.
      expect(followUp.carePlan).toEqual({ goals: [], nextSteps: [], erased: true });
      expect((await inclusion(inclusionIds.bellegrive)).carePlan).toMatchObject({ goals: carePlans.bellegrive, erased: false });

      const listed = await caseload();
      expect(listed.caseload.totalCount).toBe(before.caseload.caseload.totalCount);
      // Erased patients come last.
      expect(listed.caseload.nodes.map((n) => [n.patient.id, n.patient.erased, n.patient.identity?.lastName ?? null])).toEqual([
        [patientIds.bellegrive, false, 'Bellegrive'],
        [patientIds.cormelan, false, 'Cormelan'],
        [patientIds.abrilande, true, null],
      ]);
      expect(await summary()).toEqual(before.summary);
      expect((await patient(patientIds.bellegrive, psychologist)).identity).toEqual({ ...pick(bellegrive), socialSecurityNumber: bellegrive.socialSecurityNumber });

      // Erasing again changes nothing.
      const again = await platform.data<{ erasePatientIdentity: PatientView }>(gp, ERASE, { id: patientIds.abrilande });
      expect(again.erasePatientIdentity).toMatchObject({ erased: true, identity: null, erasedAt: erased.erasedAt });
    });

    it('stays erased when an administrator rebuilds every inclusions projection from zero', async () => {
      const afterErasure = await snapshot();
      expect(codesOf(await platform.query(national, 'mutation { inclusionsRebuildProjection(name: "x") }'))).toEqual(['FORBIDDEN']);
      const projections = async () => (await platform.data<{ inclusionsProjections: { name: string; behind: number; running: boolean; lastError: string | null }[] }>(admin, '{ inclusionsProjections { name behind running lastError } }')).inclusionsProjections;
      const names = (await projections()).map((p) => p.name);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(await platform.data(admin, 'mutation($name: String!) { inclusionsRebuildProjection(name: $name) }', { name })).toEqual({ inclusionsRebuildProjection: true });

      await eventually(projections, (all) => all.every((p) => p.behind === 0 && p.lastError === null), 60_000);
      const rebuilt = await eventually(snapshot, (s) => JSON.stringify(s) === JSON.stringify(afterErasure), 60_000).catch(() => snapshot());
      expect(rebuilt).toEqual(afterErasure);
      expect(await patient(patientIds.abrilande)).toMatchObject({ erased: true, identity: null });
      expect((await patient(patientIds.bellegrive)).identity?.lastName).toBe('Bellegrive');
      expect(rebuilt.summary).toEqual(before.summary);
      expect(rebuilt.caseload.caseload.totalCount).toBe(3);
    }, 150_000);
  });

  describe('personal data', () => {
    it('never travels on the integration bus', async () => {
      const { rows } = await database.pool.query<{ stream_id: string; event_type: string; text: string }>('select stream_id, event_type, data::text || metadata::text as text from bus.events order by global_position');
      // The inclusions service did publish: its inclusions, sessions, assessments, exit and the erasure.
      const published = rows.filter((row) => row.stream_id.startsWith('inclusions.')).map((row) => row.event_type);
      expect(new Set(published)).toEqual(new Set(['inclusions.PatientIncluded', 'inclusions.FollowUpSessionRecorded', 'inclusions.AssessmentRecorded', 'inclusions.ExitRecorded', 'inclusions.PatientErased']));
      const leaks = rows.flatMap((row) => leaksIn(row.text).map((what) => `${row.stream_id}: ${what}`));
      expect(leaks).toEqual([]);
    });

    it('never reaches a log line of any service', () => {
      const output = platform.output();
      // The capture works: the services did log at debug level.
      expect(output.split('\n').length).toBeGreaterThan(50);
      const lines = output.split('\n').filter((line) => leaksIn(line).length > 0);
      expect(lines.map((line) => `${leaksIn(line).join(', ')}: ${line.slice(0, 300)}`)).toEqual([]);
    });

    it('is never kept in clear in any table, the event stores included: identities and care plans are sealed, so the erased ones are unreadable everywhere', async () => {
      const identities = identifyingValues();
      const tables = await database.pool.query<{ table_schema: string; table_name: string }>(
        `select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
      );
      const found: string[] = [];
      for (const { table_schema, table_name } of tables.rows) {
        const { rows } = await database.pool.query<{ text: string }>(`select t::text as text from "${table_schema}"."${table_name}" t`);
        for (const row of rows) for (const what of leaksIn(row.text, identities)) found.push(`${table_schema}.${table_name}: ${what}`);
      }
      expect([...new Set(found)]).toEqual([]);
    });
  });
});

function pick(person: { lastName: string; firstName: string; birthDate: string; contact?: string }) {
  return { lastName: person.lastName, firstName: person.firstName, birthDate: person.birthDate, contact: person.contact ?? null };
}

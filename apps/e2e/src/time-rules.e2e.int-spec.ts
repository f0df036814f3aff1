import { randomUUID } from 'node:crypto';
import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform, tokenFor } from './platform';

/**
 * The time rules and code lists (docs/time-rules.md) end to end, on one platform without demo data:
 * 1. every service receives the bad inputs of issue #17 (dates without bounds, acts outside the life of
 *    what they belong to, free text where a code list exists) and answers the expected code, writing
 *    nothing in any event store;
 * 2. a generated test sends at least 1,000 random dates and strings (control characters, very long,
 *    right-to-left, empty) to every mutation of the supergraph, found by introspection: each answer is a
 *    coded refusal or a valid acceptance, never an internal error, and no refused request leaves an event
 *    (every request carries its own correlation id, which every stored event records).
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysAgo = (days: number) => shift(today, -days);
const TEAM_SINCE = daysAgo(500);
const OPENED_ON = daysAgo(400);
const SERVICES = ['directory', 'inclusions', 'meetings', 'training'] as const;

const situation = { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 20 };
const assessment = { daysOfUseLast30: 3, qualityOfLifeScore: 60, housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL' };

describe('time rules and code lists through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let gp: Identity;
  let psychologist: Identity;
  let closedGp: Identity;
  let networkId: string;
  let team: string;
  let neverOpened: string;
  let partnerId: string;
  let inclusionId: string;
  let oldInclusionId: string;
  let erasedInclusionId: string;
  const known: Record<string, string[]> = {};

  /** A GraphQL call with its own correlation id, which every event it records carries in its metadata. */
  async function send<T = Record<string, unknown>>(identity: Identity, query: string, variables: Record<string, unknown> = {}, correlationId = randomUUID()): Promise<GraphQLAnswer<T>> {
    const response = await fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(identity)}`, 'x-correlation-id': correlationId },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer<T>;
  }

  /** Events recorded, in every service, by the requests of these correlation ids. */
  async function eventsOf(correlationIds: string[]): Promise<number> {
    let total = 0;
    for (const service of SERVICES) {
      const { rows } = await database.pool.query(`select count(*)::int as n from ${service}.events where metadata->>'correlationId' = any($1)`, [correlationIds]);
      total += rows[0].n;
    }
    return total;
  }

  const eventCount = async () => {
    const counts: Record<string, number> = {};
    for (const service of SERVICES) counts[service] = Number((await database.pool.query(`select count(*) from ${service}.events`)).rows[0].count);
    return counts;
  };

  /** Sends a command that must be refused with `code`, and checks that no service recorded anything for it. */
  async function expectRefused(identity: Identity, query: string, variables: Record<string, unknown>, code: string) {
    const correlationId = randomUUID();
    const answer = await send(identity, query, variables, correlationId);
    expect({ codes: codesOf(answer), message: typeof answer.errors?.[0]?.message }).toEqual({ codes: [code], message: 'string' });
    expect(await eventsOf([correlationId])).toBe(0);
    return answer.errors![0].message;
  }

  /** Retries while the directory's events have not yet reached a service. */
  async function onceKnown<T>(identity: Identity, query: string, variables: Record<string, unknown>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await send<T>(identity, query, variables);
      if (!answer.errors?.length) return answer.data as T;
      // By category (FORBIDDEN, NOT_FOUND) or by code: a rule violation's category is RULE_VIOLATION, its code says which.
      const { category, code } = answer.errors[0].extensions ?? {};
      const notKnownYet = ['FORBIDDEN', 'NOT_FOUND'].includes(String(category)) || ['MICROSTRUCTURE_NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN', 'PARTNER_NOT_OF_MICROSTRUCTURE'].includes(String(code));
      if (!notKnownYet || Date.now() > deadline) {
        throw new Error(`refused: ${JSON.stringify(answer.errors)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const data = async <T = Record<string, unknown>>(identity: Identity, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const answer = await send<T>(identity, query, variables);
    if (answer.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(answer.errors)}`);
    return answer.data as T;
  };

  const includePatient = 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id patientId } }';
  const inclusionInput = (patient: object, includedOn: string, overrides: object = {}, microstructureId = team, who = gp) => ({
    microstructureId,
    patient,
    includedOn,
    reasons: ['ADDICTION'],
    treatingGpId: who.professionalId,
    consent: { givenOn: includedOn, teamSharing: true, partnerSharing: [] },
    initialSituation: situation,
    ...overrides,
  });
  const person = (firstName: string, birthDate = '1980-05-05') => ({ lastName: 'Temporel', firstName, birthDate, sex: 'FEMALE' });

  beforeAll(async () => {
    database = await createTestDatabase('e2e_time_rules');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 4200, demoData: false, timeoutMs: Number(process.env.SERVICE_READY_TIMEOUT_S ?? 120) * 1000 });

    networkId = (await data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input: { name: 'Réseau e2e des dates', region: '44', departments: ['67', '68'] } })).createRegionalNetwork.id;
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] };

    const microstructure = async (name: string, people: { firstName: string; lastName: string; profession: string }[], open: boolean) => {
      const { createMicrostructure } = await data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId, name, department: '67', practiceSite: { name: `Cabinet ${name}`, type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
      });
      const { addPartner } = await data<{ addPartner: { id: string } }>(coordinator, 'mutation($input: AddPartnerInput!) { addPartner(input: $input) { id } }', { input: { microstructureId: createMicrostructure.id, name: 'CSAPA du Temps', type: 'CSAPA' } });
      const ids: string[] = [];
      for (const someone of people) {
        const { registerProfessional } = await data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: someone });
        await data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: TEAM_SINCE } });
        ids.push(registerProfessional.id);
      }
      if (open) await data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: createMicrostructure.id, on: OPENED_ON });
      return { id: createMicrostructure.id, ids, partnerId: addPartner.id };
    };
    // The one never opened first: once the other one's opening reaches a service, so has all of it.
    const second = await microstructure('Microstructure e2e jamais ouverte', [{ firstName: 'Gilles', lastName: 'Médecin-Attente', profession: 'GENERAL_PRACTITIONER' }], false);
    const first = await microstructure('Microstructure e2e du Calendrier', [
      { firstName: 'Paula', lastName: 'Psy-Calendrier', profession: 'PSYCHOLOGIST' },
      { firstName: 'Gaston', lastName: 'Médecin-Calendrier', profession: 'GENERAL_PRACTITIONER' },
    ], true);
    team = first.id;
    neverOpened = second.id;
    partnerId = first.partnerId;
    const professional = (id: string, microstructureIds: string[], name: string): Identity => ({ userId: `u-${name}`, displayName: name, roles: ['professional'], networkIds: [networkId], microstructureIds, professionalId: id });
    psychologist = professional(first.ids[0], [team], 'psychologist');
    gp = professional(first.ids[1], [team], 'gp');
    closedGp = professional(second.ids[0], [neverOpened], 'waiting-gp');

    inclusionId = (await onceKnown<{ includePatient: { id: string } }>(gp, includePatient, { input: inclusionInput(person('Aurore'), daysAgo(30), { consent: { givenOn: daysAgo(30), teamSharing: true, partnerSharing: [partnerId] } }) })).includePatient.id;
    oldInclusionId = (await data<{ includePatient: { id: string } }>(gp, includePatient, { input: inclusionInput(person('Béryl'), daysAgo(300)) })).includePatient.id;
    const erased = (await data<{ includePatient: { id: string; patientId: string } }>(gp, includePatient, { input: inclusionInput(person('Cyrielle'), daysAgo(20)) })).includePatient;
    erasedInclusionId = erased.id;
    await data(gp, 'mutation($id: ID!) { erasePatientIdentity(patientId: $id) { erased } }', { id: erased.patientId });

    // The meetings and training services know the team, its opening and the network.
    const count = async (sql: string, params: unknown[]) => Number((await database.pool.query(sql, params)).rows[0].count);
    await eventually(() => count('select count(*) from meetings.microstructures where id = $1 and opened_on is not null', [team]), (n) => n === 1, 60_000);
    await eventually(() => count('select count(*) from meetings.memberships where microstructure_id = any($1)', [[team, neverOpened]]), (n) => n === 3, 60_000);
    await eventually(() => count('select count(*) from training.networks where id = $1', [networkId]), (n) => n === 1, 60_000);

    Object.assign(known, { network: [networkId], microstructure: [team, neverOpened], professional: [...first.ids, ...second.ids], partner: [partnerId], inclusion: [inclusionId, oldInclusionId, erasedInclusionId], patient: [erased.patientId] });
  }, Number(process.env.SERVICE_READY_TIMEOUT_S ?? 120) * 1000 + 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  describe('directory', () => {
    const addMember = 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }';

    it('refuses memberships starting in year 1 or in 9999, and openings or closings in 9999', async () => {
      const input = (startedOn: string) => ({ input: { microstructureId: team, professionalId: psychologist.professionalId, startedOn } });
      const newcomer = (await data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: { firstName: 'Nina', lastName: 'Nouvelle-Date', profession: 'SOCIAL_WORKER' } })).registerProfessional.id;
      expect(await expectRefused(coordinator, addMember, { input: { ...input('0001-01-01').input, professionalId: newcomer } }, 'DATE_TOO_EARLY')).toMatch(/1900-01-01/);
      await expectRefused(coordinator, addMember, { input: { ...input('9999-12-31').input, professionalId: newcomer } }, 'DATE_IN_FUTURE');
      await expectRefused(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: neverOpened, on: '9999-12-31' }, 'DATE_IN_FUTURE');
      await expectRefused(coordinator, 'mutation($id: ID!, $on: String!, $r: String!) { closeMicrostructure(id: $id, closedOn: $on, reason: $r) { status } }', { id: team, on: '9999-12-31', r: 'Essai' }, 'DATE_IN_FUTURE');
      await expectRefused(coordinator, 'mutation($id: ID!, $on: String!, $r: String!) { closeMicrostructure(id: $id, closedOn: $on, reason: $r) { status } }', { id: team, on: '0001-01-01', r: 'Essai' }, 'DATE_TOO_EARLY');
    });

    it('refuses a region given as free text and departments outside the region', async () => {
      const create = 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }';
      expect(await expectRefused(national, create, { input: { name: 'Réseau libre', region: 'Région imaginaire', departments: ['67'] } }, 'INVALID_REGION')).toMatch(/44 Grand Est/);
      await expectRefused(national, create, { input: { name: 'Réseau à cheval', region: 'GRAND_EST', departments: ['67', '13'] } }, 'DEPARTMENT_NOT_IN_REGION');
    });
  });

  describe('inclusions', () => {
    it('refuses an inclusion in a microstructure never opened, before its opening, or before the patient’s birth', async () => {
      await expectRefused(closedGp, includePatient, { input: inclusionInput(person('Dalia'), daysAgo(10), {}, neverOpened, closedGp) }, 'MICROSTRUCTURE_NOT_OPEN');
      await expectRefused(gp, includePatient, { input: inclusionInput(person('Dalia'), daysAgo(450)) }, 'INCLUSION_BEFORE_OPENING');
      await expectRefused(gp, includePatient, { input: inclusionInput(person('Dalia', daysAgo(100)), daysAgo(200)) }, 'INCLUSION_BEFORE_BIRTH');
    });

    it('refuses an inclusion or a consent dated in year 1 or in 9999, and a sharing consent naming no partner of the microstructure', async () => {
      await expectRefused(gp, includePatient, { input: inclusionInput(person('Dalia'), '9999-12-31') }, 'DATE_IN_FUTURE');
      await expectRefused(gp, includePatient, { input: inclusionInput(person('Dalia'), daysAgo(5), { consent: { givenOn: '0001-01-01', teamSharing: true, partnerSharing: [] } }) }, 'DATE_TOO_EARLY');
      await expectRefused(gp, includePatient, { input: inclusionInput(person('Dalia'), daysAgo(5), { consent: { givenOn: daysAgo(5), teamSharing: true, partnerSharing: ['un-partenaire-inconnu'] } }) }, 'PARTNER_NOT_OF_MICROSTRUCTURE');
    });

    it('refuses assessments outside their timepoint’s window unless a reason is given', async () => {
      const record = 'mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { __typename } }';
      await expectRefused(gp, record, { input: { inclusionId, timepoint: 'M12', assessedOn: daysAgo(30), ...assessment } }, 'ASSESSMENT_OUT_OF_WINDOW');
      await expectRefused(gp, record, { input: { inclusionId: oldInclusionId, timepoint: 'INCLUSION', assessedOn: daysAgo(110), ...assessment } }, 'ASSESSMENT_OUT_OF_WINDOW');
      const answer = await send(gp, record, { input: { inclusionId: oldInclusionId, timepoint: 'INCLUSION', assessedOn: daysAgo(110), ...assessment, outOfWindowReason: 'Patiente injoignable pendant six mois' } });
      expect(answer.errors).toBeUndefined();
    });

    it('derives the session kind from the profession, refuses a third of a day twice, and a session for an erased patient', async () => {
      const record = 'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id kind durationMinutes } }';
      const session = { inclusionId, heldOn: daysAgo(2), durationMinutes: 480 };
      const { recordFollowUpSession } = await data<{ recordFollowUpSession: { kind: string } }>(psychologist, record, { input: session });
      expect(recordFollowUpSession.kind).toBe('PSYCHOLOGIST_SESSION');
      expect(await expectRefused(psychologist, record, { input: session }, 'DAILY_SESSION_TIME_EXCEEDED')).toMatch(/480 min/);
      await expectRefused(psychologist, record, { input: session }, 'DAILY_SESSION_TIME_EXCEEDED');
      await expectRefused(psychologist, record, { input: { ...session, inclusionId: erasedInclusionId, durationMinutes: 30 } }, 'PATIENT_ERASED');
      await expectRefused(psychologist, record, { input: { ...session, heldOn: '9999-12-31', durationMinutes: 30 } }, 'DATE_IN_FUTURE');
      // With another patient the same day: at most 600 minutes of sessions a day, all patients together.
      expect(await expectRefused(psychologist, record, { input: { ...session, inclusionId: oldInclusionId, durationMinutes: 180 } }, 'PROFESSIONAL_DAY_EXCEEDED')).toMatch(/tous patients confondus/);
      await data(psychologist, record, { input: { ...session, inclusionId: oldInclusionId, durationMinutes: 120 } });
    });
  });

  describe('meetings', () => {
    const schedule = 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }';
    const input = (scheduledOn: string, microstructureId = team) => ({ input: { microstructureId, scheduledOn, format: 'VIDEO', expectedAttendeeIds: [] } });

    it('refuses meetings in year 1, in 9999, before the opening, or in a microstructure never opened', async () => {
      await expectRefused(gp, schedule, input('0001-01-01'), 'DATE_TOO_EARLY');
      await expectRefused(gp, schedule, input('9999-12-31'), 'DATE_BEYOND_HORIZON');
      await expectRefused(gp, schedule, input(daysAgo(450)), 'MEETING_BEFORE_OPENING');
      await expectRefused(closedGp, schedule, input(daysAgo(1), neverOpened), 'MICROSTRUCTURE_NOT_OPEN');
    });

    it('refuses a network meeting topic outside the list, and a note that looks like a patient’s name', async () => {
      const recordNetworkMeeting = 'mutation($input: RecordNetworkMeetingInput!) { recordNetworkMeeting(input: $input) { id } }';
      const meeting = { networkId, heldOn: daysAgo(3), topics: ['COMPLEX_SITUATIONS'], format: 'VIDEO', durationMinutes: 90, attendees: [{ professionalId: gp.professionalId, microstructureId: team }] };
      await expectRefused(coordinator, recordNetworkMeeting, { input: { ...meeting, note: 'Situation de Mme Durand' } }, 'NOTE_MAY_NAME_A_PERSON');
      const before = await eventCount();
      const answer = await send(coordinator, recordNetworkMeeting, { input: { ...meeting, topics: ['Madame Durand'] } });
      expect(codesOf(answer)[0]).toEqual(expect.any(String));
      expect(await eventCount()).toEqual(before);
      await expectRefused(coordinator, recordNetworkMeeting, { input: { ...meeting, heldOn: '0001-01-01' } }, 'DATE_TOO_EARLY');
    });
  });

  describe('training', () => {
    const publish = 'mutation($input: PublishTrainingInput!) { publishTraining(input: $input) { id } }';
    const session = (overrides: object = {}) => ({ date: shift(today, 20), startTime: '09:00', endTime: '12:30', place: 'Maison des associations, Testville', capacity: 10, ...overrides });
    const training = (sessions: object[]) => ({ input: { networkId, title: 'Formation datée', theme: 'HEPATITIS_C', audience: ['GENERAL_PRACTITIONER'], format: 'IN_PERSON', registrationClosesOn: shift(today, 10), sessions } });

    it('refuses a session in 9999 and the same session twice', async () => {
      await expectRefused(coordinator, publish, training([session({ date: '9999-12-31' })]), 'DATE_BEYOND_HORIZON');
      await expectRefused(coordinator, publish, training([session(), session()]), 'DUPLICATE_SESSION');
    });
  });

  describe('generated inputs to every mutation', () => {
    type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };
    type InputValue = { name: string; type: TypeRef };
    type SchemaType = { name: string; kind: string; inputFields: InputValue[] | null; enumValues: { name: string }[] | null };

    // A seeded generator, so that a failure can be replayed.
    let seed = 17;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const randomDay = () => `${1800 + Math.floor(random() * 400)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 31)).padStart(2, '0')}`;
    const STRINGS = [
      '',
      ' ',
      '\u0000',
      '\u0007\u0008\u001b[31m',
      'ligne 1\nligne 2\r\n\t',
      '\u202Eéssai à rebours',
      'مريض في العيادة',
      'מטופל במרפאה',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧪👩‍⚕️',
      "'; drop table inclusions.events; --",
      '<script>alert(1)</script>',
      '${process.env.AUTH_JWT_SECRET}',
      'Mme Durand',
      'x'.repeat(10_000),
      'é'.repeat(300),
      '\uFEFF\u200B',
    ];
    const DATES = ['0001-01-01', '9999-12-31', '1899-12-31', '1900-01-01', '2023-02-29', '2024-13-01', '2024-00-10', '24-01-01', '2024-01-01T00:00:00Z', '31/12/2024', ''];
    const fuzzString = () => (random() < 0.2 ? STRINGS[Math.floor(random() * 4)] + pick(STRINGS) : pick(STRINGS));
    const fuzzDate = () => {
      const roll = random();
      if (roll < 0.35) return pick(DATES);
      if (roll < 0.55) return randomDay();
      if (roll < 0.8) return shift(today, Math.floor(random() * 2000) - 1000);
      return fuzzString();
    };
    const looksLikeDate = (name: string) => /(On|Date|date|At)$/.test(name);
    const idFor = (name: string) => {
      const family = Object.keys(known).find((key) => name.toLowerCase().includes(key.toLowerCase()));
      return family && random() < 0.7 ? pick(known[family]) : random() < 0.5 ? fuzzString() : randomUUID();
    };

    function valueOf(type: TypeRef, name: string, types: Map<string, SchemaType>, depth: number): unknown {
      if (type.kind === 'NON_NULL') return valueOf(type.ofType!, name, types, depth);
      if (random() < 0.08) return null;
      switch (type.kind) {
        case 'LIST':
          return Array.from({ length: Math.floor(random() * 3) }, () => valueOf(type.ofType!, name, types, depth + 1));
        case 'ENUM':
          return pick(types.get(type.name!)!.enumValues!.map((v) => v.name));
        case 'INPUT_OBJECT': {
          const fields = types.get(type.name!)!.inputFields ?? [];
          if (depth > 3) return {};
          return Object.fromEntries(fields.map((field) => [field.name, valueOf(field.type, field.name, types, depth + 1)]).filter(([, value]) => value !== undefined));
        }
        default:
          switch (type.name) {
            case 'ID':
              return idFor(name);
            case 'Int':
              return pick([0, -1, 1, 30, 45, 480, 481, 100_000, 2_147_483_647, Math.floor(random() * 1000)]);
            case 'Float':
              return pick([0, -1.5, 0.25, 3.5, 1e9, random() * 100]);
            case 'Boolean':
              return random() < 0.5;
            default:
              return looksLikeDate(name) ? fuzzDate() : fuzzString();
          }
      }
    }

    const typeName = (type: TypeRef): string => (type.kind === 'NON_NULL' ? `${typeName(type.ofType!)}!` : type.kind === 'LIST' ? `[${typeName(type.ofType!)}]` : type.name!);

    it('answers ≥ 1,000 random dates and strings with a coded refusal or a valid acceptance, and writes nothing when it refuses', async () => {
      const admin: Identity = {
        userId: 'u-everyone',
        displayName: 'Essai',
        roles: ['admin', 'national_coordinator', 'regional_coordinator', 'professional'],
        networkIds: [networkId],
        microstructureIds: [team, neverOpened],
        professionalId: gp.professionalId,
      };
      const TYPE = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
      const { __schema } = await data<{ __schema: { mutationType: { fields: { name: string; args: InputValue[]; type: TypeRef }[] }; types: SchemaType[] } }>(
        admin,
        `{ __schema { mutationType { fields { name args { name type { ${TYPE} } } type { ${TYPE} } } } types { name kind inputFields { name type { ${TYPE} } } enumValues { name } } } }`,
      );
      const types = new Map(__schema.types.map((t) => [t.name, t]));
      // Every mutation that takes input (the one without, the reporting rebuild, has nothing to send).
      const mutations = __schema.mutationType.fields.filter((mutation) => mutation.args.length > 0);
      expect(mutations.length).toBeGreaterThan(15);
      const perMutation = Math.ceil(1000 / mutations.length);

      const cases = mutations.flatMap((mutation) =>
        Array.from({ length: perMutation }, () => {
          const variables = Object.fromEntries(mutation.args.map((arg) => [arg.name, valueOf(arg.type, arg.name, types, 0)]));
          const declarations = mutation.args.map((arg) => `$${arg.name}: ${typeName(arg.type)}`).join(', ');
          const call = mutation.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
          const selection = ['OBJECT', 'INTERFACE'].includes((mutation.type.kind === 'NON_NULL' ? mutation.type.ofType! : mutation.type).kind) ? ' { __typename }' : '';
          const query = `mutation${declarations ? `(${declarations})` : ''} { ${mutation.name}${call ? `(${call})` : ''}${selection} }`;
          return { mutation: mutation.name, query, variables, correlationId: randomUUID() };
        }),
      );
      expect(cases.length).toBeGreaterThanOrEqual(1000);

      const refused: string[] = [];
      const problems: string[] = [];
      const tally = { accepted: 0, refused: 0 };
      // Four requests at a time: the machine is shared; the correlation ids tell the requests apart.
      for (let start = 0; start < cases.length; start += 4) {
        await Promise.all(
          cases.slice(start, start + 4).map(async (sent) => {
            const answer = await send(admin, sent.query, sent.variables, sent.correlationId);
            if (!answer.errors?.length) {
              tally.accepted++;
              if (answer.data?.[sent.mutation] === undefined) problems.push(`${sent.mutation}: accepted without an answer`);
              return;
            }
            tally.refused++;
            refused.push(sent.correlationId);
            for (const error of answer.errors) {
              const code = error.extensions?.code;
              const shown = `${sent.mutation} ${JSON.stringify(sent.variables).slice(0, 300)} → ${code}: ${error.message.slice(0, 300)}`;
              if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') problems.push(`internal error: ${shown}`);
              else if (/\bat .+:\d+:\d+|SELECT |INSERT |relation "|TypeError|ReferenceError|Cannot read prop/.test(error.message)) problems.push(`leak: ${shown}`);
              else if (error.message.trim() === '') problems.push(`no message: ${shown}`);
            }
          }),
        );
      }
      expect(problems).toEqual([]);
      expect(tally.refused).toBeGreaterThan(0);
      expect(await eventsOf(refused)).toBe(0);
    }, 900_000);
  });
});

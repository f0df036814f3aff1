import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { DEV_JWT_SECRET, Identity, signIdentityHeaders, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@cnrms/auth';
import jwt from 'jsonwebtoken';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { GraphQLAnswer, Platform } from './platform';
import {
  composedSupergraphSdl,
  expectedAnswer,
  MatrixCell,
  minimalRequest,
  renderMatrix,
  repositoryRoot,
  satisfies,
  securityRoles,
  SecurityRolesWithExpectations,
  SUBGRAPHS,
  supergraphOperations,
} from './security-operations';

/**
 * The security suite (issue #13): every Query and Mutation of the composed supergraph, asked through the
 * gateway by every caller of the roles table (docs/security-roles.json) on a small real world — a network, an
 * opened microstructure with its team, a former member, a professional of another team, a patient, a meeting,
 * a training — with a minimal request generated from the schema and the world's real ids. Each answer is
 * classified (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, or allowed: data, or a refusal past authorisation such as
 * a validation error) and compared with the roles table; the matrix is written to docs/security-matrix.md.
 * Then each subgraph asked directly, without the gateway's signature, `_entities` and `_service` included.
 *
 * Mutations run after every query, the callers the table refuses before those it allows, and the ones that
 * would change the world for the following cells (ending a membership, closing the microstructure, erasing the
 * patient) last; their targets are a second member, not the `member` caller.
 */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const daysAgo = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const CALLER_ORDER = ['anonymous', 'funder', 'non_member', 'former_member', 'member', 'regional_coordinator', 'national_coordinator', 'admin'];
const LAST = [
  'Mutation.endMembership',
  'Mutation.removeMember',
  'Mutation.closeMicrostructure',
  'Mutation.erasePatientIdentity',
  'Mutation.cancelTraining',
  'Mutation.cancelMeeting',
  // Rebuilds empty read models for a while: after every other cell.
  'Mutation.directoryRebuildProjection',
  'Mutation.inclusionsRebuildProjection',
  'Mutation.meetingsRebuildProjection',
  'Mutation.trainingRebuildProjection',
  'Mutation.reportingRebuildProjection',
  'Mutation.reportingStartRebuild',
  'Mutation.notificationsRebuildProjection',
];
/** A projection of each service, for its rebuild (any other name is NOT_FOUND). */
const PROJECTIONS = {
  'directoryRebuildProjection.name': 'directory.networks.v1',
  'inclusionsRebuildProjection.name': 'inclusions.caseload.v1',
  'trainingRebuildProjection.name': 'training.trainings.v1',
  'meetingsRebuildProjection.name': 'meetings.meetings.v1',
};
/** Reporting and notifications keep no projection of an event store (they read the bus): every name is unknown, past authorisation. */
const NOTHING_TO_NAME = new Set(['Mutation.reportingRebuildProjection', 'Mutation.notificationsRebuildProjection']);
/** Operations about the `member` caller's own records: the GP, not the psychologist the others act on. */
const OWN = new Set(['Query.professionalRegistrations', 'Query.certificate', 'Mutation.cancelTrainingRegistration']);

/** What a caller got: the error class that the roles table speaks of, else `allowed`. */
function classify(answer: GraphQLAnswer<unknown>): string {
  const error = answer.errors?.[0];
  if (!error) return 'allowed';
  const code = String(error.extensions?.code ?? '');
  const category = String(error.extensions?.category ?? '');
  if (code === 'UNAUTHENTICATED' || category === 'UNAUTHENTICATED') return 'UNAUTHENTICATED';
  if (code === 'FORBIDDEN' || category === 'FORBIDDEN') return 'FORBIDDEN';
  if (code === 'NOT_FOUND' || category === 'NOT_FOUND') return 'NOT_FOUND';
  return 'allowed';
}

describe('security suite: the role × operation matrix through the gateway, and every subgraph without it', () => {
  let database: TestDatabase;
  let platform: Platform;
  const roles = securityRoles() as SecurityRolesWithExpectations;
  const operations = supergraphOperations();
  const ids: Record<string, string> = {};
  const callers: Record<string, Identity | null> = {};

  const projectionNames: Record<string, string> = { ...PROJECTIONS };
  const national: Identity = { userId: 'u-sec-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };

  /** Retries while the directory's events have not reached the other services yet. */
  async function once<T>(who: Identity, query: string, variables: Record<string, unknown>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await platform.query<T>(who, query, variables);
      if (!answer.errors?.length) return answer.data as T;
      if (Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(answer.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_security_matrix');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 5850, demoData: false });
    const { createRegionalNetwork } = await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($i: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $i) { id } }', {
      i: { name: 'Réseau de la matrice', region: '44', departments: ['67'] },
    });
    ids.networkId = createRegionalNetwork.id;
    const team = async (name: string) =>
      (
        await platform.data<{ createMicrostructure: { id: string } }>(national, 'mutation($i: CreateMicrostructureInput!) { createMicrostructure(input: $i) { id } }', {
          i: { networkId: ids.networkId, name, department: '67', practiceSite: { name: `Cabinet ${name}`, type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
        })
      ).createMicrostructure.id;
    const professional = async (firstName: string, profession: string) =>
      (await platform.data<{ registerProfessional: { id: string } }>(national, 'mutation($i: RegisterProfessionalInput!) { registerProfessional(input: $i) { id } }', { i: { firstName, lastName: 'Matrice', profession } }))
        .registerProfessional.id;
    const member = (microstructureId: string, professionalId: string, startedOn = daysAgo(200)) =>
      platform.data(national, 'mutation($i: AddMemberInput!) { addMember(input: $i) { active } }', { i: { microstructureId, professionalId, startedOn } });
    ids.microstructureId = await team('Microstructure de la matrice');
    const otherTeam = await team('Microstructure voisine de la matrice');
    const gp = await professional('Gérald', 'GENERAL_PRACTITIONER');
    const psychologist = await professional('Prune', 'PSYCHOLOGIST');
    const former = await professional('Fanny', 'SOCIAL_WORKER');
    const outsider = await professional('Octave', 'GENERAL_PRACTITIONER');
    await member(ids.microstructureId, gp);
    await member(ids.microstructureId, psychologist);
    await member(ids.microstructureId, former);
    await member(otherTeam, outsider);
    for (const id of [ids.microstructureId, otherTeam]) await platform.data(national, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id, on: daysAgo(200) });
    await platform.data(national, 'mutation($i: EndMembershipInput!) { endMembership(input: $i) { active } }', { i: { microstructureId: ids.microstructureId, professionalId: former, endedOn: daysAgo(10) } });
    // Operations that name a professional act on the psychologist, not on the `member` caller (the GP).
    ids.professionalId = psychologist;
    const { addPartner } = await platform.data<{ addPartner: { id: string } }>(national, 'mutation($i: AddPartnerInput!) { addPartner(input: $i) { id } }', {
      i: { microstructureId: ids.microstructureId, name: 'CSAPA de la matrice', type: 'CSAPA' },
    });
    ids.partnerId = addPartner.id;

    const teamIdentity = (userId: string, professionalId: string, microstructureId: string): Identity => ({ userId, roles: ['professional'], networkIds: [ids.networkId], microstructureIds: [microstructureId], professionalId });
    Object.assign(callers, {
      national_coordinator: national,
      admin: { userId: 'u-sec-admin', roles: ['admin'], networkIds: [], microstructureIds: [] },
      regional_coordinator: { userId: 'u-sec-regional', roles: ['regional_coordinator'], networkIds: [ids.networkId], microstructureIds: [] },
      member: teamIdentity('u-sec-gp', gp, ids.microstructureId),
      // Its token names the microstructure: only the directory's memberships say it is not (or no longer) in the team.
      non_member: teamIdentity('u-sec-outsider', outsider, ids.microstructureId),
      former_member: teamIdentity('u-sec-former', former, ids.microstructureId),
      funder: { userId: 'u-sec-funder', roles: ['funder'], networkIds: [ids.networkId], microstructureIds: [] },
      anonymous: null,
    });
    const gpIdentity = callers.member as Identity;
    const situation = { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 10 };
    const { includePatient } = await once<{ includePatient: { id: string; patientId: string } }>(gpIdentity, 'mutation($i: IncludePatientInput!) { includePatient(input: $i) { id patientId } }', {
      i: {
        microstructureId: ids.microstructureId,
        patient: { lastName: 'Matrice', firstName: 'Paula', birthDate: '1980-01-01', sex: 'FEMALE' },
        includedOn: daysAgo(20),
        reasons: ['ADDICTION'],
        treatingGpId: gp,
        consent: { givenOn: daysAgo(20), teamSharing: true, partnerSharing: [] },
        initialSituation: situation,
      },
    });
    ids.inclusionId = includePatient.id;
    ids.patientId = includePatient.patientId;
    const { scheduleMeeting } = await once<{ scheduleMeeting: { id: string } }>(gpIdentity, 'mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { id } }', {
      i: { microstructureId: ids.microstructureId, scheduledOn: today, format: 'VIDEO', expectedAttendeeIds: [] },
    });
    ids.meetingId = scheduleMeeting.id;
    const { publishTraining } = await once<{ publishTraining: { id: string; sessions: { id: string }[] } }>(national, 'mutation($i: PublishTrainingInput!) { publishTraining(input: $i) { id sessions { id } } }', {
      i: {
        networkId: ids.networkId,
        title: 'Formation de la matrice',
        theme: 'ALCOHOL',
        audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'],
        format: 'REMOTE',
        registrationClosesOn: today,
        sessions: [{ date: today, startTime: '09:00', endTime: '12:00', capacity: 20 }],
      },
    });
    ids.trainingId = publishTraining.id;
    ids.sessionId = publishTraining.sessions[0].id;
    const { registerForTraining } = await once<{ registerForTraining: { id: string } }>(gpIdentity, 'mutation($s: ID!) { registerForTraining(sessionId: $s) { id } }', { s: ids.sessionId });
    ids.registrationId = registerForTraining.id;
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  it('answers every operation to every caller as the roles table says, and writes the matrix', async () => {
    const schema = Supergraph.build(composedSupergraphSdl()).apiSchema().toGraphQLJSSchema();
    const ordered = [...operations].sort((a, b) => {
      const rank = (key: string) => (key.startsWith('Query.') ? 0 : LAST.includes(key) ? 2 + LAST.indexOf(key) : 1);
      return rank(a.key) - rank(b.key) || a.key.localeCompare(b.key);
    });
    const cells: MatrixCell[] = [];
    for (const operation of ordered) {
      const fixture = { ...ids, ...projectionNames, ...(OWN.has(operation.key) ? { professionalId: (callers.member as Identity).professionalId! } : {}) };
      const request = minimalRequest(schema, operation, fixture, today);
      let done = false;
      for (const caller of CALLER_ORDER) {
        const answer = await platform.query(callers[caller], request);
        let actual = classify(answer);
        // Once an allowed caller has done it (removed the partner, ended the membership), the next finds nothing to act on.
        if (actual === 'NOT_FOUND' && (done || NOTHING_TO_NAME.has(operation.key))) actual = 'allowed';
        if (!answer.errors?.length) done = true;
        cells.push({ operation: operation.key, caller, expected: expectedAnswer(roles, operation.key, caller), actual });
      }
    }
    const wrong = cells.filter((cell) => !satisfies(cell.expected, cell.actual!));
    writeFileSync(
      path.join(repositoryRoot, 'docs', 'security-matrix.md'),
      renderMatrix(roles, operations, cells, `Run by \`apps/e2e/src/security-matrix.e2e.int-spec.ts\` on ${today}: ${cells.length} cells, ${wrong.length} contradicting the table.`),
    );
    expect(wrong.map((cell) => `${cell.operation} × ${cell.caller}: expected ${cell.expected}, got ${cell.actual}`)).toEqual([]);
  }, 600_000);

  it('refuses a request to any subgraph that does not come from the gateway, federation entry points included', async () => {
    const offset = 5850 + Number(process.env.TEST_PORT_SHIFT ?? 0);
    const ports: Record<string, number> = { directory: 4101, inclusions: 4102, meetings: 4103, training: 4104, reporting: 4105, notifications: 4106 };
    for (const subgraph of SUBGRAPHS) {
      for (const query of ['{ _service { sdl } }', '{ _entities(representations: [{ __typename: "Microstructure", id: "x" }]) { __typename } }', '{ __typename }']) {
        const response = await fetch(`http://127.0.0.1:${ports[subgraph] + offset}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const body = (await response.json()) as GraphQLAnswer<unknown>;
        // Refused before any resolver: 401, an error, and no data at all.
        expect([subgraph, query, response.status, Boolean(body.errors?.length), body.data ?? null]).toEqual([subgraph, query, 401, true, null]);
      }
    }
  });

  it('refuses forged, expired and exp-less tokens, and forged or replayed identity headers; refuses a costly request while answering a trivial one', async () => {
    const gateway = async (token: string, query = '{ networks { totalCount } }') => {
      const response = await fetch(`${platform.gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      return { status: response.status, body: (await response.json()) as GraphQLAnswer<unknown> };
    };
    const claims = { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      forged: jwt.sign(claims, 'another-secret-0123456789-0123456789', { algorithm: 'HS256', subject: 'u-forger', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: '5m' }),
      expired: jwt.sign({ ...claims, iat: now - 600, exp: now - 300 }, DEV_JWT_SECRET, { algorithm: 'HS256', subject: 'u-late', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }),
      'without exp': jwt.sign(claims, DEV_JWT_SECRET, { algorithm: 'HS256', subject: 'u-forever', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const { body } = await gateway(token);
      expect([name, body.errors?.[0]?.extensions?.code, body.data ?? null]).toEqual([name, 'UNAUTHENTICATED', null]);
    }

    const directory = `http://127.0.0.1:${4101 + 5850 + Number(process.env.TEST_PORT_SHIFT ?? 0)}/graphql`;
    const query = '{ networks { totalCount } }';
    const direct = async (headers: Record<string, string>, text = query) => {
      const response = await fetch(directory, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: text }) });
      return { status: response.status, body: (await response.json()) as GraphQLAnswer<{ networks: { totalCount: number } }> };
    };
    // The gateway's own signature is accepted (the control), a forged one, one for another operation, an expired one are not.
    const signed = signIdentityHeaders(national, DEV_JWT_SECRET, { query });
    expect((await direct(signed)).body.data?.networks.totalCount).toBe(1);
    const forged = { ...signed, 'x-cnrms-identity-signature': 'forged' };
    const replayed = signIdentityHeaders(national, DEV_JWT_SECRET, { query: '{ __typename }' });
    const expired = signIdentityHeaders(national, DEV_JWT_SECRET, { query, now: Date.now() - 10 * 60_000 });
    for (const [name, headers] of Object.entries({ forged, replayed, expired })) {
      const { status, body } = await direct(headers);
      expect([name, status, body.data ?? null]).toEqual([name, 401, null]);
    }

    // A hundred and fifty indicator computations in one request (well under the size limit): refused before any is run, and the gateway still answers.
    const costly = `query($p: PeriodInput!) { ${Array.from({ length: 150 }, (_, i) => `a${i}: indicators(codes: ["active_caseload"], period: $p) { __typename }`).join(' ')} }`;
    const refused = await platform.query(national, costly, { p: { from: today, to: today, granularity: 'MONTH' } });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COSTLY']);
    expect((await platform.query(national, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

import { randomUUID } from 'node:crypto';
import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { eventually, GraphQLAnswer, Platform, tokenFor } from './platform';

/**
 * Idempotent commands (docs/write-path.md): the whole platform, a client that gives its mutations a command id
 * (`Idempotency-Key`). The same command sent ten times at once is recorded once and answered ten times alike;
 * sent again after the service that ran it was killed and restarted, it is answered the same; the same id for
 * another request is refused; a crash that lost the outcome after the events were recorded is answered
 * `COMMAND_ALREADY_RECORDED`, never recorded twice; another caller's id is theirs alone.
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const INCLUDE = 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id patientId status includedOn } }';
const REGISTER = 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id lastName } }';

describe('idempotent commands through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;
  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let gp: Identity;
  let team: string;

  /** A mutation through the gateway with a command id. */
  async function send<T>(who: Identity, commandId: string, query: string, variables: Record<string, unknown>): Promise<{ status: number; body: GraphQLAnswer<T> }> {
    const response = await fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(who)}`, 'idempotency-key': commandId },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLAnswer<T> };
  }
  /** The events a command id recorded in a service's store, by type. */
  const recorded = async (service: string, commandId: string) =>
    (await database.pool.query<{ type: string; n: number }>(`select event_type as type, count(*)::int as n from ${service}.events where metadata->>'commandId' = $1 group by event_type order by event_type`, [commandId])).rows;
  const includeInput = (lastName: string) => ({
    microstructureId: team,
    patient: { lastName, firstName: 'Aurèle', birthDate: '1979-03-02', sex: 'MALE' },
    includedOn: shift(today, -10),
    reasons: ['ADDICTION'],
    treatingGpId: gp.professionalId,
    consent: { givenOn: shift(today, -10), teamSharing: true, partnerSharing: [] },
    initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 4 },
  });

  beforeAll(async () => {
    database = await createTestDatabase('e2e_idempotency');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 4500, demoData: false, env: { RESTART_CRASHED_SERVICES: 'true' } });
    const { createRegionalNetwork } = await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', {
      input: { name: 'Réseau e2e des commandes', region: '44', departments: ['67'] },
    });
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [createRegionalNetwork.id], microstructureIds: [] };
    const since = shift(today, -100);
    const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
      input: { networkId: createRegionalNetwork.id, name: 'Microstructure e2e des Commandes', department: '67', practiceSite: { name: 'Cabinet des Commandes', type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
    });
    team = createMicrostructure.id;
    const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, REGISTER, { input: { firstName: 'Gaspard', lastName: 'Médecin-Commande', profession: 'GENERAL_PRACTITIONER' } });
    await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: team, professionalId: registerProfessional.id, startedOn: since } });
    await platform.data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: team, on: since });
    gp = { userId: 'u-gp', roles: ['professional'], networkIds: [createRegionalNetwork.id], microstructureIds: [team], professionalId: registerProfessional.id };
    // The team and its opening reach the inclusions service through the bus: a first inclusion (without command id) once they have.
    await eventually(
      () => platform.query(gp, INCLUDE, { input: includeInput('Premier-Commande') }),
      (answer) => !answer.errors?.length,
      60_000,
    );
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  const key = randomUUID();

  it('records a patient’s inclusion sent ten times at once with one command id once, and answers the ten alike', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => send<{ includePatient: { id: string } }>(gp, key, INCLUDE, { input: includeInput('Vermeil-Commande') })));
    expect(answers[0].body.errors).toBeUndefined();
    expect(answers[0].body.data?.includePatient.id).toEqual(expect.any(String));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    // One command: the patient, the case and the inclusion streams, each written once.
    const events = await recorded('inclusions', key);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.n === 1)).toBe(true);
  }, 60_000);

  it('answers the same after the inclusions service was killed and restarted, recording nothing more', async () => {
    const first = await send(gp, key, INCLUDE, { input: includeInput('Vermeil-Commande') });
    const before = await recorded('inclusions', key);
    const pid = platform.servicePids().inclusions;
    process.kill(pid, 'SIGKILL');
    // `npm start` restarts it; until then the gateway says the service is unavailable.
    const again = await eventually(
      () => send(gp, key, INCLUDE, { input: includeInput('Vermeil-Commande') }),
      (answer) => !answer.body.errors?.some((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE'),
      120_000,
    );
    expect(platform.servicePids().inclusions).not.toBe(pid);
    expect(again.body).toEqual(first.body);
    expect(await recorded('inclusions', key)).toEqual(before);
  }, 180_000);

  it('refuses the same command id for another request, writing nothing', async () => {
    const events = async () => (await database.pool.query<{ n: number }>(`select count(*)::int as n from inclusions.events`)).rows[0].n;
    const before = await events();
    const other = await send(gp, key, INCLUDE, { input: includeInput('Autre-Commande') });
    expect(other.body.errors?.[0].extensions?.code).toBe('COMMAND_ID_REUSED');
    expect(other.body.errors?.[0].message).toMatch(/générez-en un nouveau/);
    expect(await events()).toBe(before);
  });

  it('answers COMMAND_ALREADY_RECORDED, not a second recording, when the outcome was lost after the events were recorded', async () => {
    const before = await recorded('inclusions', key);
    // What a crash between the append and the keeping of the outcome leaves.
    await database.pool.query(`update inclusions.command_outcomes set status = 'PENDING', response = null where command_id = $1`, [key]);
    const resent = await send(gp, key, INCLUDE, { input: includeInput('Vermeil-Commande') });
    expect(resent.body.errors?.[0].extensions?.code).toBe('COMMAND_ALREADY_RECORDED');
    expect(resent.body.errors?.[0].extensions?.recorded).toEqual(expect.arrayContaining([expect.objectContaining({ stream: expect.stringMatching(/^inclusion-/) })]));
    expect(await recorded('inclusions', key)).toEqual(before);
  });

  it('keeps each caller’s command ids apart, and runs a command sent without one as before', async () => {
    const shared = randomUUID();
    const input = { firstName: 'Paula', lastName: 'Psy-Commande', profession: 'PSYCHOLOGIST' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => send<{ registerProfessional: { id: string } }>(coordinator, shared, REGISTER, { input })));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(await recorded('directory', shared)).toEqual([{ type: 'ProfessionalRegistered', n: 1 }]);
    // The national coordination's same id is its own command: a professional of its own, not the coordinator's answer.
    const national_ = await send<{ registerProfessional: { id: string } }>(national, shared, REGISTER, { input });
    expect(national_.body.data?.registerProfessional.id).not.toBe(answers[0].body.data?.registerProfessional.id);
    const plain = await platform.data<{ registerProfessional: { id: string } }>(coordinator, REGISTER, { input });
    expect(plain.registerProfessional.id).not.toBe(answers[0].body.data?.registerProfessional.id);
  }, 60_000);

  it('refuses a malformed command id at the gateway', async () => {
    const answer = await send(gp, 'short', INCLUDE, { input: includeInput('Vermeil-Commande') });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].extensions?.code).toBe('INVALID_COMMAND_ID');
  });
});

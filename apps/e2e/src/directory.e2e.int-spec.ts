import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { codesOf, Platform } from './platform';

/**
 * The directory end to end: `tools/start` runs every service and the gateway on a fresh database with
 * the demo data, and people with different roles query and change the directory through the gateway.
 */
describe('directory through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;
  let networkA: string;
  let networkB: string;

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const funder: Identity = { userId: 'u-funder', roles: ['funder'], networkIds: [], microstructureIds: [] };
  const coordinatorOf = (networkId: string): Identity => ({ userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] });

  const createMicrostructure = `mutation($input: CreateMicrostructureInput!) {
    createMicrostructure(input: $input) { id name status networkId department completeness { complete missing } }
  }`;
  const microstructureInput = (networkId: string, name: string, department: string) => ({
    networkId,
    name,
    department,
    practiceSite: { name: 'Cabinet de test', type: 'GROUP_PRACTICE', address: { street: '9 rue du Test', postalCode: `${department}000`, city: 'Testville' } },
  });

  const subgraphs = ['directory', 'inclusions', 'meetings', 'training', 'reporting'];
  const schemaFile = (service: string) => path.resolve(__dirname, '../../..', 'apps', service, 'schema.graphql');
  const readSchemas = () => subgraphs.map((service) => readFileSync(schemaFile(service), 'utf8'));
  let committedSchemas: string[];

  beforeAll(async () => {
    committedSchemas = readSchemas();
    database = await createTestDatabase('e2e_directory');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 1000, demoData: true, env: { DEMO_HISTORY: 'false' } });
    const { networks } = await platform.data<{ networks: { nodes: { id: string; name: string }[] } }>(national, '{ networks { nodes { id name } } }');
    networkA = networks.nodes.find((n) => n.name === 'Réseau démo Val-Fictif')!.id;
    networkB = networks.nodes.find((n) => n.name === 'Réseau démo Côte-Imaginaire')!.id;
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  it('runs with the committed subgraph schemas, from which the supergraph is composed', () => {
    // The SDL is a build artefact (`nx run <service>:sdl`, checked by tools/test.sh): starting writes nothing into the sources.
    expect(readSchemas()).toEqual(committedSchemas);
  });

  it('lists the demo networks and their microstructures', async () => {
    const data = await platform.data<{ nationalNetwork: { networkCount: number }; networks: { totalCount: number; nodes: { name: string; region: string; regionCode: string | null }[] }; microstructures: { totalCount: number } }>(
      national,
      '{ nationalNetwork { networkCount } networks { totalCount nodes { name region regionCode } } microstructures(filter: { status: ACTIVE }) { totalCount } }',
    );
    // Each region by its official name and its INSEE code.
    for (const network of data.networks.nodes) expect(network.regionCode).toMatch(/^\d{2}$/);
    expect(data.networks.totalCount).toBe(3);
    expect(data.nationalNetwork.networkCount).toBe(3);
    expect(data.networks.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['Réseau démo Val-Fictif', 'Réseau démo Côte-Imaginaire', 'Réseau démo Plateau-Modèle']));
    expect(data.microstructures.totalCount).toBe(4);
  });

  it('lets a regional coordinator create a microstructure in their network, and shows it at once', async () => {
    const created = await platform.data<{ createMicrostructure: { id: string; status: string; completeness: { complete: boolean; missing: string[] } } }>(
      coordinatorOf(networkA),
      createMicrostructure,
      { input: microstructureInput(networkA, 'Microstructure e2e', '67') },
    );
    expect(created.createMicrostructure.status).toBe('IN_CREATION');
    expect(created.createMicrostructure.completeness).toEqual({ complete: false, missing: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'] });

    const listed = await platform.data<{ microstructures: { nodes: { id: string; name: string }[] } }>(
      national,
      'query($n: ID!) { microstructures(filter: { networkId: $n, status: IN_CREATION }) { nodes { id name } } }',
      { n: networkA },
    );
    expect(listed.microstructures.nodes).toContainEqual({ id: created.createMicrostructure.id, name: 'Microstructure e2e' });
  });

  it('refuses a regional coordinator who acts on another network, and writes nothing', async () => {
    const answer = await platform.query(coordinatorOf(networkA), createMicrostructure, { input: microstructureInput(networkB, 'Intruse', '34') });
    expect(codesOf(answer)).toEqual(['FORBIDDEN']);
    const listed = await platform.data<{ microstructures: { totalCount: number } }>(national, 'query($n: ID!) { microstructures(filter: { networkId: $n }) { totalCount } }', { n: networkB });
    expect(listed.microstructures.totalCount).toBe(2);
  });

  it('refuses callers without a token or with the wrong role', async () => {
    expect(codesOf(await platform.query(null, '{ networks { totalCount } }'))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await platform.query(funder, createMicrostructure, { input: microstructureInput(networkA, 'Du financeur', '67') }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await platform.query(coordinatorOf(networkA), 'mutation { createRegionalNetwork(input: { name: "Réseau pirate", region: "Nulle part", departments: ["01"] }) { id } }'))).toEqual(['FORBIDDEN']);
  });

  it('answers bad input with a clear error and writes nothing', async () => {
    const before = await platform.data<{ professionals: { totalCount: number } }>(national, '{ professionals { totalCount } }');
    const badRpps = await platform.query(national, 'mutation { registerProfessional(input: { firstName: "Zoé", lastName: "Test", profession: GENERAL_PRACTITIONER, rpps: "12345" }) { id } }');
    expect(codesOf(badRpps)).toEqual(['INVALID_RPPS']);
    expect(badRpps.errors![0].message).toMatch(/RPPS/);

    const badDepartment = await platform.query(national, createMicrostructure, { input: microstructureInput(networkA, 'Hors zone', '99') });
    expect(codesOf(badDepartment)).toEqual(['INVALID_DEPARTMENT']);

    const after = await platform.data<{ professionals: { totalCount: number } }>(national, '{ professionals { totalCount } }');
    expect(after.professionals.totalCount).toBe(before.professionals.totalCount);
  });

  it('refuses a duplicate RPPS', async () => {
    const register = 'mutation($rpps: String!) { registerProfessional(input: { firstName: "Yann", lastName: "Doublon", profession: GENERAL_PRACTITIONER, rpps: $rpps }) { id rpps } }';
    const first = await platform.data<{ registerProfessional: { rpps: string } }>(national, register, { rpps: '10000000009' });
    expect(first.registerProfessional.rpps).toBe('10000000009');
    expect(codesOf(await platform.query(national, register, { rpps: '10000000009' }))).toEqual(['DUPLICATE_RPPS']);
  });

  it('refuses a used ADELI without keeping the new RPPS claimed: the registration and its claims are one change', async () => {
    const register = 'mutation($rpps: String, $adeli: String) { registerProfessional(input: { firstName: "Inès", lastName: "Adeli", profession: PSYCHOLOGIST, rpps: $rpps, adeli: $adeli }) { id } }';
    await platform.data(national, register, { adeli: '751234567' });
    expect(codesOf(await platform.query(national, register, { rpps: '10000000108', adeli: '751234567' }))).toEqual(['DUPLICATE_ADELI']);
    // The RPPS was not kept: it registers alone.
    await platform.data(national, register, { rpps: '10000000108' });
  });

  it('refuses a control character in a name with a coded error, writing nothing', async () => {
    const before = await platform.data<{ professionals: { totalCount: number } }>(national, '{ professionals { totalCount } }');
    const register = 'mutation($lastName: String!) { registerProfessional(input: { firstName: "Nul", lastName: $lastName, profession: GENERAL_PRACTITIONER, rpps: "10000000116" }) { id } }';
    // A bell (U+0007): refused at the subgraph's door like every control character, NUL included (time-rules e2e).
    const refused = await platform.query(national, register, { lastName: 'Zé\u0007ro' });
    expect(codesOf(refused)).toEqual(['CONTROL_CHARACTER']);
    expect(refused.errors![0].message).toMatch(/caractère de contrôle/);
    const after = await platform.data<{ professionals: { totalCount: number } }>(national, '{ professionals { totalCount } }');
    expect(after.professionals.totalCount).toBe(before.professionals.totalCount);
    // Nothing of it was claimed either.
    await platform.data(national, register, { lastName: 'Zéro' });
  });

  it('keeps the team rules: a GP before opening, no one joins a closed microstructure', async () => {
    const { createMicrostructure: team } = await platform.data<{ createMicrostructure: { id: string } }>(national, createMicrostructure, {
      input: microstructureInput(networkB, 'Microstructure sans médecin', '34'),
    });
    const open = 'mutation($id: ID!) { openMicrostructure(id: $id, openedOn: "2026-02-01") { status } }';
    expect(codesOf(await platform.query(national, open, { id: team.id }))).toEqual(['GP_REQUIRED']);

    const { registerProfessional: psychologist } = await platform.data<{ registerProfessional: { id: string } }>(
      national,
      'mutation { registerProfessional(input: { firstName: "Xavier", lastName: "Psy", profession: PSYCHOLOGIST }) { id } }',
    );
    await platform.data(national, 'mutation($id: ID!) { closeMicrostructure(id: $id, closedOn: "2026-03-01", reason: "Projet abandonné") { status } }', { id: team.id });
    const join = await platform.query(national, 'mutation($input: AddMemberInput!) { addMember(input: $input) { professionalId } }', {
      input: { microstructureId: team.id, professionalId: psychologist.id, startedOn: '2026-03-02' },
    });
    expect(codesOf(join)).toEqual(['MICROSTRUCTURE_CLOSED']);
    const closed = await platform.data<{ microstructure: { status: string; closedOn: string } }>(national, 'query($id: ID!) { microstructure(id: $id) { status closedOn } }', { id: team.id });
    expect(closed.microstructure).toEqual({ status: 'CLOSED', closedOn: '2026-03-01' });
  });

  it('pages through microstructures with a cursor', async () => {
    const page = 'query($after: String) { microstructures(page: { first: 2, after: $after }) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }';
    type Page = { microstructures: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const data: Page = await platform.data<Page>(national, page, { after });
      total = data.microstructures.totalCount;
      seen.push(...data.microstructures.nodes.map((n) => n.id));
      after = data.microstructures.pageInfo.hasNextPage ? data.microstructures.pageInfo.endCursor : null;
    } while (after);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(codesOf(await platform.query(national, '{ microstructures(page: { first: 500 }) { totalCount } }'))).toEqual(['INVALID_PAGE_SIZE']);
  });

  it('lets an administrator rebuild a projection from zero, with the same read model at the end', async () => {
    const admin: Identity = { userId: 'u-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };
    const snapshot = '{ microstructures(page: { first: 100 }) { totalCount nodes { id name status members { professionalId } partners { name } } } }';
    const before = await platform.data(national, snapshot);

    expect(codesOf(await platform.query(national, 'mutation { directoryRebuildProjection(name: "directory.microstructures.v1") }'))).toEqual(['FORBIDDEN']);
    expect(codesOf(await platform.query(admin, 'mutation { directoryRebuildProjection(name: "nope") }'))).toEqual(['PROJECTION_NOT_FOUND']);
    expect(await platform.data(admin, 'mutation { directoryRebuildProjection(name: "directory.microstructures.v1") }')).toEqual({ directoryRebuildProjection: true });
    // Ten at once: each one answers, none fails (they run one after the other).
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => platform.query(admin, 'mutation { directoryRebuildProjection(name: "directory.microstructures.v1") }')));
    expect(concurrent.map((r) => r.errors ?? r.data)).toEqual(Array.from({ length: 10 }, () => ({ directoryRebuildProjection: true })));

    let after: unknown;
    for (let attempt = 0; attempt < 50; attempt++) {
      after = await platform.data(national, snapshot);
      const [status] = (await platform.data<{ directoryProjections: { name: string; behind: number }[] }>(admin, '{ directoryProjections { name behind } }')).directoryProjections.filter(
        (p) => p.name === 'directory.microstructures.v1',
      );
      if (status.behind === 0 && JSON.stringify(after) === JSON.stringify(before)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after).toEqual(before);
  });

  it('resolves the members of a microstructure across the federation keys', async () => {
    const data = await platform.data<{ network: { microstructures: { nodes: { name: string; members: { professional: { lastName: string; profession: string } }[] }[] } } }>(
      national,
      'query($id: ID!) { network(id: $id) { microstructures { nodes { name members { professional { lastName profession } } } } } }',
      { id: networkA },
    );
    const tilleuls = data.network.microstructures.nodes.find((m) => m.name === 'Microstructure des Tilleuls (démo)');
    expect(tilleuls?.members.map((m) => m.professional.profession).sort()).toEqual(['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER']);
  });
});

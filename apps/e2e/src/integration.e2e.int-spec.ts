import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { eventually, Platform } from './platform';

/**
 * A directory change reaching another service's read model through the integration bus: the directory's
 * relay publishes, the inclusions service consumes into its own care-team table. The same code runs on
 * the PostgreSQL event log (embedded mode) and on Kafka, chosen by configuration.
 */
const buses: { bus: string; portOffset: number; env: Record<string, string> }[] = [
  { bus: 'postgres', portOffset: 1500, env: { BUS: 'postgres' } },
  { bus: 'kafka', portOffset: 2500, env: { BUS: 'kafka', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092' } },
];

describe.each(buses)('directory → inclusions over the $bus bus', ({ bus, portOffset, env }) => {
  let database: TestDatabase;
  let platform: Platform;
  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };

  beforeAll(async () => {
    database = await createTestDatabase('e2e_integration');
    // The demo directory only: the generated year (loaded after the start) is not what this test follows.
    platform = await Platform.start({ databaseUrl: database.url, portOffset, demoData: true, env: { DEMO_HISTORY: 'false', ...env } });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  const careTeam = async (microstructureId: string) =>
    (
      await database.pool.query<{ professional_id: string; profession: string; ended_on: string | null }>(
        `select professional_id, profession, to_char(ended_on, 'YYYY-MM-DD') as ended_on from inclusions.memberships where microstructure_id = $1 order by profession`,
        [microstructureId],
      )
    ).rows;

  it('knows the demo care teams', async () => {
    const { microstructures } = await platform.data<{ microstructures: { nodes: { id: string; members: unknown[] }[] } }>(national, '{ microstructures { nodes { id members { professionalId } } } }');
    const expected = microstructures.nodes.reduce((sum, m) => sum + m.members.length, 0);
    const rows = await eventually(
      async () => Number((await database.pool.query('select count(*) from inclusions.memberships')).rows[0].count),
      (count) => count === expected,
    );
    expect(rows).toBe(expected);
  }, 60_000);

  it('follows a membership from its start to its end, and the microstructure’s status', async () => {
    const { networks } = await platform.data<{ networks: { nodes: { id: string; departments: string[] }[] } }>(national, '{ networks { nodes { id departments } } }');
    const network = networks.nodes[0];
    const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(
      national,
      'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }',
      { input: { networkId: network.id, name: 'Microstructure du bus', department: network.departments[0], practiceSite: { name: 'Cabinet du bus', type: 'MSP', address: { street: '1 rue du Bus', postalCode: `${network.departments[0]}100`, city: 'Busville' } } } },
    );
    const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(national, 'mutation { registerProfessional(input: { firstName: "Gilles", lastName: "Bus", profession: GENERAL_PRACTITIONER }) { id } }');
    const member = { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id };
    await platform.data(national, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { ...member, startedOn: '2026-04-01' } });
    await platform.data(national, 'mutation($id: ID!) { openMicrostructure(id: $id, openedOn: "2026-04-02") { status } }', { id: createMicrostructure.id });

    expect(await eventually(() => careTeam(createMicrostructure.id), (rows) => rows.length === 1)).toEqual([{ professional_id: registerProfessional.id, profession: 'GENERAL_PRACTITIONER', ended_on: null }]);
    const status = async () => (await database.pool.query('select status from inclusions.microstructures where id = $1', [createMicrostructure.id])).rows[0]?.status;
    expect(await eventually(status, (s) => s === 'ACTIVE')).toBe('ACTIVE');

    await platform.data(national, 'mutation($input: EndMembershipInput!) { endMembership(input: $input) { active } }', { input: { ...member, endedOn: '2026-06-30' } });
    expect(await eventually(() => careTeam(createMicrostructure.id), (rows) => rows[0]?.ended_on !== null)).toEqual([{ professional_id: registerProfessional.id, profession: 'GENERAL_PRACTITIONER', ended_on: '2026-06-30' }]);
  }, 60_000);

  it('handled every directory event it received, parking none', async () => {
    const parked = await database.pool.query('select count(*)::int as parked from inclusions.messaging_parked');
    expect(parked.rows[0].parked).toBe(0);
  });

  if (bus === 'postgres') {
    it('carries no RPPS, ADELI or separate names of professionals on the bus, and their work e-mail only where the notifications need it', async () => {
      const { rows } = await database.pool.query<{ total: number; identifiers: number; contacts: number; emailElsewhere: number }>(
        `select count(*)::int as total,
                count(*) filter (where data::text ~* '"(rpps|adeli|firstName|lastName)"')::int as identifiers,
                count(*) filter (where data->>'type' in ('directory.ProfessionalRegistered', 'directory.ProfessionalContactChanged'))::int as contacts,
                count(*) filter (where (data->>'type' not in ('directory.ProfessionalRegistered', 'directory.ProfessionalContactChanged') and data::text ~* '"e-?mail"')
                                    or (data - 'payload')::text ~* '"e-?mail"' or ((data->'payload') - 'email')::text ~* '"e-?mail"')::int as "emailElsewhere"
         from bus.events`,
      );
      expect(rows[0]).toEqual({ total: expect.any(Number), identifiers: 0, contacts: expect.any(Number), emailElsewhere: 0 });
      expect(rows[0].total).toBeGreaterThan(0);
      expect(rows[0].contacts).toBeGreaterThan(0);
    });
  }
});

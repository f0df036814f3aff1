import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Federation, graphql } from './federation';
import { codesOf, eventually, Platform } from './platform';
import { activity, BIRTH_DATE, Call, Cell, coordinatorOf, data, FIRST_NAME, HOSTED_NETWORK, include, INDICATOR, indicators, LAST_NAMES, monthStart, national, reach, REGION_NETWORK, shift, situation, Team, today } from './federation-activity';

/**
 * Regional deployments feeding one national view (docs/deployments.md). `npm run federation` starts the national
 * deployment and one self-hosting region (own database, own broker, MirrorMaker 2 between the clusters); a
 * second network is hosted nationally. The same activity is driven in both networks through their own gateways,
 * and in one single platform that receives the same commands: the national indicators equal that platform's,
 * cell for cell. Then the region's link is cut while it keeps recording, and comes back.
 */

describe('regional deployments feeding one national view', () => {
  let federation: Federation;
  let reference: Platform;
  let database: TestDatabase;
  let nationalCall: Call;
  let regionCall: Call;
  let regionNetwork: string;
  let hostedNetwork: string;
  let referenceNetworks: { region: string; hosted: string };
  let regionTeam: Team;
  let hostedTeam: Team;
  let referenceRegionTeam: Team;
  const referenceCall: Call = (identity, query, variables) => reference.query(identity, query, variables);

  beforeAll(async () => {
    database = await createTestDatabase('e2e_federation_reference');
    // Ports: the federation's platforms at offsets 3700 and 3720 (gateways 7700, 7720), the reference at 3760; brokers 19130-19133.
    [federation, reference] = await Promise.all([
      Federation.start({ regions: 1, portOffset: 3700, kafkaPort: Number(process.env.FEDERATION_TEST_KAFKA_PORT ?? 19130) }),
      Platform.start({ databaseUrl: database.url, portOffset: 3760, demoData: false, timeoutMs: 300_000, env: { REPORTING_CELL_KEY_MAX_PERTURBATION: '0', REPORTING_SUPPRESSION_THRESHOLD: '2' } }),
    ]);
    const { national: n, regions } = federation.summary;
    nationalCall = (identity, query, variables) => graphql(n.gateway, identity, query, variables);
    regionCall = (identity, query, variables) => graphql(regions['region-a'].gateway, identity, query, variables);
    regionNetwork = regions['region-a'].networkId;
    const create = async (call: Call, input: object) =>
      (await data<{ createRegionalNetwork: { id: string } }>(call, national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input })).createRegionalNetwork.id;
    hostedNetwork = await create(nationalCall, HOSTED_NETWORK);
    referenceNetworks = { region: await create(referenceCall, REGION_NETWORK), hosted: await create(referenceCall, HOSTED_NETWORK) };

    // The same commands: in the region through its own gateway, in the hosted network through the national one, and in the reference platform.
    regionTeam = await activity(regionCall, regionNetwork, 'region', 4);
    hostedTeam = await activity(nationalCall, hostedNetwork, 'hosted', 3, 4);
    referenceRegionTeam = await activity(referenceCall, referenceNetworks.region, 'region', 4);
    await activity(referenceCall, referenceNetworks.hosted, 'hosted', 3, 4);
    await eventually(() => reach(nationalCall, [regionNetwork, hostedNetwork]), (count) => count === 7, 120_000);
    await eventually(() => reach(referenceCall, [referenceNetworks.region, referenceNetworks.hosted]), (count) => count === 7, 120_000);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([federation?.stop(), reference?.stop()]);
    await database?.drop();
  }, 120_000);

  it('gives national indicators equal, cell for cell, to those of one platform that received the same commands', async () => {
    const federated = await indicators(nationalCall, [regionNetwork, hostedNetwork]);
    const single = await indicators(referenceCall, [referenceNetworks.region, referenceNetworks.hosted]);
    expect(Object.keys(federated).length).toBeGreaterThan(20);
    expect(federated).toEqual(single);
  }, 180_000);

  it('carries no identifying value of a patient on the national cluster’s replicated topics, and says where each event came from', async () => {
    const kafka = new Kafka({ brokers: [federation.summary.national.kafka], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith('region-a.') && !topic.endsWith('.dlq') && !topic.includes('internal') && !topic.includes('heartbeats'));
    const ends = await Promise.all(topics.map(async (topic) => ({ topic, count: (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0) })));
    await admin.disconnect();
    const expected = ends.reduce((sum, e) => sum + e.count, 0);
    expect(topics).toContain('region-a.inclusions.inclusion.v1');
    expect(expected).toBeGreaterThan(10);
    const consumer = kafka.consumer({ groupId: `scan-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const texts: string[] = [];
    const sources = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const headers = Object.entries(message.headers ?? {}).map(([name, value]) => `${name}=${String(value)}`);
            sources.add(String(message.headers?.['source-deployment'] ?? ''));
            texts.push([message.key?.toString(), message.value?.toString(), ...headers].join(' '));
            if (texts.length >= expected) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    const all = texts.join('\n');
    for (const value of [...LAST_NAMES, FIRST_NAME, BIRTH_DATE]) expect(all).not.toContain(value);
    expect([...sources]).toEqual(['region-a']);
  }, 120_000);

  it('gives a national token no patient data from a regional gateway, and a regional token nothing of another network', async () => {
    const caseload = 'query($ms: ID!) { caseload(microstructureId: $ms) { totalCount nodes { patient { identity { lastName } } } } }';
    const byNational = await regionCall<{ caseload: unknown }>(national, caseload, { ms: regionTeam.microstructureId });
    expect(byNational.data?.caseload ?? null).toBeNull();
    expect(codesOf(byNational)).toContain('FORBIDDEN');
    const ownTeam = await regionCall<{ caseload: { totalCount: number } }>(regionTeam.gp, caseload, { ms: regionTeam.microstructureId });
    expect(ownTeam.data?.caseload.totalCount).toBe(4);
    // The region's GP asks the national gateway about its own team: the national deployment holds no patient of that network.
    const elsewhere = await nationalCall<{ caseload: { totalCount: number } }>(regionTeam.gp, caseload, { ms: regionTeam.microstructureId });
    expect(elsewhere.data?.caseload?.totalCount ?? 0).toBe(0);
    // Nor can a patient of the region be recorded at the national level: it does not know the region's care teams.
    const nationally = await nationalCall(regionTeam.gp, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', {
      input: { microstructureId: regionTeam.microstructureId, patient: { lastName: 'Hors-Région', firstName: FIRST_NAME, birthDate: BIRTH_DATE, sex: 'FEMALE' }, includedOn: monthStart, reasons: ['ADDICTION'], treatingGpId: regionTeam.gp.professionalId, consent: { givenOn: monthStart, teamSharing: true, partnerSharing: [] }, initialSituation: situation },
    });
    expect(nationally.data ?? null).toBeNull();
    expect(codesOf(nationally).length).toBe(1);
    // The region's coordinator, at the national level, sees its own network's cells only, not the hosted network's.
    const own = await data<{ indicator: { cells: Cell[] } }>(nationalCall, coordinatorOf([regionNetwork]), INDICATOR, { code: 'new_inclusions', period: { from: monthStart, to: today, granularity: 'MONTH' }, groupBy: ['NETWORK'] });
    const networks = own.indicator.cells.flatMap((cell) => cell.dimensions.filter((d) => d.dimension === 'NETWORK').map((d) => d.value));
    expect(new Set(networks)).toEqual(new Set([regionNetwork]));
  }, 60_000);

  it('refuses in the region what the national level owns', async () => {
    const answer = await regionCall(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input: HOSTED_NETWORK });
    expect(codesOf(answer)).toEqual(['OWNED_NATIONALLY']);
    const microstructure = await nationalCall(coordinatorOf([regionNetwork]), 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
      input: { networkId: regionNetwork, name: 'Intruse', department: '21', practiceSite: { name: 'Cabinet', type: 'GROUP_PRACTICE', address: { street: '1 rue', postalCode: '21000', city: 'Dijon' } } },
    });
    expect(codesOf(microstructure)).toEqual(['NETWORK_OWNED_BY_REGION']);
  }, 60_000);

  it('shows the region as of the cut while its link is down, then catches up with nothing lost or counted twice', async () => {
    const FRESHNESS = '{ reportingDeployments { deployment dataUpTo eventsReceived linkUpTo late label } }';
    type Freshness = { reportingDeployments: { deployment: string; dataUpTo: string | null; eventsReceived: number; linkUpTo: string | null; late: boolean; label: string }[] };
    const freshness = async () => (await data<Freshness>(nationalCall, national, FRESHNESS)).reportingDeployments;
    // The link is alive: MirrorMaker's heartbeats from the region reach the national reporting.
    const before = await eventually(freshness, (f) => f[0]?.late === false, 90_000);
    expect(before).toEqual([expect.objectContaining({ deployment: 'region-a', label: expect.stringMatching(/^données au \d\d\/\d\d\/\d{4}/) })]);

    await federation.mirror('region-a', 'stop');
    // Without heartbeats, the national view says the region's link is late, and shows the region as of the cut.
    const [atCut] = await eventually(freshness, (f) => f[0]?.late === true, 60_000);
    // The region keeps working alone: two more inclusions, recorded and shown in the region.
    await include(regionCall, regionTeam, 4, 'MALE');
    await include(regionCall, regionTeam, 5, 'FEMALE');
    await eventually(() => reach(regionCall, [regionNetwork]), (count) => count === 6, 60_000);
    const during = (await freshness())[0];
    expect(during).toMatchObject({ dataUpTo: atCut.dataUpTo, label: atCut.label, eventsReceived: atCut.eventsReceived, late: true });
    expect(await reach(nationalCall, [regionNetwork])).toBe(4);

    // The same two in the reference platform, then the link returns.
    await include(referenceCall, referenceRegionTeam, 4, 'MALE');
    await include(referenceCall, referenceRegionTeam, 5, 'FEMALE');
    await federation.mirror('region-a', 'start');
    await eventually(() => reach(nationalCall, [regionNetwork, hostedNetwork]), (count) => count === 9, 120_000);
    await eventually(() => reach(referenceCall, [referenceNetworks.region, referenceNetworks.hosted]), (count) => count === 9, 60_000);
    const after = (await eventually(freshness, (f) => f[0]?.late === false, 60_000))[0];
    expect(Date.parse(after.dataUpTo!)).toBeGreaterThan(Date.parse(atCut.dataUpTo!));
    expect(await indicators(nationalCall, [regionNetwork, hostedNetwork])).toEqual(await indicators(referenceCall, [referenceNetworks.region, referenceNetworks.hosted]));
  }, 300_000);

  it('decides the seats of a national day once, nationally, for the region’s professionals and the hosted network’s, and answers the region', async () => {
    const seats = 2;
    const { publishTraining } = await data<{ publishTraining: { id: string; sessions: { id: string }[] } }>(
      nationalCall,
      national,
      'mutation($input: PublishTrainingInput!) { publishTraining(input: $input) { id sessions { id } } }',
      {
        input: {
          kind: 'NATIONAL_EVENT',
          title: 'Journée nationale des microstructures (fédération)',
          theme: 'OTHER',
          audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
          format: 'REMOTE',
          registrationClosesOn: shift(today, 30),
          sessions: [{ date: shift(today, 40), startTime: '09:00', endTime: '12:00', capacity: seats }],
        },
      },
    );
    const sessionId = publishTraining.sessions[0].id;
    // The national day comes down to the region (national.training.training.v1).
    await eventually(
      async () => (await data<{ nationalDaySessions: { sessionId: string }[] }>(regionCall, regionTeam.gp, '{ nationalDaySessions { sessionId } }')).nationalDaySessions,
      (sessions) => sessions.some((s) => s.sessionId === sessionId),
      60_000,
    );
    // Four professionals for two seats, at once: two ask from the region, two register nationally in the hosted network.
    const REQUEST = 'mutation($sessionId: ID!) { requestNationalDaySeat(sessionId: $sessionId) { id status } }';
    const REGISTER = 'mutation($sessionId: ID!) { registerForTraining(sessionId: $sessionId) { id status } }';
    const [regional, hosted] = await Promise.all([
      Promise.all([regionTeam.gp, regionTeam.psychologist].map((who) => data<{ requestNationalDaySeat: { id: string; status: string } }>(regionCall, who, REQUEST, { sessionId }))),
      Promise.all([hostedTeam.gp, hostedTeam.psychologist].map((who) => data<{ registerForTraining: { id: string; status: string } }>(nationalCall, who, REGISTER, { sessionId }))),
    ]);
    expect(regional.map((r) => r.requestNationalDaySeat.status)).toEqual(['REQUESTED', 'REQUESTED']);

    // The answers come back to the region, each to its professional.
    const MINE = '{ myNationalDayRequests { id sessionId status rank reasonCode reason } }';
    type Mine = { myNationalDayRequests: { id: string; sessionId: string; status: string; rank: number | null; reasonCode: string | null; reason: string | null }[] };
    const answers = await Promise.all(
      [regionTeam.gp, regionTeam.psychologist].map(async (who) => (await eventually(() => data<Mine>(regionCall, who, MINE), (m) => m.myNationalDayRequests.every((r) => r.status !== 'REQUESTED'), 90_000)).myNationalDayRequests),
    );
    expect(answers.map((mine) => mine.map((r) => r.id))).toEqual(regional.map((r) => [r.requestNationalDaySeat.id]));
    const statuses = [...answers.flat().map((r) => r.status), ...hosted.map((r) => r.registerForTraining.status)];
    // Exactly the seat count registered, the others wait-listed: one judge, no double booking.
    expect(statuses.filter((s) => s === 'REGISTERED')).toHaveLength(seats);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(2);
    for (const waiting of answers.flat().filter((r) => r.status === 'WAITLISTED')) expect(waiting.rank).toBeGreaterThanOrEqual(1);
    const SESSION = 'query($id: ID!) { training(id: $id) { sessions { registeredCount waitListedCount } } }';
    const counted = await data<{ training: { sessions: { registeredCount: number; waitListedCount: number }[] } }>(nationalCall, national, SESSION, { id: publishTraining.id });
    expect(counted.training.sessions[0]).toEqual({ registeredCount: seats, waitListedCount: 2 });

    // Asking again for the same session: refused nationally, with the decider's reason, shown in the region.
    const again = await data<{ requestNationalDaySeat: { id: string } }>(regionCall, regionTeam.gp, REQUEST, { sessionId });
    const refused = await eventually(
      async () => (await data<Mine>(regionCall, regionTeam.gp, MINE)).myNationalDayRequests.find((r) => r.id === again.requestNationalDaySeat.id)!,
      (r) => r.status !== 'REQUESTED',
      90_000,
    );
    expect(refused).toMatchObject({ status: 'REFUSED', reasonCode: 'ALREADY_REGISTERED', reason: expect.stringMatching(/déjà/) });
    expect(await data(nationalCall, national, SESSION, { id: publishTraining.id })).toEqual(counted);
    // The national platform does not take requests: there, a professional registers directly.
    expect(codesOf(await nationalCall(hostedTeam.gp, REQUEST, { sessionId }))).toEqual(['NOT_A_REGIONAL_DEPLOYMENT']);
  }, 300_000);
});

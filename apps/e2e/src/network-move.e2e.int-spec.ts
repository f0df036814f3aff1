import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { Client } from 'pg';
import { activity, Call, coordinatorOf, data, HOSTED_NETWORK, include, indicators, national, reach, shift, Team, today } from './federation-activity';
import { codesOf, eventually, Platform } from './platform';

/**
 * Moving a network (docs/deployments.md, "Moving a network"): a network hosted by the national deployment, with
 * its teams, patients and history, is moved by `npm run move-network` to its own regional deployment (own
 * database, own broker, own master keys, MirrorMaker 2 to the national cluster). Afterwards its indicators are
 * the same nationally and in the region, its patients' identities open only in the region, the national
 * deployment holds none of its streams or keys, and what the region records next reaches the national view.
 */

const root = path.resolve(__dirname, '../../..');
const kafkaPort = Number(process.env.MOVE_TEST_KAFKA_PORT ?? 19150);
const dataDir = path.join(root, '.data', `network-move-${randomBytes(3).toString('hex')}`);
const brokers = {
  national: { KAFKA_PORT: String(kafkaPort), KAFKA_CONTROLLER_PORT: String(kafkaPort + 1), KAFKA_DATA: path.join(dataDir, 'kafka-national') },
  region: { KAFKA_PORT: String(kafkaPort + 2), KAFKA_CONTROLLER_PORT: String(kafkaPort + 3), KAFKA_DATA: path.join(dataDir, 'kafka-region') },
};
const mirror = { MIRROR_DATA: path.join(dataDir, 'mirror-region-m'), MIRROR_CONFIG: path.join(dataDir, 'mirror-region-m', 'mm2.properties') };
// The region's own master keys: its patients' keys must be re-wrapped under them to open there.
// The test follows one inclusion from the region to the national count: disclosure control is off (as in the
// federation test), so that a count of 5 is read as 5; it has its own tests in reporting.
const exactCounts = { REPORTING_CELL_KEY_MAX_PERTURBATION: '0', REPORTING_SUPPRESSION_THRESHOLD: '2' };
const regionKeys = {
  INCLUSIONS_MASTER_KEY: randomBytes(32).toString('base64'),
  INCLUSIONS_MASTER_KEY_ID: 'region-m-inclusions-1',
  MEETINGS_MASTER_KEY: randomBytes(32).toString('base64'),
  MEETINGS_MASTER_KEY_ID: 'region-m-meetings-1',
};

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function script(name: string, action: string, env: Record<string, string>): Promise<void> {
  const { code, output } = await run('bash', [`tools/kafka/${name}`, action], env);
  if (code !== 0) throw new Error(`${name} ${action}: ${output}`);
}

async function scalar(url: string, sql: string, values: unknown[] = []): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number(Object.values((await client.query(sql, values)).rows[0] ?? { n: 0 })[0]);
  } finally {
    await client.end();
  }
}

describe('moving a network from the national deployment to its own', () => {
  let nationalDb: TestDatabase;
  let regionDb: TestDatabase;
  let nationalPlatform: Platform | undefined;
  let regionPlatform: Platform | undefined;
  let networkId: string;
  let team: Team;
  const nationalCall: Call = (identity, query, variables) => nationalPlatform!.query(identity, query, variables);
  const regionCall: Call = (identity, query, variables) => regionPlatform!.query(identity, query, variables);
  const nationalEnv = (regions: string) => ({
    DEPLOYMENT_KIND: 'national',
    DEPLOYMENT_ID: 'national',
    FEDERATION_REGIONS: regions,
    BUS: 'kafka',
    KAFKA_BROKERS: `127.0.0.1:${brokers.national.KAFKA_PORT}`,
    DASHBOARD_BUILD: 'false',
    ...exactCounts,
  });
  const startNational = (regions: string) => Platform.start({ databaseUrl: nationalDb.url, portOffset: 3900, demoData: false, timeoutMs: 300_000, env: nationalEnv(regions) });
  const move = (env: Record<string, string> = {}) =>
    run(process.execPath, ['-r', './tools/register.js', 'tools/federation/move-network.ts', '--network', networkId, '--national', nationalDb.url, '--region', regionDb.url], {
      REGION_INCLUSIONS_MASTER_KEY: regionKeys.INCLUSIONS_MASTER_KEY,
      REGION_INCLUSIONS_MASTER_KEY_ID: regionKeys.INCLUSIONS_MASTER_KEY_ID,
      REGION_MEETINGS_MASTER_KEY: regionKeys.MEETINGS_MASTER_KEY,
      REGION_MEETINGS_MASTER_KEY_ID: regionKeys.MEETINGS_MASTER_KEY_ID,
      ...env,
    });
  const patientIds = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ id: string }>(`select substr(stream_id, 9) as id from inclusions.events where stream_category = 'patient' and stream_version = 1`)).rows.map((row) => row.id);
    } finally {
      await client.end();
    }
  };
  let movedPatients: string[];
  let meetingId: string;
  const SUMMARY = 'Synthèse de revue qui suit le réseau dans sa région.';
  const REVIEWS = 'query($id: ID!) { meeting(id: $id) { id reviews { summary } } }';

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    [nationalDb, regionDb] = await Promise.all([createTestDatabase('e2e_move_national'), createTestDatabase('e2e_move_region')]);
    await Promise.all([script('kafka.sh', 'start', brokers.national), script('kafka.sh', 'start', brokers.region)]);
    nationalPlatform = await startNational('region-m');
    // A network the national deployment hosts, with a team, four patients and a session.
    const { createRegionalNetwork } = await data<{ createRegionalNetwork: { id: string } }>(nationalCall, national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', {
      input: HOSTED_NETWORK,
    });
    networkId = createRegionalNetwork.id;
    team = await activity(nationalCall, networkId, 'hosted', 4);
    movedPatients = await patientIds(nationalDb.url);
    // A case-review meeting: its summary is encrypted under the meetings service's key of the patient.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { scheduleMeeting } = await data<{ scheduleMeeting: { id: string } }>(nationalCall, team.gp, 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }', {
      input: { microstructureId: team.microstructureId, scheduledOn: yesterday, format: 'VIDEO' },
    });
    meetingId = scheduleMeeting.id;
    await eventually(
      () =>
        nationalCall(team.gp, 'mutation($input: HoldMeetingInput!) { holdMeeting(input: $input) { id } }', {
          input: {
            meetingId,
            heldOn: yesterday,
            durationMinutes: 60,
            attendeeIds: [team.gp.professionalId, team.psychologist.professionalId],
            reviews: [{ patientId: movedPatients[0], decisions: ['NO_CHANGE'], nextReviewOn: shift(today, 30), summary: SUMMARY }],
          },
        }),
      (answer) => codesOf(answer).length === 0,
      90_000,
    );
    // Its own deployment, linked to the national cluster: it receives the network's record from the national level.
    mkdirSync(mirror.MIRROR_DATA, { recursive: true });
    const config = await run(process.execPath, ['-r', './tools/register.js', 'tools/federation/mm2-config.ts', `national=127.0.0.1:${brokers.national.KAFKA_PORT}`, `region-m=127.0.0.1:${brokers.region.KAFKA_PORT}`], {});
    if (config.code !== 0) throw new Error(config.output);
    writeFileSync(mirror.MIRROR_CONFIG, config.output);
    await script('mirror.sh', 'start', mirror);
    regionPlatform = await Platform.start({
      databaseUrl: regionDb.url,
      portOffset: 3950,
      demoData: false,
      timeoutMs: 300_000,
      env: {
        DEPLOYMENT_KIND: 'regional',
        DEPLOYMENT_ID: 'region-m',
        DEPLOYMENT_NETWORKS: networkId,
        FEDERATION_NATIONAL_ID: 'national',
        BUS: 'kafka',
        KAFKA_BROKERS: `127.0.0.1:${brokers.region.KAFKA_PORT}`,
        DASHBOARD_BUILD: 'false',
        ...exactCounts,
        ...regionKeys,
      },
    });
    await eventually(() => scalar(regionDb.url, 'select count(*) from directory.events where stream_id = $1', [`network-${networkId}`]), (n) => n > 0, 120_000);
  }, 900_000);

  afterAll(async () => {
    await Promise.all([nationalPlatform?.stop(), regionPlatform?.stop()]);
    await script('mirror.sh', 'stop', mirror).catch(() => undefined);
    await Promise.all([script('kafka.sh', 'stop', brokers.national), script('kafka.sh', 'stop', brokers.region)]).catch(() => undefined);
    await Promise.all([nationalDb?.drop(), regionDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('moves the network with its history: same indicators, identities only in the region, the national view fed by the region afterwards', async () => {
    const before = await indicators(nationalCall, [networkId]);
    const caseload = 'query($ms: ID!) { caseload(microstructureId: $ms) { totalCount nodes { patient { id identity { lastName } } } } }';
    const nationalCaseload = await data<{ caseload: { totalCount: number; nodes: { patient: { identity: { lastName: string } | null } }[] } }>(nationalCall, team.gp, caseload, { ms: team.microstructureId });
    expect(nationalCaseload.caseload.totalCount).toBe(4);
    expect(movedPatients).toHaveLength(4);

    // While the national platform runs, the command refuses and writes nothing.
    const refused = await move();
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('NATIONAL_RUNNING');
    expect(await scalar(regionDb.url, 'select count(*) from inclusions.events')).toBe(0);
    // Without the region's master key, it refuses too (the keys would stay under another one).
    await nationalPlatform!.stop();
    nationalPlatform = undefined;
    const keyless = await move({ REGION_INCLUSIONS_MASTER_KEY: '' });
    expect(keyless.code).toBe(1);
    expect(keyless.output).toContain('MASTER_KEYS_MISSING');
    expect(await scalar(nationalDb.url, 'select count(*) from inclusions.patient_keys')).toBe(4);

    // The move.
    const moved = await move();
    expect(moved.output).toContain('déplacé');
    expect(moved.code).toBe(0);
    // Nothing of the network's patients is left nationally: no stream, no key, no team copy.
    expect(await scalar(nationalDb.url, `select count(*) from inclusions.events where metadata->>'networkId' = $1`, [networkId])).toBe(0);
    expect(await scalar(nationalDb.url, 'select count(*) from inclusions.patient_keys')).toBe(0);
    expect(await scalar(nationalDb.url, 'select count(*) from meetings.patient_keys')).toBe(0);
    expect(await scalar(nationalDb.url, 'select count(*) from meetings.events')).toBe(0);
    expect(await scalar(nationalDb.url, 'select count(*) from inclusions.memberships where network_id = $1', [networkId])).toBe(0);
    expect(await scalar(nationalDb.url, `select count(*) from directory.events where stream_category = 'microstructure'`)).toBe(0);
    // The region holds the keys, under its own master key.
    expect(await scalar(regionDb.url, 'select count(*) from inclusions.patient_keys where master_key_id = $1 and patient_id = any($2::text[])', [regionKeys.INCLUSIONS_MASTER_KEY_ID, movedPatients])).toBe(4);
    // Run again, it finds nothing more to move.
    const again = await move();
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/libéré inclusions : 0 flux/);

    // The national deployment restarts, the network now owned by the region.
    nationalPlatform = await startNational(`region-m:${networkId}`);

    // In the region: the team sees its patients, identities readable (opened with the region's master key).
    const regional = await eventually(
      () => regionCall<{ caseload: { totalCount: number; nodes: { patient: { id: string; identity: { lastName: string } | null } }[] } }>(team.gp, caseload, { ms: team.microstructureId }),
      (answer) => answer.data?.caseload.totalCount === 4,
      120_000,
    );
    expect(regional.data!.caseload.nodes.map((node) => node.patient.identity?.lastName).sort()).toEqual(nationalCaseload.caseload.nodes.map((node) => node.patient.identity?.lastName).sort());
    // The case review's summary opens in the region, under the region's meetings key.
    const review = await eventually(
      () => regionCall<{ meeting: { reviews: { summary: string | null }[] } | null }>(team.gp, REVIEWS, { id: meetingId }),
      (answer) => answer.data?.meeting?.reviews.length === 1,
      120_000,
    );
    expect(review.data!.meeting!.reviews[0].summary).toBe(SUMMARY);
    expect(await scalar(regionDb.url, 'select count(*) from meetings.patient_keys where master_key_id = $1', [regionKeys.MEETINGS_MASTER_KEY_ID])).toBe(1);
    expect((await nationalCall<{ meeting: unknown }>(team.gp, REVIEWS, { id: meetingId })).data?.meeting ?? null).toBeNull();
    // Nationally: the team's caseload is gone, and the directory refuses to change the network's teams.
    const gone = await nationalCall<{ caseload: { totalCount: number } | null }>(team.gp, caseload, { ms: team.microstructureId });
    expect(gone.data?.caseload?.totalCount ?? 0).toBe(0);
    const owned = await nationalCall(coordinatorOf([networkId]), 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
      input: { networkId, name: 'Après le déplacement', department: '14', practiceSite: { name: 'Cabinet', type: 'GROUP_PRACTICE', address: { street: '1 rue', postalCode: '14000', city: 'Caen' } } },
    });
    expect(codesOf(owned)).toEqual(['NETWORK_OWNED_BY_REGION']);

    // The region's reporting counted the moved history exactly as the national one had.
    await eventually(() => indicators(regionCall, [networkId]), (after) => JSON.stringify(after) === JSON.stringify(before), 180_000);
    // What the region records next reaches the national view, and the republished history is not counted twice.
    const reached = await reach(nationalCall, [networkId]);
    await include(regionCall, team, 5, 'FEMALE');
    await eventually(() => reach(nationalCall, [networkId]), (n) => n === reached + 1, 180_000);
    const nationalAfter = await eventually(
      () => Promise.all([indicators(nationalCall, [networkId]), indicators(regionCall, [networkId])]),
      ([nationally, regionally]) => JSON.stringify(nationally) === JSON.stringify(regionally),
      120_000,
    );
    expect(nationalAfter[0]).toEqual(nationalAfter[1]);
  }, 900_000);
});

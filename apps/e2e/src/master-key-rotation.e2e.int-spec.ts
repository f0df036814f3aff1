import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Platform } from './platform';

/**
 * Master key rotation, as operators run it: the platform runs with its demo (patients with encrypted
 * identities, a year of case-review meetings with encrypted summaries) under the old master keys; it is
 * restarted with the new keys as current and the old ones as previous; the rotation commands re-wrap
 * every patient key while it serves; then it runs with the new keys only (the old ones destroyed) and
 * every identity and summary reads as before.
 */

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const twoYearsAgo = `${Number(today.slice(0, 4)) - 2}${today.slice(4)}`;
const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
const TEAM = 'Microstructure des Tilleuls (démo)';
const MICROSTRUCTURES = '{ microstructures(page: { first: 100 }) { nodes { id name networkId members { professionalId profession } } } }';
const CASELOAD = `query($ms: ID!, $after: String) { caseload(microstructureId: $ms, page: { first: 100, after: $after }) { totalCount pageInfo { hasNextPage endCursor }
  nodes { patient { id erased identity { lastName firstName birthDate } } inclusion { id status } } } }`;
const MEETINGS = 'query($ms: ID!, $from: String!, $to: String!) { meetings(microstructureId: $ms, from: $from, to: $to) { id heldOn reviews { patientId summary summaryErased } } }';

type Caseload = { caseload: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { patient: { id: string; erased: boolean; identity: Record<string, string> | null } }[] } };
type Meetings = { meetings: { id: string; reviews: { patientId: string; summary: string | null; summaryErased: boolean }[] }[] };

const key = () => randomBytes(32).toString('base64');

describe('master key rotation', () => {
  let database: TestDatabase;
  let platform: Platform | undefined;
  const old = { inclusions: key(), meetings: key() };
  const next = { inclusions: key(), meetings: key() };
  const readyTimeout = Number(process.env.SERVICE_READY_TIMEOUT_S ?? 60) * 1000 * 2;
  const oldKeys = { INCLUSIONS_MASTER_KEY: old.inclusions, INCLUSIONS_MASTER_KEY_ID: 'inc-2025', MEETINGS_MASTER_KEY: old.meetings, MEETINGS_MASTER_KEY_ID: 'mtg-2025' };
  const newKeys = { INCLUSIONS_MASTER_KEY: next.inclusions, INCLUSIONS_MASTER_KEY_ID: 'inc-2026', MEETINGS_MASTER_KEY: next.meetings, MEETINGS_MASTER_KEY_ID: 'mtg-2026' };
  const duringRotation = { ...newKeys, INCLUSIONS_PREVIOUS_MASTER_KEYS: `inc-2025:${old.inclusions}`, MEETINGS_PREVIOUS_MASTER_KEYS: `mtg-2025:${old.meetings}` };

  beforeAll(async () => {
    database = await createTestDatabase('e2e_key_rotation');
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  async function careTeam(on: Platform): Promise<{ id: string; member: Identity }> {
    const { microstructures } = await on.data<{ microstructures: { nodes: { id: string; name: string; networkId: string; members: { professionalId: string; profession: string }[] }[] } }>(national, MICROSTRUCTURES);
    const team = microstructures.nodes.find((m) => m.name === TEAM);
    if (!team) throw new Error(`${TEAM} is not in the directory`);
    const gp = team.members.find((m) => m.profession === 'GENERAL_PRACTITIONER') ?? team.members[0];
    return { id: team.id, member: { userId: `u-${gp.professionalId}`, roles: ['professional'], networkIds: [team.networkId], microstructureIds: [team.id], professionalId: gp.professionalId } };
  }

  /** Every identity of the team's caseload and every case-review summary of its meetings, decrypted. */
  async function secrets(on: Platform) {
    const team = await careTeam(on);
    const identities: Caseload['caseload']['nodes'] = [];
    for (let after: string | null = null; ; ) {
      const page: Caseload = await on.data<Caseload>(team.member, CASELOAD, { ms: team.id, after });
      identities.push(...page.caseload.nodes);
      if (!page.caseload.pageInfo.hasNextPage) break;
      after = page.caseload.pageInfo.endCursor;
    }
    const { meetings } = await on.data<Meetings>(team.member, MEETINGS, { ms: team.id, from: twoYearsAgo, to: today });
    return { identities, summaries: meetings.flatMap((meeting) => meeting.reviews.map((review) => ({ meeting: meeting.id, ...review }))) };
  }

  const keyIds = async (table: string) =>
    (await database.pool.query<{ master_key_id: string; n: number }>(`select master_key_id, count(*)::int as n from ${table} where wrapped_key is not null group by 1 order by 1`)).rows;

  const start = (env: Record<string, string>, portOffset: number, demoData = false) =>
    Platform.start({ databaseUrl: database.url, portOffset, demoData, env: { ...env, INCLUSIONS_PREVIOUS_MASTER_KEYS: '', MEETINGS_PREVIOUS_MASTER_KEYS: '', ...env }, timeoutMs: readyTimeout });

  it('re-wraps every patient key under the new master key while the service runs; identities and summaries read the same with the new key alone', async () => {
    platform = await start(oldKeys, 5700, true);
    // The case-review meetings come with the demo's generated year, loaded after the platform is ready.
    await platform.demoLoaded();
    const before = await secrets(platform);
    expect(before.identities.length).toBeGreaterThan(0);
    expect(before.identities.every((node) => node.patient.erased || node.patient.identity?.lastName)).toBe(true);
    expect(before.summaries.filter((review) => review.summary).length).toBeGreaterThan(0);
    expect(await keyIds('inclusions.patient_keys')).toEqual([{ master_key_id: 'inc-2025', n: expect.any(Number) }]);
    expect(await keyIds('meetings.patient_keys')).toEqual([{ master_key_id: 'mtg-2025', n: expect.any(Number) }]);

    // 1. Restart with the new keys as current and the old ones as previous: everything still reads.
    await platform.stop();
    platform = await start(duringRotation, 5750);
    expect(await secrets(platform)).toEqual(before);

    // 2. The rotation commands, while the platform serves identities and summaries.
    const rotate = (service: string) => run('npm', ['run', '-s', `rotate-master-key:${service}`], { cwd: root, env: { ...process.env, ...duringRotation, DATABASE_URL: database.url } });
    let rotating = true;
    const readsDuring: unknown[] = [];
    const reading = (async () => {
      while (rotating) readsDuring.push(await secrets(platform!));
    })();
    const [inclusions, meetings] = await Promise.all([rotate('inclusions'), rotate('meetings')]).finally(() => (rotating = false));
    await reading;
    expect(readsDuring.length).toBeGreaterThan(0);
    for (const reading of readsDuring) expect(reading).toEqual(before);
    expect(inclusions.stdout).toMatch(/inclusions : [1-9]\d* clé\(s\) de patient re-chiffrée\(s\) sous la clé maîtresse « inc-2026 »/);
    expect(inclusions.stdout).toContain('plus aucune clé sous une ancienne clé maîtresse');
    expect(meetings.stdout).toMatch(/meetings : [1-9]\d* clé\(s\) de patient re-chiffrée\(s\) sous la clé maîtresse « mtg-2026 »/);
    expect(await keyIds('inclusions.patient_keys')).toEqual([{ master_key_id: 'inc-2026', n: expect.any(Number) }]);
    expect(await keyIds('meetings.patient_keys')).toEqual([{ master_key_id: 'mtg-2026', n: expect.any(Number) }]);
    // A second run has nothing left to do.
    expect((await rotate('inclusions')).stdout).toMatch(/inclusions : 0 clé\(s\) de patient re-chiffrée\(s\)/);

    // 3. The old keys destroyed: the platform runs with the new keys only, and reads the same.
    await platform.stop();
    platform = await start(newKeys, 5700);
    expect(await secrets(platform)).toEqual(before);
  }, 900_000);
});

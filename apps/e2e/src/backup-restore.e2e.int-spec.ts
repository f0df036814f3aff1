import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually, Platform } from './platform';

/**
 * Backups that are proven: the platform with its demo data (directory, a care team's patients with
 * their encrypted identities, trainings, indicators) is backed up by tools/backup/backup.sh (event
 * stores and key tables only), restored by tools/backup/restore.sh into a fresh database, and started
 * again: every read model is rebuilt from the events — including the reporting service's, from the
 * integration events the relays publish again — and gives the same answers as before the backup.
 */

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`;
const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
const TEAM = 'Microstructure des Tilleuls (démo)';

const DIRECTORY = `{
  networks(page: { first: 100 }) { totalCount nodes { id name region departments microstructures(page: { first: 100 }) { totalCount nodes { id name status members { professionalId profession startedOn } } } } }
  professionals(page: { first: 100 }) { totalCount nodes { id lastName firstName profession } }
}`;
const MICROSTRUCTURES = '{ microstructures(page: { first: 100 }) { nodes { id name networkId members { professionalId profession } } } }';
const CASELOAD = `query($ms: ID!) { caseload(microstructureId: $ms, page: { first: 100 }) { totalCount nodes {
  patient { id sex birthYear erased identity { lastName firstName birthDate } }
  inclusion { id status includedOn inclusionNumber sessions { id kind heldOn } assessments { timepoint } }
} } }`;
const IDENTITY_READS = 'query($ms: ID!) { identityReads(microstructureId: $ms, page: { first: 100 }) { totalCount nodes { id readAt patientId readerUserId purpose } } }';
const TRAININGS = '{ trainings { id title kind theme sessions { id date registeredCount waitListedCount attendedCount } registrations { id status professionalId attended } } }';
const CATALOGUE = '{ indicatorCatalogue { code available granularities } }';
const INDICATORS = `query($codes: [String!]!, $period: PeriodInput!) { indicators(codes: $codes, period: $period) {
  code available totals { period numerator denominator value suppressed } cells { period numerator denominator value suppressed }
} }`;

describe('backup and restore', () => {
  let source: TestDatabase | undefined;
  let restored: TestDatabase | undefined;
  let platform: Platform | undefined;
  const folder = mkdtempSync(path.join(tmpdir(), 'cnrms-backup-'));
  const readyTimeout = Number(process.env.SERVICE_READY_TIMEOUT_S ?? 60) * 1000 * 2;

  afterAll(async () => {
    await platform?.stop();
    await source?.drop();
    await restored?.drop();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  /** The care team of the demo and one of its professionals (patient data is for the team only). */
  async function careTeam(on: Platform): Promise<{ id: string; member: Identity }> {
    const { microstructures } = await on.data<{ microstructures: { nodes: { id: string; name: string; networkId: string; members: { professionalId: string; profession: string }[] }[] } }>(national, MICROSTRUCTURES);
    const team = microstructures.nodes.find((m) => m.name === TEAM);
    if (!team) throw new Error(`${TEAM} is not in the directory`);
    const gp = team.members.find((m) => m.profession === 'GENERAL_PRACTITIONER') ?? team.members[0];
    return { id: team.id, member: { userId: `u-${gp.professionalId}`, roles: ['professional'], networkIds: [team.networkId], microstructureIds: [team.id], professionalId: gp.professionalId } };
  }

  /** What people see: the directory, the caseload with decrypted identities, the trainings, every available indicator. */
  async function answers(on: Platform) {
    const team = await careTeam(on);
    const { indicatorCatalogue } = await on.data<{ indicatorCatalogue: { code: string; available: boolean; granularities: string[] }[] }>(national, CATALOGUE);
    const codes = (monthly: boolean) => indicatorCatalogue.filter((i) => i.available && i.granularities.includes('MONTH') === monthly).map((i) => i.code);
    return {
      directory: await on.data(national, DIRECTORY),
      caseload: await on.data(team.member, CASELOAD, { ms: team.id }),
      trainings: await on.data(national, TRAININGS),
      monthly: await on.data(national, INDICATORS, { codes: codes(true), period: { from: yearAgo, to: today, granularity: 'MONTH' } }),
      yearly: await on.data(national, INDICATORS, { codes: codes(false), period: { from: yearAgo, to: today, granularity: 'YEAR' } }),
    };
  }

  it('restores the event stores and keys into a fresh database, rebuilds every read model and gives the same answers', async () => {
    source = await createTestDatabase('e2e_backup');
    platform = await Platform.start({ databaseUrl: source.url, portOffset: 5600, demoData: true, env: { DEMO_HISTORY: 'false' }, timeoutMs: readyTimeout });
    // The demo is loaded through the bus: wait until two readings in a row agree (every consumer caught up).
    let previous = '';
    const before = await eventually(
      async () => {
        const current = await answers(platform!);
        const same = JSON.stringify(current) === previous;
        previous = JSON.stringify(current);
        return { current, same };
      },
      (reading) => reading.same,
      120_000,
    );
    const team = await careTeam(platform);
    const caseload = before.current.caseload as { caseload: { totalCount: number; nodes: { patient: { identity: { lastName: string } | null } }[] } };
    expect(caseload.caseload.totalCount).toBeGreaterThan(0);
    expect(caseload.caseload.nodes.every((node) => node.patient.identity?.lastName)).toBe(true);
    // The reporting service counted the demo (its answers are part of what must come back).
    const totals = [before.current.monthly, before.current.yearly].flatMap((answer) => (answer as { indicators: { totals: { numerator: number | null }[] }[] }).indicators.flatMap((i) => i.totals));
    expect(totals.some((cell) => (cell.numerator ?? 0) > 0)).toBe(true);
    const auditBefore = await platform.data(team.member, IDENTITY_READS, { ms: team.id });

    const file = path.join(folder, 'platform.dump');
    const backup = await run('bash', ['tools/backup/backup.sh', file], { cwd: root, env: { ...process.env, DATABASE_URL: source.url } });
    expect(backup.stdout).toMatch(/backup: inclusions: [1-9]\d* events, patient keys: [1-9]/);
    await platform.stop();
    platform = undefined;

    restored = await createTestDatabase('e2e_restore');
    await run('bash', ['tools/backup/restore.sh', file], { cwd: root, env: { ...process.env, DATABASE_URL: restored.url } });
    // Read models and reporting are not in the backup: empty until the platform rebuilds them.
    const { rows } = await restored.pool.query<{ n: number }>('select count(*)::int as n from inclusions.patients');
    expect(rows[0].n).toBe(0);
    await expect(restored.pool.query('select 1 from reporting.inbox')).rejects.toThrow(/reporting/);
    // A restore into a database that is not fresh is refused.
    await expect(run('bash', ['tools/backup/restore.sh', file], { cwd: root, env: { ...process.env, DATABASE_URL: restored.url } })).rejects.toMatchObject({ stderr: expect.stringMatching(/fresh database/) });

    platform = await Platform.start({ databaseUrl: restored.url, portOffset: 5650, demoData: false, timeoutMs: readyTimeout });
    // The audit of identity reads is restored as it was (read before anyone reads an identity again).
    expect(await platform.data(team.member, IDENTITY_READS, { ms: team.id })).toEqual(auditBefore);
    const after = await eventually(() => answers(platform!), (current) => JSON.stringify(current) === JSON.stringify(before.current), 180_000).catch(async (error: Error) => {
      // Show the difference rather than two long documents.
      expect(await answers(platform!)).toEqual(before.current);
      throw error;
    });
    expect(after).toEqual(before.current);
  }, 900_000);
});

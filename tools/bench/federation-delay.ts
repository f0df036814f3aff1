/**
 * Replication delay from a command in a region to the national indicators, and what three deployments take on
 * one machine (docs/deployments.md). Starts `npm run federation` (national + BENCH_REGIONS regions, default 2),
 * sends BENCH_COMMANDS (default 100) `createMicrostructure` one after the other through region-a's gateway, and
 * for each event reads when the region's own reporting applied it (the baseline: command → the region's
 * indicator, same bus hop without MirrorMaker) and when the national reporting did (command → relay → region's
 * Kafka → MirrorMaker 2 → national Kafka → national reporting). Delays are the consumer's transaction time
 * (reporting.messaging_processed.processed_at) minus the event's time (occurred_at), one machine's clock.
 * Then the resident memory and process count of the deployments (Node processes, brokers, MirrorMaker).
 *
 *   node -r ./tools/register.js tools/bench/federation-delay.ts
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DEV_JWT_SECRET, issueToken } from '@cnrms/auth';
import { intFromEnv, percentile } from './stats';

const root = path.resolve(__dirname, '../..');
const COMMANDS = intFromEnv('BENCH_COMMANDS', 100);
const REGIONS = intFromEnv('BENCH_REGIONS', 2);
const name = `bench_fed_${process.pid}`;
const dataDir = path.join(root, '.data', 'federation', name);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = (alias: string) => Object.assign(new URL(serverUrl), { pathname: `/${name}_${alias.replace(/-/g, '_')}` }).toString();

type Summary = { national: { gateway: string }; regions: Record<string, { gateway: string; networkId: string; mirrorData: string }> };

function startFederation(): Promise<{ child: ChildProcess; summary: Summary }> {
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'tools/federation/federation.ts', '--regions', String(REGIONS)], {
    cwd: root,
    env: { ...process.env, FEDERATION_NAME: name, FEDERATION_DATA: dataDir, FEDERATION_PORT_OFFSET: process.env.BENCH_PORT_OFFSET ?? '3800', DASHBOARD_BUILD: 'false', LOG_LEVEL: 'warn', AUTH_JWT_SECRET: DEV_JWT_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const ready = /federation ready in ([\d.]+) s (\{.*\})/.exec(output);
      if (ready) {
        clearInterval(timer);
        console.log(`federation of ${REGIONS + 1} deployments ready in ${ready[1]} s`);
        resolve({ child, summary: JSON.parse(ready[2]) as Summary });
      }
    }, 200);
    child.on('exit', (code) => reject(new Error(`federation exited (${code}):\n${output.slice(-4000)}`)));
  });
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Resident memory (MiB) and count of a process and its descendants. */
function tree(pids: number[]): { rssMiB: number; processes: number } {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=']).toString().trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number));
  const wanted = new Set(pids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (wanted.has(ppid) && !wanted.has(pid)) {
        wanted.add(pid);
        grew = true;
      }
    }
  }
  const kept = rows.filter(([pid]) => wanted.has(pid));
  return { rssMiB: Math.round(kept.reduce((sum, [, , rss]) => sum + rss, 0) / 1024), processes: kept.length };
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const { child, summary } = await startFederation();
  try {
    const region = summary.regions['region-a'];
    const token = issueToken({ userId: 'bench', roles: ['regional_coordinator'], networkIds: [region.networkId], microstructureIds: [] }, { secret: DEV_JWT_SECRET });
    for (let n = 0; n < COMMANDS; n++) {
      const response = await fetch(`${region.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }',
          variables: { input: { networkId: region.networkId, name: `Banc ${n}`, department: '21', practiceSite: { name: `Cabinet ${n}`, type: 'GROUP_PRACTICE', address: { street: '1 rue', postalCode: '21000', city: 'Dijon' } } } },
        }),
      });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    }
    const EVENTS = `select i.event_id, i.occurred_at, p.processed_at from reporting.inbox i join reporting.messaging_processed p on p.event_id = i.event_id and p.consumer_group = 'reporting' where i.type = 'directory.MicrostructureCreated'`;
    const deadline = Date.now() + 300_000;
    let national: { event_id: string; occurred_at: Date; processed_at: Date }[] = [];
    while (national.length < COMMANDS && Date.now() < deadline) {
      national = (await query(dbUrl('national'), EVENTS)) as typeof national;
      if (national.length < COMMANDS) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const regional = (await query(dbUrl('region-a'), EVENTS)) as typeof national;
    const delays = (rows: typeof national) => rows.map((r) => r.processed_at.getTime() - r.occurred_at.getTime()).sort((a, b) => a - b);
    const up = delays(national);
    const base = delays(regional);
    const ratio = (p: number) => (percentile(up, p) / Math.max(1, percentile(base, p))).toFixed(1);
    console.log(`commands: ${COMMANDS}; reached the national reporting: ${national.length}; load average at start: ${load}; now: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`command → region's own indicator (baseline): p50 ${percentile(base, 50)} ms, p99 ${percentile(base, 99)} ms`);
    console.log(`command → national indicator (MirrorMaker 2): p50 ${percentile(up, 50)} ms, p99 ${percentile(up, 99)} ms (ratio p50 ${ratio(50)}, p99 ${ratio(99)})`);

    const pidOf = (file: string) => (existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined);
    const jvms = ['national', ...Object.keys(summary.regions)].map((alias) => pidOf(path.join(dataDir, `kafka-${alias}`, 'kafka.pid')));
    const mirrors = Object.values(summary.regions).map((r) => pidOf(path.join(r.mirrorData, 'mirror.pid')));
    const node = tree([child.pid!]);
    const brokers = tree(jvms.filter((pid): pid is number => Boolean(pid)));
    const mm2 = tree(mirrors.filter((pid): pid is number => Boolean(pid)));
    const backends = await query(serverUrl, `select count(*)::int as n from pg_stat_activity where datname like $1`, [`${name}_%`]);
    console.log(`${REGIONS + 1} deployments: Node (launcher, platforms, services, gateways) ${node.processes} processes ${node.rssMiB} MiB; Kafka brokers ${brokers.processes} processes ${brokers.rssMiB} MiB; MirrorMaker 2 ${mm2.processes} processes ${mm2.rssMiB} MiB; total ${node.rssMiB + brokers.rssMiB + mm2.rssMiB} MiB; PostgreSQL backends on the shared server: ${backends[0].n}`);
  } finally {
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT')));
    const databases = (await query(serverUrl, 'select datname from pg_database where datname like $1', [`${name}_%`])) as { datname: string }[];
    for (const { datname } of databases) await query(serverUrl, `drop database "${datname}" with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

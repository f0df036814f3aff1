import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DEV_JWT_SECRET, Identity } from '@cnrms/auth';
import { GraphQLAnswer, tokenFor } from './platform';

const root = path.resolve(__dirname, '../../..');

export interface FederationSummary {
  national: { gateway: string; kafka: string };
  regions: Record<string, { gateway: string; kafka: string; networkId: string; mirrorData: string }>;
}

/** `npm run federation` in a test: a national deployment and its regions, each its own database and broker, MirrorMaker 2 between them. */
export class Federation {
  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    readonly dataDir: string,
    readonly summary: FederationSummary,
    readonly output: () => string,
  ) {}

  static async start(options: { regions: number; portOffset: number; kafkaPort: number; timeoutMs?: number }): Promise<Federation> {
    const name = `t_fed_${randomBytes(3).toString('hex')}`;
    const dataDir = path.join(root, '.data', 'federation', name);
    let output = '';
    const child = spawn(process.execPath, ['-r', './tools/register.js', 'tools/federation/federation.ts', '--regions', String(options.regions), ...(process.env.FEDERATION_TEST_LOG ? ['--verbose'] : [])], {
      cwd: root,
      env: {
        ...process.env,
        FEDERATION_NAME: name,
        FEDERATION_DATA: dataDir,
        FEDERATION_PORT_OFFSET: String(options.portOffset + Number(process.env.TEST_PORT_SHIFT ?? 0)),
        FEDERATION_KAFKA_PORT: String(options.kafkaPort),
        AUTH_JWT_SECRET: DEV_JWT_SECRET,
        DASHBOARD_BUILD: 'false',
        // A link is shown late after 8 s without a MirrorMaker heartbeat (one a second while it runs).
        FEDERATION_LATE_AFTER_S: '8',
        // The test compares counts across platforms cell for cell, small ones included: disclosure control is
        // turned off (the cell key perturbation depends on each patient's random pseudonymous id, and the
        // coordinators who read them get protected figures); it has its own tests in reporting.
        REPORTING_CELL_KEY_MAX_PERTURBATION: '0',
        REPORTING_SUPPRESSION_THRESHOLD: '2',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const summary = await new Promise<FederationSummary>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`federation not ready in time:\n${output.slice(-5000)}`)), options.timeoutMs ?? 400_000);
      const check = setInterval(() => {
        const ready = /federation ready in [\d.]+ s (\{.*\})/.exec(output);
        if (ready) {
          clearInterval(check);
          clearTimeout(timer);
          resolve(JSON.parse(ready[1]) as FederationSummary);
        }
      }, 100);
      child.on('exit', (code) => {
        clearInterval(check);
        clearTimeout(timer);
        reject(new Error(`federation exited with code ${code}:\n${output.slice(-5000)}`));
      });
    });
    child.removeAllListeners('exit');
    return new Federation(child, name, dataDir, summary, () => output);
  }

  /** Stops everything it started, drops its databases and removes its brokers' data. */
  async stop(): Promise<void> {
    // FEDERATION_TEST_LOG=<file>: the launcher's output (every deployment's, with --verbose) is kept there.
    if (process.env.FEDERATION_TEST_LOG) writeFileSync(process.env.FEDERATION_TEST_LOG, this.output());
    if (this.child.exitCode === null) {
      await new Promise((resolve) => {
        this.child.once('exit', resolve);
        this.child.kill('SIGINT');
      });
    }
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${this.name}_%`]);
      for (const { datname } of rows) await admin.query(`drop database "${datname}" with (force)`);
    } finally {
      await admin.end();
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Stops or starts the MirrorMaker 2 of a region's link (`tools/kafka/mirror.sh`). */
  mirror(region: string, action: 'stop' | 'start'): Promise<void> {
    const data = this.summary.regions[region].mirrorData;
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['tools/kafka/mirror.sh', action], { cwd: root, env: { ...process.env, MIRROR_DATA: data, MIRROR_CONFIG: path.join(data, 'mm2.properties') }, stdio: 'pipe' });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mirror.sh ${action}: ${output}`))));
    });
  }
}

/** A GraphQL call to any gateway with a development token for `identity`. */
export async function graphql<T = Record<string, unknown>>(gateway: string, identity: Identity, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
  const response = await fetch(`${gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(identity)}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLAnswer<T>;
}

// `npm run federation`: on one machine, a national deployment and regional ones side by side, each its own
// PostgreSQL database, its own Kafka broker and its own platform (tools/start), MirrorMaker 2 between the
// national cluster and each region's (docs/deployments.md). Ctrl-C stops everything; data is kept.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DEV_JWT_SECRET, issueToken } from '@cnrms/auth';
import { mirrorMakerProperties } from './mm2-config';
import { federationOptions, FederationOptions, Member } from './options';

const root = path.resolve(__dirname, '..', '..');
const log = (message: string) => console.log(`[federation] ${message}`);

class Federation {
  private readonly platforms = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(private readonly options: FederationOptions) {}

  async start(): Promise<void> {
    const started = Date.now();
    const { national, regions } = this.options;
    mkdirSync(this.options.dataDir, { recursive: true });
    await Promise.all([national, ...regions].map((member) => this.createDatabase(member)));
    await Promise.all([national, ...regions].map((member) => this.script('kafka.sh', 'start', this.kafkaEnv(member))));
    const state = this.readState();
    const known = regions.every((region) => state.networks[region.alias]);
    await this.startPlatform(national, this.nationalEnv(state.networks));
    if (!known) {
      for (const region of regions) state.networks[region.alias] ??= await this.createNetwork(national, region);
      writeFileSync(this.statePath(), JSON.stringify(state, null, 2));
      // The national deployment learns which networks each region owns from its configuration: restart it with them.
      log('restarting the national deployment with the networks the regions own');
      await this.stopPlatform(national);
      await this.startPlatform(national, this.nationalEnv(state.networks));
    }
    await Promise.all(regions.map((region) => this.startMirror(region)));
    await Promise.all(regions.map((region) => this.startPlatform(region, this.regionalEnv(region, state.networks[region.alias]))));
    const summary = {
      national: { gateway: this.gatewayUrl(national), kafka: `127.0.0.1:${national.kafkaPort}` },
      regions: Object.fromEntries(
        regions.map((r) => [r.alias, { gateway: this.gatewayUrl(r), kafka: `127.0.0.1:${r.kafkaPort}`, networkId: state.networks[r.alias], mirrorData: this.mirrorDir(r) }]),
      ),
    };
    log(`federation ready in ${((Date.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(summary)}`);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    log('stopping…');
    await Promise.all([...this.platforms.keys()].map((alias) => this.stopPlatformByAlias(alias)));
    for (const region of this.options.regions) await this.script('mirror.sh', 'stop', this.mirrorEnv(region)).catch(() => undefined);
    for (const member of [this.options.national, ...this.options.regions]) await this.script('kafka.sh', 'stop', this.kafkaEnv(member)).catch(() => undefined);
  }

  private nationalEnv(networks: Record<string, string>): Record<string, string> {
    const regions = this.options.regions.map((r) => (networks[r.alias] ? `${r.alias}:${networks[r.alias]}` : r.alias)).join(',');
    return { DEPLOYMENT_KIND: 'national', DEPLOYMENT_ID: this.options.national.alias, FEDERATION_REGIONS: regions };
  }

  private regionalEnv(region: Member, networkId: string): Record<string, string> {
    return { DEPLOYMENT_KIND: 'regional', DEPLOYMENT_ID: region.alias, DEPLOYMENT_NETWORKS: networkId, FEDERATION_NATIONAL_ID: this.options.national.alias };
  }

  private async createDatabase(member: Member): Promise<void> {
    const admin = new Client({ connectionString: this.options.serverUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [member.database]);
      if (!rowCount) await admin.query(`create database "${member.database}"`);
    } finally {
      await admin.end();
    }
  }

  private databaseUrl(member: Member): string {
    const url = new URL(this.options.serverUrl);
    url.pathname = `/${member.database}`;
    return url.toString();
  }

  private gatewayUrl(member: Member): string {
    return `http://127.0.0.1:${4000 + member.portOffset}`;
  }

  private kafkaEnv(member: Member): Record<string, string> {
    return { KAFKA_PORT: String(member.kafkaPort), KAFKA_CONTROLLER_PORT: String(member.kafkaPort + 1), KAFKA_DATA: path.join(this.options.dataDir, `kafka-${member.alias}`) };
  }

  private mirrorDir(region: Member): string {
    return path.join(this.options.dataDir, `mirror-${region.alias}`);
  }

  private mirrorEnv(region: Member): Record<string, string> {
    return { MIRROR_DATA: this.mirrorDir(region), MIRROR_CONFIG: path.join(this.mirrorDir(region), 'mm2.properties') };
  }

  private async startMirror(region: Member): Promise<void> {
    const { national } = this.options;
    mkdirSync(this.mirrorDir(region), { recursive: true });
    const properties = mirrorMakerProperties({ alias: national.alias, bootstrap: `127.0.0.1:${national.kafkaPort}` }, { alias: region.alias, bootstrap: `127.0.0.1:${region.kafkaPort}` });
    writeFileSync(this.mirrorEnv(region).MIRROR_CONFIG, properties);
    await this.script('mirror.sh', 'start', this.mirrorEnv(region));
  }

  private async startPlatform(member: Member, deployment: Record<string, string>): Promise<void> {
    const env = {
      ...process.env,
      ...deployment,
      DATABASE_URL: this.databaseUrl(member),
      PORT_OFFSET: String(member.portOffset),
      BUS: 'kafka',
      KAFKA_BROKERS: `127.0.0.1:${member.kafkaPort}`,
      DEMO_DATA: 'false',
      // One dashboard build serves every deployment (the first start builds it when stale).
      DASHBOARD_BUILD: member === this.options.national ? (process.env.DASHBOARD_BUILD ?? 'true') : 'false',
    };
    const child = spawn(process.execPath, ['tools/start/start.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.platforms.set(member.alias, child);
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${member.alias}] ${line}\n`)
        .join('');
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (this.options.verbose) process.stdout.write(prefix(chunk));
        if (output.includes('platform ready')) resolve();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        if (this.options.verbose) process.stderr.write(prefix(chunk));
        else output += chunk.toString();
      });
      child.once('exit', (code) => {
        if (!this.stopping && this.platforms.get(member.alias) === child) {
          log(`${member.alias} stopped unexpectedly (code ${code}):\n${output.slice(-4000)}`);
          reject(new Error(`${member.alias} stopped (code ${code}):\n${output.slice(-4000)}`));
        }
      });
    });
    log(`${member.alias} ready at ${this.gatewayUrl(member)}`);
  }

  private async stopPlatform(member: Member): Promise<void> {
    await this.stopPlatformByAlias(member.alias);
  }

  private async stopPlatformByAlias(alias: string): Promise<void> {
    const child = this.platforms.get(alias);
    this.platforms.delete(alias);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGINT');
    });
  }

  private async createNetwork(national: Member, region: Member): Promise<string> {
    const token = issueToken({ userId: 'federation', displayName: 'Lancement de la fédération', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] }, { secret: process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: '5m' });
    const response = await fetch(`${this.gatewayUrl(national)}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }',
        variables: { input: { name: region.networkName, region: region.region, departments: region.departments } },
      }),
    });
    const answer = (await response.json()) as { data?: { createRegionalNetwork: { id: string } }; errors?: unknown[] };
    if (!answer.data) throw new Error(`could not create the network of ${region.alias}: ${JSON.stringify(answer.errors)}`);
    log(`network of ${region.alias} created nationally: ${answer.data.createRegionalNetwork.id}`);
    return answer.data.createRegionalNetwork.id;
  }

  private statePath(): string {
    return path.join(this.options.dataDir, 'federation.json');
  }

  private readState(): { networks: Record<string, string> } {
    return existsSync(this.statePath()) ? JSON.parse(readFileSync(this.statePath(), 'utf8')) : { networks: {} };
  }

  private script(name: string, action: string, env: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [path.join(root, 'tools', 'kafka', name), action], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} ${action} failed:\n${output}`))));
    });
  }
}

async function main() {
  const options = federationOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(readFileSync(path.join(__dirname, 'README.md'), 'utf8'));
    return;
  }
  // Checked once here rather than three times by the platforms.
  if (spawnSync('java', ['-version']).status !== 0) throw new Error('Java is needed for Kafka and MirrorMaker 2 (apt-get install -y default-jre-headless)');
  const federation = new Federation(options);
  const stop = (code: number) => void federation.stop().finally(() => process.exit(code));
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  await federation.start().catch((error: Error) => {
    console.error(`[federation] ${error.message}`);
    stop(1);
  });
}

void main();

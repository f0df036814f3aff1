// `npm run move-network -- --network <id> --national <database url> --region <database url>`: moves a network
// hosted by the national deployment to its own regional deployment, with its whole history (docs/deployments.md,
// "Moving a network"). The national deployment is stopped meanwhile; the region runs (it already received the
// network's record from the national level). Each service's own step does its part (`apps/<service>/src/
// move-network.cli.ts`): first every copy into the region (resumable), then every release nationally.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { NetworkMoveRefused, NetworkMoveReport } from '@cnrms/service-kit';
import { Client } from 'pg';

const root = path.resolve(__dirname, '..', '..');
/** The order of the copies: the teams before what happened in them (the region's consumers see them first). */
export const MOVE_SERVICES = ['directory', 'training', 'inclusions', 'meetings'] as const;

export interface MoveNetworkOptions {
  networkId: string;
  nationalDatabaseUrl: string;
  regionDatabaseUrl: string;
  /** Environment of the services' steps: the national master keys (INCLUSIONS_/MEETINGS_MASTER_KEY…) and the region's (REGION_…). */
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** One service's step as its command prints it. */
export type StepReport = NetworkMoveReport & { phase: 'copy' | 'release' };


async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What must hold before anything is written. */
async function checkPreconditions(options: MoveNetworkOptions): Promise<void> {
  const stream = `network-${options.networkId}`;
  // The patients' keys go under the region's own master keys: without them a step would fall back to a development key.
  const missing = ['REGION_INCLUSIONS_MASTER_KEY', 'REGION_MEETINGS_MASTER_KEY'].filter((name) => !options.env[name]);
  if (missing.length > 0) throw new NetworkMoveRefused('MASTER_KEYS_MISSING', `${missing.join(' et ')} : la clé maîtresse de la région est obligatoire (rien n’a été écrit).`);
  await withClient(options.nationalDatabaseUrl, async (national) => {
    const { rows: others } = await national.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    if (others[0].n > 0) {
      throw new NetworkMoveRefused('NATIONAL_RUNNING', `La base nationale a ${others[0].n} autre(s) connexion(s) : arrêtez les services de la plateforme nationale avant de déplacer un réseau (rien n’a été écrit).`);
    }
    const { rowCount } = await national.query('select 1 from directory.events where stream_id = $1 limit 1', [stream]);
    if (!rowCount) throw new NetworkMoveRefused('NETWORK_NOT_FOUND', `Le réseau ${options.networkId} n’existe pas dans la plateforme nationale (rien n’a été écrit).`);
  });
  await withClient(options.regionDatabaseUrl, async (region) => {
    const { rowCount } = await region.query("select 1 from information_schema.tables where table_schema = 'directory' and table_name = 'events'").then(async (found) =>
      found.rowCount ? region.query('select 1 from directory.events where stream_id = $1 limit 1', [stream]) : found,
    );
    if (!rowCount) {
      throw new NetworkMoveRefused(
        'REGION_NOT_READY',
        `La plateforme régionale n’a pas reçu le réseau ${options.networkId} : démarrez-la avec DEPLOYMENT_NETWORKS=${options.networkId} et le lien MirrorMaker 2 vers le national, puis relancez (rien n’a été écrit).`,
      );
    }
  });
}

function runStep(service: string, phase: 'copy' | 'release', options: MoveNetworkOptions): Promise<StepReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './tools/register.js', `apps/${service}/src/move-network.cli.ts`, phase], {
      cwd: root,
      env: { ...options.env, MOVE_NETWORK_ID: options.networkId, NATIONAL_DATABASE_URL: options.nationalDatabaseUrl, REGION_DATABASE_URL: options.regionDatabaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      if (code === 0) return resolve(JSON.parse(out.trim().split('\n').pop()!) as StepReport);
      const line = err.trim().split('\n').pop() ?? '';
      try {
        const refusal = JSON.parse(line) as { code: string; message: string };
        reject(new NetworkMoveRefused(refusal.code, refusal.message));
      } catch {
        reject(new NetworkMoveRefused('MOVE_FAILED', `${service} ${phase} : ${line || `code ${code}`}`));
      }
    });
  });
}

/** Copies every service's part into the region, then releases every one nationally. */
export async function moveNetwork(options: MoveNetworkOptions): Promise<StepReport[]> {
  const log = options.log ?? (() => undefined);
  await checkPreconditions(options);
  const reports: StepReport[] = [];
  for (const phase of ['copy', 'release'] as const) {
    for (const service of MOVE_SERVICES) {
      const report = await runStep(service, phase, options);
      log(`${phase === 'copy' ? 'copié' : 'libéré'} ${service} : ${report.streams} flux, ${report.events} événements${phase === 'copy' ? ` (${report.imported} écrits)` : ''}, ${report.keys} clés, ${report.rows} lignes`);
      reports.push(report);
    }
  }
  return reports;
}

function argument(args: string[], name: string, fallback: string | undefined): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
}

async function main() {
  const args = process.argv.slice(2);
  const networkId = argument(args, '--network', process.env.MOVE_NETWORK_ID);
  const nationalDatabaseUrl = argument(args, '--national', process.env.NATIONAL_DATABASE_URL);
  const regionDatabaseUrl = argument(args, '--region', process.env.REGION_DATABASE_URL);
  if (!networkId || !nationalDatabaseUrl || !regionDatabaseUrl) {
    console.error('usage : npm run move-network -- --network <id> --national <url de la base nationale> --region <url de la base régionale>  (voir docs/deployments.md)');
    process.exitCode = 2;
    return;
  }
  const log = (line: string) => console.log(`[move-network] ${line}`);
  try {
    await moveNetwork({ networkId, nationalDatabaseUrl, regionDatabaseUrl, env: process.env, log });
    log(`réseau ${networkId} déplacé. Ajoutez-le à FEDERATION_REGIONS (<région>:${networkId}) et redémarrez la plateforme nationale : ses projections se reconstruisent au démarrage.`);
  } catch (error) {
    const code = error instanceof NetworkMoveRefused ? error.code : 'MOVE_FAILED';
    console.error(`[move-network] ${code} : ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();

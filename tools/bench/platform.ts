import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEV_JWT_SECRET } from '@cnrms/auth';

const root = path.resolve(__dirname, '../..');

/**
 * The whole platform as `npm start` runs it (tools/start/start.js: every service and the gateway), on the given
 * database, without demo data, its ports shifted by `portOffset`; resolves once it says « platform ready ».
 * `bus`: the integration bus (`postgres` by default; `kafka` reads KAFKA_BROKERS, 127.0.0.1:19092 by default).
 */
export async function startPlatform(options: { databaseUrl: string; portOffset: number; bus?: string }): Promise<{ gateway: string; stop: () => Promise<unknown> }> {
  const bus = options.bus ? { BUS: options.bus, KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092' } : {};
  const child = spawn(process.execPath, ['tools/start/start.js'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, PORT_OFFSET: String(options.portOffset), DEMO_DATA: 'false', LOG_LEVEL: 'warn', AUTH_JWT_SECRET: DEV_JWT_SECRET, ...bus },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => output.includes('platform ready') && (clearInterval(timer), resolve()), 100);
    child.on('exit', (code) => (clearInterval(timer), reject(new Error(`platform exited (${code}):\n${output.slice(-4000)}`))));
  });
  return { gateway: `http://127.0.0.1:${4000 + options.portOffset}/graphql`, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT'))) };
}

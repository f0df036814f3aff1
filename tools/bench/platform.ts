import { spawn } from 'node:child_process';
import os from 'node:os';
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

/** The machine's load average (1, 5 and 15 minutes), as each bench prints it beside its figures. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The buses a bench runs on: `BENCH_BUS=postgres|kafka|both` (default both). */
export const benchBuses = (): string[] => ((process.env.BENCH_BUS ?? 'both') === 'both' ? ['postgres', 'kafka'] : [process.env.BENCH_BUS as string]);

/**
 * A platform bench's main: prints the machine and the load, runs `run` on each bus (platforms 200 ports apart from
 * `firstPortOffset`, one after the other) and prints its rows as a table; exits 1 with the message on failure.
 */
export function benchOnEachBus(firstPortOffset: number, run: (bus: string, portOffset: number) => Promise<Record<string, unknown>>): void {
  const main = async () => {
    console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
    console.log(`load average before: ${loadAverage()}`);
    const results = [];
    for (const [index, bus] of benchBuses().entries()) results.push(await run(bus, firstPortOffset + index * 200));
    console.table(results);
  };
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}

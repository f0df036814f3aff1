import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_JWT_SECRET, Identity, issueToken } from '@cnrms/auth';

const root = path.resolve(__dirname, '../../..');

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** The whole platform as `npm start` runs it (every service its own process, the gateway), on moved ports. */
export class Platform {
  private constructor(
    private readonly child: ChildProcess,
    readonly gatewayUrl: string,
    readonly output: () => string,
  ) {}

  static async start(options: { databaseUrl: string; portOffset: number; demoData: boolean; env?: Record<string, string>; timeoutMs?: number }): Promise<Platform> {
    let output = '';
    // TEST_PORT_SHIFT moves every end-to-end platform further, so that two checkouts can run their suites side by side.
    const portOffset = options.portOffset + Number(process.env.TEST_PORT_SHIFT ?? 0);
    const child = spawn(process.execPath, ['tools/start/start.js'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        PORT_OFFSET: String(portOffset),
        DEMO_DATA: String(options.demoData),
        AUTH_JWT_SECRET: DEV_JWT_SECRET,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const platform = new Platform(child, `http://127.0.0.1:${4000 + portOffset}`, () => output);
    // Waits while the start makes progress (its output grows: `npm start` says every 20 s which service it still
    // waits for), and gives up after `timeoutMs` without a new line — not after a fixed time a loaded machine misses.
    const stallMs = options.timeoutMs ?? 120_000;
    await new Promise<void>((resolve, reject) => {
      let seen = output.length;
      let lastProgress = Date.now();
      const check = setInterval(() => {
        if (output.includes('platform ready')) {
          clearInterval(check);
          resolve();
        } else if (output.length !== seen) {
          seen = output.length;
          lastProgress = Date.now();
        } else if (Date.now() - lastProgress > stallMs) {
          clearInterval(check);
          reject(new Error(`platform made no progress for ${stallMs / 1000} s:\n${output}`));
        }
      }, 100);
      child.on('exit', (code) => {
        clearInterval(check);
        reject(new Error(`platform exited with code ${code}:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
    return platform;
  }

  /**
   * Waits until the demo's generated year is loaded: `npm start` says the platform is ready before it, then
   * `demo year loaded` when it is done (tools/start/start.js). For tests that count on the whole year (the
   * dashboard's figures). Gives up after `stallMs` without a new line of output (the loader says every 15 s
   * that it still loads), not after a fixed time.
   */
  async demoLoaded(stallMs = 120_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      let seen = -1;
      let lastProgress = Date.now();
      const check = setInterval(() => {
        const output = this.output();
        if (output.includes('[start] demo year loaded')) {
          clearInterval(check);
          resolve();
        } else if (output.includes('[start] demo year not loaded') || this.child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`the demo year did not load:\n${output}`));
        } else if (output.length !== seen) {
          seen = output.length;
          lastProgress = Date.now();
        } else if (Date.now() - lastProgress > stallMs) {
          clearInterval(check);
          reject(new Error(`the demo year made no progress for ${stallMs / 1000} s:\n${output}`));
        }
      }, 100);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise((resolve) => {
      this.child.once('exit', resolve);
      this.child.kill('SIGINT');
    });
  }

  /** The process id of each service and of the gateway, as `npm start` runs them now (they change when one is restarted). */
  servicePids(): Record<string, number> {
    const pids: Record<string, number> = {};
    const visit = (pid: number) => {
      let children: number[] = [];
      try {
        children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return;
      }
      for (const child of children) {
        const command = (() => {
          try {
            return readFileSync(`/proc/${child}/cmdline`, 'utf8');
          } catch {
            return '';
          }
        })();
        const service = /apps\/([a-z]+)\/src\/main\.[jt]s/.exec(command)?.[1];
        if (service) pids[service] = child;
        visit(child);
      }
    };
    if (this.child.pid) visit(this.child.pid);
    return pids;
  }

  /** A GraphQL call through the gateway, with a token for `identity` (none when null). */
  async query<T = Record<string, unknown>>(identity: Identity | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (identity) headers.authorization = `Bearer ${tokenFor(identity)}`;
    const response = await fetch(`${this.gatewayUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphQLAnswer<T>;
  }

  /** Like `query`, but fails the test with the errors when there are any. */
  async data<T = Record<string, unknown>>(identity: Identity | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const answer = await this.query<T>(identity, query, variables);
    if (answer.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(answer.errors)}`);
    return answer.data as T;
  }
}

export function tokenFor(identity: Identity, expiresIn = '10m'): string {
  return issueToken(identity, { secret: DEV_JWT_SECRET, expiresIn });
}

export function codesOf(answer: GraphQLAnswer<unknown>): (string | undefined)[] {
  return (answer.errors ?? []).map((e) => e.extensions?.code);
}

/** Polls `read` until `accept` holds (asynchronous flows between services), or fails with the last value. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

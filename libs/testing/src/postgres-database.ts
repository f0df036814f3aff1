import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';

/** The server that tests create their databases on: `TEST_DATABASE_URL`, else the machine's PostgreSQL. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, named after the suite, dropped at the end. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `t_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const serverUrl = testServerUrl();
  await withAdmin(serverUrl, (admin) => admin.query(`create database "${name}"`));
  const url = withDatabase(serverUrl, name);
  const pool = new Pool({ connectionString: url, max: 20 });
  // Idle connections are cut when the database is dropped at the end of a suite: that is expected.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      await withAdmin(serverUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

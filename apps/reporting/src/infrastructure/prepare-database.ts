import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ensureActiveFactSet } from '../application/facts/fact-sets';
import { REPORTING_MIGRATIONS } from './migrations';

/**
 * What the service does at start, for a database where it never ran (a benchmark's scratch database):
 * the `reporting` schema, its migrations recorded as the service records them, and a first fact set.
 */
export async function prepareReportingDatabase(url: string, pool: Pool): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock(hashtext('cnrms:create-schema:reporting'))`);
    await client.query('create schema if not exists reporting');
    await client.query('commit');
  } finally {
    await client.end();
  }
  const dataSource = new DataSource({ type: 'postgres', url, schema: 'reporting', migrations: REPORTING_MIGRATIONS, migrationsTableName: 'read_model_migrations', logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
  await ensureActiveFactSet(pool);
}

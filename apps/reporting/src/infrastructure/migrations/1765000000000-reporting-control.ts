import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting's control tables. `inbox`: every integration event reporting accepted, in the order it
 * handled them (`seq`), once each (`event_id`): the log a rebuild replays, whatever the bus. `fact_sets`:
 * the versions of the fact tables (one PostgreSQL schema each, `reporting_facts_<version>`), the one
 * queries read (`ACTIVE`), the one a rebuild fills (`BUILDING`), their position in the inbox and progress.
 */
export class ReportingControl1765000000000 implements MigrationInterface {
  name = 'ReportingControl1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table reporting.inbox (
        seq bigserial primary key,
        event_id text not null unique,
        type text not null,
        version integer not null,
        topic text not null,
        payload jsonb not null,
        occurred_at timestamptz not null,
        received_at timestamptz not null default now()
      );
      create table reporting.fact_sets (
        version integer primary key,
        schema_name text not null unique,
        layout integer not null,
        status text not null check (status in ('BUILDING', 'ACTIVE', 'RETIRED', 'FAILED')),
        position bigint not null default 0,
        events_applied bigint not null default 0,
        last_event_at timestamptz,
        target_position bigint,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz,
        activated_at timestamptz,
        error text
      );
      create unique index fact_sets_one_active on reporting.fact_sets ((true)) where status = 'ACTIVE';
      create unique index fact_sets_one_building on reporting.fact_sets ((true)) where status = 'BUILDING';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table reporting.fact_sets, reporting.inbox');
  }
}

import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { DataSource, DataSourceOptions } from 'typeorm';
import { upcast, Upcaster } from '../command/upcasting';
import { EventMetadata, RecordedEvent, streamCategory } from '../store/event-store.port';
import { Projection } from './projection';

/** An event given to a projection spec: its stream, type and data; the rest is filled in. */
export interface GivenEvent {
  streamId: string;
  type: string;
  data: unknown;
  metadata?: Partial<EventMetadata>;
  recordedAt?: Date;
}

/** Every table of the schema, each as its rows (sorted), to compare a read model with its rebuild. */
export type SchemaRows = Record<string, unknown[]>;

/**
 * A projection (or several) on a fresh database of the test server, with the service's own migrations and
 * entities: Given events (applied one transaction each, in order, as the projection runner does — categories
 * and upcasters included), Then rows. `rebuild()` empties the projections and applies every event given so
 * far again, and gives the schema's rows before and after: a read model must equal its rebuild.
 */
export class ProjectionSpec {
  private readonly applied: RecordedEvent[] = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly database: TestDatabase,
    readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly projections: readonly Projection[],
    private readonly upcasters: readonly Upcaster[],
  ) {}

  static async start(options: {
    label: string;
    schema: string;
    projections: readonly Projection[];
    migrations: NonNullable<DataSourceOptions['migrations']>;
    entities?: DataSourceOptions['entities'];
    upcasters?: readonly Upcaster[];
  }): Promise<ProjectionSpec> {
    const database = await createTestDatabase(options.label);
    await database.pool.query(`create schema if not exists "${options.schema}"`);
    const dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      schema: options.schema,
      entities: options.entities ?? [],
      migrations: options.migrations,
      migrationsTableName: 'read_model_migrations',
      synchronize: false,
      logging: false,
      extra: { max: 4 },
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    return new ProjectionSpec(database, dataSource, options.schema, options.projections, options.upcasters ?? []);
  }

  /** Given these events, in this order (each stream's versions follow on). */
  async given(...events: readonly GivenEvent[]): Promise<void> {
    for (const given of events) {
      const version = (this.versions.get(given.streamId) ?? 0) + 1;
      this.versions.set(given.streamId, version);
      const recorded: RecordedEvent = {
        streamId: given.streamId,
        streamVersion: version,
        position: { commit: BigInt(this.applied.length + 1), prepare: BigInt(this.applied.length + 1) },
        type: given.type,
        data: given.data,
        metadata: { eventId: `event-${this.applied.length + 1}`, correlationId: 'spec', causationId: null, actorId: 'spec', networkId: null, occurredAt: new Date().toISOString(), ...given.metadata },
        recordedAt: given.recordedAt ?? new Date(),
      };
      this.applied.push(recorded);
      await this.apply(recorded);
    }
  }

  /** Then: the rows a query reads. */
  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.database.pool.query(sql, params)).rows as T[];
  }

  /** Every table of the schema (read models, and what consumers keep), each as its sorted rows. */
  async schemaRows(): Promise<SchemaRows> {
    const tables = await this.rows<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' and table_name <> 'read_model_migrations' order by 1`,
      [this.schema],
    );
    const rows: SchemaRows = {};
    for (const { name } of tables) {
      const [{ all }] = await this.rows<{ all: unknown[] }>(`select coalesce(json_agg(t order by t::text), '[]'::json) as all from "${this.schema}"."${name}" t`);
      rows[name] = all;
    }
    return rows;
  }

  /** Empties the projections and applies every event given so far again: the rows before, and after. */
  async rebuild(): Promise<{ live: SchemaRows; rebuilt: SchemaRows }> {
    const live = await this.schemaRows();
    await this.dataSource.transaction(async (manager) => {
      for (const projection of this.projections) await projection.reset(manager);
    });
    for (const event of this.applied) await this.apply(event);
    return { live, rebuilt: await this.schemaRows() };
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.database.drop();
  }

  private async apply(event: RecordedEvent): Promise<void> {
    const category = streamCategory(event.streamId);
    await this.dataSource.transaction(async (manager) => {
      for (const projection of this.projections) {
        if (!projection.categories || projection.categories.includes(category)) await projection.apply(upcast(event, this.upcasters), manager);
      }
    });
  }
}

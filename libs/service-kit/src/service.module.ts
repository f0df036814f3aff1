import { DynamicModule, Inject, Injectable, MiddlewareConsumer, Module, NestModule, OnApplicationBootstrap, OnModuleDestroy, Provider, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createSchemaIfMissing, EventStore, EventStoreDbEventStore, PostgresEventStore, Projection, ProjectionRunner } from '@cnrms/eventsourcing';
import { Logger } from 'pino';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { BaseConfig } from './config';
import { CommandExecutor } from './command-executor';
import { HealthController } from './health.controller';
import { requestContext } from './logger';
import { MetricsController, projectionApplied } from './metrics';
import { EVENT_STORE, LOGGER, PG_POOL, SERVICE_CONFIG, SERVICE_OPTIONS } from './tokens';
import { IntegrationConsumer, RelayDefinition, ServiceIntegration } from './integration';
import { startTracing } from '@cnrms/tracing';
import { tracedEventStore, traceRequest } from './tracing';

export interface ServiceOptions {
  /** Service name; also its PostgreSQL schema. */
  service: string;
  config: BaseConfig;
  logger: Logger;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  projections: Type<Projection>[];
  /** Start the projections when the application starts (off in tests that drive them by hand). */
  runProjections?: boolean;
  /** The integration events the service publishes (through its relay). */
  relay?: RelayDefinition;
  /** The integration events it consumes from other services. */
  consumers?: IntegrationConsumer[];
  /** National deployment: keep each region's link liveness from MirrorMaker's heartbeats (docs/deployments.md). */
  watchFederationLinks?: boolean;
}

@Injectable()
class ServiceLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    private readonly projections: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  private readonly integration = new ServiceIntegration(this.options.service, this.options.config, this.options.logger);

  async onApplicationBootstrap() {
    if (this.options.runProjections !== false) await this.projections.start();
    await this.integration.start(this.store, this.pool, this.options.relay, this.options.consumers ?? [], { watchLinks: this.options.watchFederationLinks });
  }

  async onModuleDestroy() {
    await this.integration.stop();
    await this.projections.stop();
    await this.store.close();
    await this.pool.end();
    await startTracing(this.options.service).flush();
  }
}

/**
 * What every service has: validated configuration, JSON logs with correlation ids, its PostgreSQL
 * schema (read models through TypeORM, migrations run at start), the event store, the projection
 * runner, the command executor, health and metrics endpoints.
 */
@Module({})
export class ServiceKitModule implements NestModule {
  constructor(@Inject(SERVICE_OPTIONS) private readonly serviceOptions: ServiceOptions) {}

  static forRoot(options: ServiceOptions): DynamicModule {
    const projectionProviders: Provider[] = options.projections;
    // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; no-ops otherwise.
    startTracing(options.service);
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        TerminusModule,
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await ensureSchema(options.config.DATABASE_URL, options.service);
            return {
              type: 'postgres' as const,
              url: options.config.DATABASE_URL,
              schema: options.service,
              entities: options.entities,
              migrations: options.migrations,
              migrationsTableName: 'read_model_migrations',
              migrationsRun: true,
              synchronize: false,
              logging: false,
              extra: { max: 10 },
            };
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_OPTIONS, useValue: options },
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        {
          provide: PG_POOL,
          useFactory: () => {
            const pool = new Pool({ connectionString: options.config.DATABASE_URL, max: 10 });
            // An idle connection closed by the server (a restart, or the server stopping first on Ctrl-C: 57P01)
            // is dropped by the pool; without a listener its 'error' would end the process as unhandled.
            pool.on('error', (error: Error & { code?: string }) => options.logger.warn({ code: error.code }, 'an idle database connection was closed by the server'));
            return pool;
          },
        },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL],
          useFactory: async (pool: Pool): Promise<EventStore> => {
            if (options.config.EVENT_STORE === 'eventstoredb') {
              // Verified against a real server only where one runs (see the README).
              return tracedEventStore(new EventStoreDbEventStore({ connectionString: options.config.EVENTSTORE_URL, streamPrefix: `${options.service}.` }), options.service);
            }
            const store = new PostgresEventStore({ pool, schema: options.service });
            await store.migrate();
            return tracedEventStore(store, options.service);
          },
        },
        ...projectionProviders,
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, DataSource, ...options.projections],
          useFactory: (store: EventStore, dataSource: DataSource, ...projections: Projection[]) =>
            new ProjectionRunner({
              store,
              dataSource,
              schema: options.service,
              onError: (projection, error) => options.logger.error({ projection, err: error }, 'projection failed; it will retry from its checkpoint'),
              onApplied: (projection, count) => projectionApplied.inc({ projection }, count),
            }).register(...projections),
        },
        CommandExecutor,
        ServiceLifecycle,
      ],
      exports: [SERVICE_OPTIONS, SERVICE_CONFIG, LOGGER, PG_POOL, EVENT_STORE, ProjectionRunner, CommandExecutor, TypeOrmModule],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply((req: { headers: Record<string, string | undefined> }, res: Parameters<typeof traceRequest>[2], next: () => void) => {
        const correlationId = req.headers['x-correlation-id'] || randomUUID();
        req.headers['x-correlation-id'] = correlationId;
        traceRequest(this.serviceOptions.service, req, res, () => requestContext.run({ correlationId }, next));
      })
      .forRoutes('*');
  }
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await createSchemaIfMissing((text, values) => client.query(text, values), schema);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'pino';
import { serviceConfig, ServiceConfig } from './config';
import { createLogger, PinoNestLogger } from './logger';
import { writeSubgraphSdl } from './subgraph-sdl';

/**
 * Starts a service: JSON logs, graceful shutdown on SIGTERM/SIGINT (projections stop, connections
 * close), listening on `port` (0 for a random port, as tests do).
 */
export async function startService(module: DynamicModule, logger: Logger, port: number): Promise<INestApplication> {
  const app = await NestFactory.create(module, { logger: new PinoNestLogger(logger), bodyParser: true });
  app.enableShutdownHooks();
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  logger.info({ port: app.getHttpServer().address().port }, 'service listening');
  return app;
}

/** A service's `main`: reads and validates its configuration, starts it, and exits with a clear log line if it cannot. */
export function runService(service: string, defaultPort: number, module: (config: ServiceConfig, logger: Logger) => DynamicModule): void {
  const logger = createLogger(service);
  const sdl = process.argv.indexOf('--sdl');
  (async () => {
    const config = serviceConfig(defaultPort);
    // `--sdl <file> [--check]` (the `sdl` Nx target): the subgraph's SDL, without starting anything.
    if (sdl !== -1) return writeSubgraphSdl(service, module(config, logger), process.argv[sdl + 1], process.argv.includes('--check'));
    await startService(module(config, logger), logger, config.port);
  })().catch((error: unknown) => {
    logger.fatal({ err: error }, `the ${service} service could not start`);
    process.exit(1);
  });
}

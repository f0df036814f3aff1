import pino from 'pino';
import { gatewayConfig } from './config';
import { createGateway } from './gateway';
import { subgraphsFromEnvironment } from './subgraphs';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'gateway' }, timestamp: pino.stdTimeFunctions.isoTime });

async function main() {
  const config = gatewayConfig();
  const { subgraphs, missing } = subgraphsFromEnvironment();
  if (missing.length) logger.warn({ missing }, 'some subgraphs have no committed schema and are left out of the supergraph');
  const gateway = await createGateway(config, subgraphs, logger);
  const stop = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  logger.fatal({ err: error }, 'the gateway could not start');
  process.exit(1);
});

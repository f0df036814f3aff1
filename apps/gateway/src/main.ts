import { gatewayConfig, GatewayConfigurationError } from './config';
import { startTracing } from '@cnrms/tracing';
import { createGateway, createLogger } from './gateway';

async function main() {
  let config;
  try {
    config = gatewayConfig();
  } catch (error) {
    if (!(error instanceof GatewayConfigurationError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; no-ops otherwise.
  const tracing = startTracing('gateway');
  try {
    const gateway = await createGateway(config, { logger });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'gateway stopping');
      await gateway.stop();
      await tracing.shutdown().catch(() => undefined);
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  } catch (error) {
    logger.fatal({ err: error }, 'the gateway could not start');
    process.exit(1);
  }
}

void main();

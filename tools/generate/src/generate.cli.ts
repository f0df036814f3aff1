/**
 * The synthetic history generator.
 *
 *   node -r ./tools/register.js tools/generate/src/generate.cli.ts plan     [parameters]
 *   node -r ./tools/register.js tools/generate/src/generate.cli.ts commands [parameters] [--if-empty] [--concurrency 6]
 *   node -r ./tools/register.js tools/generate/src/generate.cli.ts bulk     [parameters] --database-url <url> [--if-empty] [--max-events N] [--validate-every N]
 *
 * parameters: --size small|2023|planned, --seed, --regions, --networks, --microstructures,
 * --patients-per-year, --months, --end-date (default: yesterday in France). `plan` prints what the
 * plan holds; `commands` sends it through the gateway (GATEWAY_URL, AUTH_JWT_SECRET); `bulk` writes
 * its integration events straight into the bus's event log (see README).
 */
import { Pool } from 'pg';
import { bulkLoad, countLogEvents } from './drivers/bulk.driver';
import { sendThroughGateway } from './drivers/command.driver';
import { flagValue, parametersFromArgs } from './parameters';
import { planHistory, summarise } from './plan/plan';

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const parameters = parametersFromArgs(args);
  const plan = planHistory(parameters);
  console.log(`[generate] ${JSON.stringify(parameters)}`);
  switch (command) {
    case 'plan': {
      const started = Date.now();
      console.log(JSON.stringify(summarise(plan), null, 2));
      console.log(`[generate] planned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    case 'bulk': {
      const url = flagValue(args, '--database-url') ?? process.env.DATABASE_URL;
      if (!url) throw new Error('bulk: --database-url or DATABASE_URL');
      const pool = new Pool({ connectionString: url, max: 2 });
      try {
        const existing = await countLogEvents(pool);
        if (existing > 0 && args.includes('--if-empty') && !args.includes('--resume')) return console.log(`[generate] the bus log already holds ${existing} events: nothing written`);
        const result = await bulkLoad({
          pool,
          plan,
          maxEvents: flagValue(args, '--max-events') ? Number(flagValue(args, '--max-events')) : undefined,
          validateEvery: Number(flagValue(args, '--validate-every') ?? 1),
          resume: args.includes('--resume'),
          batchSize: flagValue(args, '--batch-size') ? Number(flagValue(args, '--batch-size')) : undefined,
          onProgress: ({ events, month, seconds }) => process.stdout.write(`\r[generate] ${events} events, up to ${month}, ${seconds.toFixed(0)} s, ${Math.round(events / seconds)} events/s   `),
        });
        console.log(`\n${JSON.stringify(result, null, 2)}`);
      } finally {
        await pool.end();
      }
      return;
    }
    case 'commands': {
      const concurrency = Number(flagValue(args, '--concurrency') ?? 6);
      await sendThroughGateway({ plan, gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000', secret: process.env.AUTH_JWT_SECRET, concurrency, ifEmpty: args.includes('--if-empty'), log: console.log });
      return;
    }
    default:
      throw new Error('usage: generate.cli.ts plan|commands|bulk [parameters] (see the file’s header)');
  }
}

main().catch((error: Error) => {
  console.error(`[generate] ${error.message}`);
  process.exit(1);
});

import { Pool } from 'pg';
import { backfillInboxFromBus } from './application/facts/backfill';
import { rebuildFacts, RebuildProgress } from './application/facts/rebuild';
import { cellWritingOf } from './application/facts/fact-sets';
import { reportingSettings } from './config';
import { prepareReportingDatabase } from './infrastructure/prepare-database';

/**
 * Rebuilds reporting's fact tables from the start of its inbox, beside a running service (the switch is
 * coordinated in PostgreSQL), with a progress bar: events done, rate, time left.
 *
 *   DATABASE_URL=postgres://… node -r ./tools/register.js apps/reporting/src/rebuild.cli.ts [--batch 50000] [--from-bus [schema]]
 *
 * `--from-bus` first copies into the inbox the events of the embedded bus's log it lacks (default schema `bus`).
 */

const WIDTH = 30;

export function progressLine(p: RebuildProgress): string {
  const share = p.eventsTotal > 0 ? Math.min(1, p.eventsDone / p.eventsTotal) : 1;
  const filled = Math.round(share * WIDTH);
  const left = p.secondsLeft === null ? '?' : `${Math.floor(p.secondsLeft / 60)} min ${p.secondsLeft % 60} s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(1)} % ${p.eventsDone}/${p.eventsTotal} événements, ${p.ratePerSecond}/s, reste ${left}`;
}

async function main(): Promise<void> {
  const batchIndex = process.argv.indexOf('--batch');
  const batchSize = batchIndex > 0 ? Number(process.argv[batchIndex + 1]) : 50_000;
  const busIndex = process.argv.indexOf('--from-bus');
  const busSchema = busIndex > 0 && process.argv[busIndex + 1] && !process.argv[busIndex + 1].startsWith('--') ? process.argv[busIndex + 1] : 'bus';
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch : un entier positif');
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cnrms';
  const pool = new Pool({ connectionString: url, max: 3 });
  const tty = process.stdout.isTTY;
  const started = Date.now();
  try {
    await prepareReportingDatabase(url, pool);
    if (busIndex > 0) {
      const copied = await backfillInboxFromBus(pool, busSchema);
      process.stdout.write(`Journal du bus (${busSchema}) : ${copied} événements copiés dans la boîte de réception en ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const done = await rebuildFacts(pool, {
      batchSize,
      // The service's own secret and windows: the cells' record keys and window counts must match what it answers with.
      ...cellWritingOf(reportingSettings()),
      onStarted: (p) => process.stdout.write(`Reconstruction vers la version ${p.version} des tables de faits (${p.eventsTotal} événements dans le journal)\n`),
      onProgress: (p) => {
        process.stdout.write(tty ? `\r${progressLine(p)}` : `${progressLine(p)}\n`);
      },
    });
    process.stdout.write(`\nVersion ${done.version} active : ${done.eventsDone} événements en ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`\nReconstruction échouée : ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}


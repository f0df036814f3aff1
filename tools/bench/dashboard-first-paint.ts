/**
 * The dashboard's national view with the demo data: time to first meaningful paint (the networks table
 * drawn with the directory's data), to the indicators drawn (the reporting service's answer), first
 * contentful paint, and what the browser downloads; plus the production bundle's size.
 *
 *   node -r ./tools/register.js tools/bench/dashboard-first-paint.ts
 *
 * It starts the platform as `npm start` does (embedded mode, demo data, the dashboard built if stale) on a
 * scratch database (TEST_DATABASE_URL's server) and moved ports (BENCH_PORT_OFFSET, default 6300), then
 * opens /national BENCH_RUNS times (default 10) in headless Chromium (/usr/bin/chromium or
 * CHROMIUM_PATH): each run in a fresh browser context (empty cache: a first visit), then as many reloads
 * in one context (warm cache). The national coordination's token is put in the session beforehand, so
 * sign-in is not counted. BENCH_JSON=<file> writes the results.
 */
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@cnrms/testing';
import { launchChromium, LAPTOP } from '../../apps/e2e/src/dashboard-browser';
import { Platform } from '../../apps/e2e/src/platform';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const PORT_OFFSET = Number(process.env.BENCH_PORT_OFFSET ?? 6300);
const dist = path.resolve(__dirname, '../../apps/dashboard/dist');

interface Run {
  meaningfulMs: number;
  indicatorsMs: number | null;
  firstContentfulMs: number | null;
  bytes: number;
  requests: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const summary = (values: number[]) => ({ median: Math.round(percentile(values, 50)), p90: Math.round(percentile(values, 90)), min: Math.round(Math.min(...values)), max: Math.round(Math.max(...values)) });

function bundle() {
  const files = readdirSync(path.join(dist, 'assets')).map((name) => {
    const content = readFileSync(path.join(dist, 'assets', name));
    return { name, bytes: statSync(path.join(dist, 'assets', name)).size, gzip: gzipSync(content, { level: 9 }).length };
  });
  const sum = (list: typeof files, key: 'bytes' | 'gzip') => list.reduce((total, f) => total + f[key], 0);
  const js = files.filter((f) => f.name.endsWith('.js'));
  const css = files.filter((f) => f.name.endsWith('.css'));
  return { files: files.sort((a, b) => b.bytes - a.bytes), js: { bytes: sum(js, 'bytes'), gzip: sum(js, 'gzip') }, css: { bytes: sum(css, 'bytes'), gzip: sum(css, 'gzip') } };
}

async function main() {
  const database = await createTestDatabase('bench_dashboard');
  let platform: Platform | undefined;
  const browser = await launchChromium();
  try {
    const started = Date.now();
    platform = await Platform.start({ databaseUrl: database.url, portOffset: PORT_OFFSET, demoData: true, timeoutMs: 240_000 });
    console.log(`platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const base = platform.gatewayUrl;
    const response = await fetch(`${base}/auth/demo/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'demo:national' }) });
    const { token } = (await response.json()) as { token: string };
    // The reporting service reads the other services' events: wait until it counts the demo caseload.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ reportingFreshness { eventsApplied } }' }),
      }).then((r) => r.json() as Promise<{ data?: { reportingFreshness: { eventsApplied: number } } }>);
      if ((answer.data?.reportingFreshness.eventsApplied ?? 0) > 50 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const measure = async (page: import('playwright-core').Page, reload: boolean): Promise<Run> => {
      let bytes = 0;
      let requests = 0;
      // Bytes on the wire (compressed bodies as sent, headers included).
      const pending: Promise<void>[] = [];
      const count = (r: import('playwright-core').Response) => {
        requests++;
        pending.push(
          r
            .request()
            .sizes()
            .then((sizes) => void (bytes += sizes.responseBodySize + sizes.responseHeadersSize))
            .catch(() => undefined),
        );
      };
      page.on('response', count);
      if (reload) await page.reload();
      else await page.goto(`${base}/national`);
      await page.waitForFunction(() => performance.getEntriesByName('national-view-ready').length > 0, undefined, { timeout: 30_000 });
      await page
        .getByRole('heading', { name: /Tendance par mois : file active/ })
        .waitFor({ timeout: 30_000 })
        .catch(() => undefined);
      const timings = await page.evaluate(() => {
        const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? null;
        const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
        return { meaningful: mark('national-view-ready'), indicators: mark('national-view-indicators'), fcp: paint?.startTime ?? null };
      });
      await page.waitForLoadState('networkidle');
      page.off('response', count);
      await Promise.all(pending);
      return { meaningfulMs: timings.meaningful!, indicatorsMs: timings.indicators, firstContentfulMs: timings.fcp, bytes, requests };
    };

    const withSession = async () => {
      const context = await browser.newContext({ viewport: LAPTOP, locale: 'fr-FR' });
      await context.addInitScript((value) => sessionStorage.setItem('cnrms.session', value), token);
      return context;
    };
    // Warm-up (server caches, JIT).
    const warm = await withSession();
    await measure(await warm.newPage(), false);
    await warm.close();

    const cold: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await withSession();
      cold.push(await measure(await context.newPage(), false));
      await context.close();
    }
    const cached: Run[] = [];
    const context = await withSession();
    const page = await context.newPage();
    await measure(page, false);
    for (let i = 0; i < RUNS; i++) cached.push(await measure(page, true));
    await context.close();

    const report = (runs: Run[]) => ({
      firstMeaningfulPaintMs: summary(runs.map((r) => r.meaningfulMs)),
      indicatorsDrawnMs: runs.every((r) => r.indicatorsMs !== null) ? summary(runs.map((r) => r.indicatorsMs!)) : null,
      firstContentfulPaintMs: runs.every((r) => r.firstContentfulMs !== null) ? summary(runs.map((r) => r.firstContentfulMs!)) : null,
      transferredKiB: Math.round(percentile(runs.map((r) => r.bytes), 50) / 1024),
      requests: percentile(runs.map((r) => r.requests), 50),
    });
    const results = {
      date: new Date().toISOString(),
      machine: { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: browser.version() },
      runs: RUNS,
      firstVisit: report(cold),
      reload: report(cached),
      bundle: bundle(),
    };
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    console.log(`national view, first visit (empty cache), median of ${RUNS}:`, JSON.stringify(results.firstVisit));
    console.log(`national view, reload (warm cache), median of ${RUNS}:`, JSON.stringify(results.reload));
    console.log(`production bundle: JS ${kib(results.bundle.js.bytes)} (${kib(results.bundle.js.gzip)} gzip), CSS ${kib(results.bundle.css.bytes)} (${kib(results.bundle.css.gzip)} gzip)`);
    for (const file of results.bundle.files.slice(0, 8)) console.log(`  ${file.name}: ${kib(file.bytes)} (${kib(file.gzip)} gzip)`);
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
  } finally {
    await browser.close();
    await platform?.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

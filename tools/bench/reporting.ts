/**
 * Reporting at national size: a generated history of ≥ 5 million integration events in a scratch
 * database, then (a) the reporting service's live consumer draining that history from the bus (as after an
 * outage), in events per second, (b) the rebuild of its fact tables from the start of its inbox, in events per
 * second, and (c) p50/p95 of a national dashboard's indicator queries through the gateway, a funder's
 * year × network × sex × age-band export, and the same run's trivial gateway query as the floor.
 *
 *   nice -n 10 node -r ./tools/register.js tools/bench/reporting.ts
 *
 * BENCH_DATABASE=<name>   reuse a database already holding a generated history (never dropped);
 *                         otherwise a scratch database is created, loaded and dropped at the end
 *                         (BENCH_KEEP_DATABASE=true keeps it and prints its name)
 * BENCH_SIZE=planned      generator size (tools/generate: small, 2023, planned) and BENCH_MONTHS,
 *                         BENCH_SEED; BENCH_MAX_EVENTS stops the generation early (a measuring run)
 * BENCH_STEPS=generate,live,rebuild,queries   which parts to run (without `live`, the inbox is filled from
 *                         the bus log by one statement before the rebuild)
 * BENCH_LIVE_SECONDS=300  ends the live step after that long (by default it drains the whole history), the
 *                         platform stopped as at the end of any run
 * BENCH_REPETITIONS=20    rounds of the dashboard's queries, after 2 warm-up rounds
 * BENCH_JSON=<file>       writes the results; TEST_DATABASE_URL picks the server.
 *
 * The platform runs as `npm start` runs it (tools/start/start.js, PostgreSQL bus, no demo data) on
 * PORT_OFFSET=4600. The history is written by the generator's bulk driver, straight into the bus log:
 * see tools/bench/README.md for what that bypasses and why.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { DEV_JWT_SECRET, Identity, issueToken } from '@cnrms/auth';
import { migrateMessaging } from '@cnrms/messaging';
import { createTestDatabase } from '@cnrms/testing';
import { startPlatform } from './platform';
import { Pool } from 'pg';
import { bulkLoad, countLogEvents } from '../generate/src/drivers/bulk.driver';
import { parametersFromArgs } from '../generate/src/parameters';
import { planHistory } from '../generate/src/plan/plan';
import { addMonths, parisYesterday } from '../generate/src/plan/dates';

const PORT_OFFSET = 4600;
const STEPS = new Set((process.env.BENCH_STEPS ?? 'generate,live,rebuild,queries').split(','));
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 20);
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? Infinity);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tokenOf = (identity: Identity) => issueToken(identity, { secret: DEV_JWT_SECRET, expiresIn: '6h' });
const admin = tokenOf({ userId: 'bench-admin', roles: ['admin'], networkIds: [], microstructureIds: [] });
const national = tokenOf({ userId: 'bench-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] });
const funderOf = (networkIds: string[]) => tokenOf({ userId: 'bench-funder', roles: ['funder'], networkIds, microstructureIds: [] });

// ---- What the harness asks of the reporting service (apps/reporting/schema.graphql): adapt here ----

/** The services that consume the bus; all but reporting are parked at the head of the log (see README). */
const CONSUMER_GROUPS = ['inclusions', 'meetings', 'training', 'notifications', 'reporting'];

const REPORTING = {
  /**
   * Reporting keeps what it consumed in `reporting.inbox` and rebuilds its fact tables from there.
   * Its bus consumer takes one transaction per event (hours for 5 million on 2 cores), so the harness
   * copies the bus log into the inbox with one statement, as the consumer would have recorded it.
   */
  fillInboxSql: `insert into reporting.inbox (event_id, type, version, topic, payload, occurred_at)
    select e.data->>'eventId', e.data->>'type', (e.data->>'version')::int, e.data->>'topic', e.data->'payload', (e.data->>'occurredAt')::timestamptz
    from bus.events e where e.stream_category not like '%.dlq' order by e.transaction_id, e.global_position
    on conflict (event_id) do nothing`,
  startRebuild: 'mutation { reportingStartRebuild { version status } }',
  rebuildProgress: '{ reportingRebuild { version status eventsDone eventsTotal ratePerSecond startedAt finishedAt error } }',
  catalogue: '{ indicatorCatalogue { code available granularities dimensions } }',
  /** One indicator, national, on a period, by month (or cut by a dimension). */
  indicatorQuery: `query($code: String!, $period: PeriodInput!, $groupBy: [String!]) {
    indicator(code: $code, period: $period, groupBy: $groupBy) { code available eventsUpTo cells { period value suppressed } totals { period value } } }`,
  /** A funder's export: a year by network, sex and age band. */
  exportQuery: `query($period: PeriodInput!) {
    indicatorExport(code: "active_caseload", period: $period, format: CSV, groupBy: ["NETWORK", "SEX", "AGE_BAND"]) { fileName content } }`,
  trivialQuery: '{ __typename }',
};

type Progress = { version: number; status: string; eventsDone: number; eventsTotal: number; ratePerSecond: number; startedAt: string | null; finishedAt: string | null; error: string | null };
type Catalogue = { indicatorCatalogue: { code: string; available: boolean; granularities: string[]; dimensions: string[] }[] };

// ---- Platform and GraphQL ----

async function graphql<T>(url: string, token: string, query: string, variables: object = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- Steps ----

async function database(): Promise<{ url: string; pool: Pool; name: string; drop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE) {
    const url = new URL(serverUrl);
    url.pathname = `/${process.env.BENCH_DATABASE}`;
    const pool = new Pool({ connectionString: url.toString(), max: 4 });
    return { url: url.toString(), pool, name: process.env.BENCH_DATABASE, drop: () => pool.end() };
  }
  const created = await createTestDatabase('bench_reporting');
  const keep = process.env.BENCH_KEEP_DATABASE === 'true';
  return { url: created.url, pool: created.pool, name: created.name, drop: () => (keep ? created.pool.end() : created.drop()) };
}

async function generate(pool: Pool) {
  const existing = await countLogEvents(pool);
  if (existing > 0) return { reused: true, events: existing };
  const args = ['--size', process.env.BENCH_SIZE ?? 'planned', ...(process.env.BENCH_MONTHS ? ['--months', process.env.BENCH_MONTHS] : []), ...(process.env.BENCH_SEED ? ['--seed', process.env.BENCH_SEED] : [])];
  const plan = planHistory(parametersFromArgs(args));
  console.log(`generating ${JSON.stringify(plan.parameters)}`);
  const result = await bulkLoad({
    pool,
    plan,
    validateEvery: 10,
    maxEvents: process.env.BENCH_MAX_EVENTS ? Number(process.env.BENCH_MAX_EVENTS) : undefined,
    onProgress: ({ events, month, seconds }) => process.stdout.write(`\r  ${events} events, up to ${month}, ${seconds.toFixed(0)} s   `),
  });
  console.log('');
  return { reused: false, parameters: plan.parameters, ...result };
}

/** Every consumer group at the head of the log (but `except`): only reporting reads the history. */
async function parkConsumers(pool: Pool, except: string[] = []) {
  const { rows } = await pool.query<{ commit: string; prepare: string }>(`select transaction_id::text as commit, global_position::text as prepare from bus.events order by transaction_id desc, global_position desc limit 1`);
  for (const group of CONSUMER_GROUPS.filter((name) => !except.includes(name))) {
    await migrateMessaging(pool, group);
    await pool.query(
      `insert into "${group}".messaging_checkpoints (name, commit_position, prepare_position) values ($1, $2, $3)
       on conflict (name) do update set commit_position = excluded.commit_position, prepare_position = excluded.prepare_position, updated_at = now()`,
      [`bus:${group}`, rows[0].commit, rows[0].prepare],
    );
  }
}

const inboxCount = async (pool: Pool) => Number((await pool.query<{ n: string }>('select count(*)::text as n from reporting.inbox')).rows[0].n);
/**
 * The events the live consumer has taken in: the active fact set's count, moved in the same transaction as the inbox
 * (a `count(*)` of the inbox every 2 s would itself scan millions of rows beside what is measured).
 */
const appliedCount = async (pool: Pool) =>
  Number((await pool.query<{ n: string }>(`select coalesce((select events_applied from reporting.fact_sets where status = 'ACTIVE'), 0)::text as n`)).rows[0].n);

/**
 * Reporting's live consumer drains the whole history from the bus log (its group starts at the beginning). It
 * starts with the service, before the platform is ready: the rate is measured from the first reading on.
 */
async function live(pool: Pool, events: number) {
  const origin = { at: Date.now(), events: await appliedCount(pool) };
  let done = origin.events;
  for (let idle = 0; done < events && idle < 60 && Date.now() - origin.at < LIVE_SECONDS * 1000; ) {
    await sleep(2000);
    const now = await appliedCount(pool);
    idle = now === done ? idle + 1 : 0;
    done = now;
    const seconds = (Date.now() - origin.at) / 1000;
    process.stdout.write(`\r  live: ${done}/${events} events applied, ${Math.round((done - origin.events) / seconds)} events/s, load ${os.loadavg()[0].toFixed(1)}   `);
  }
  console.log('');
  const seconds = (Date.now() - origin.at) / 1000;
  return { events: done, measured: done - origin.events, seconds: round(seconds), eventsPerSecond: Math.round((done - origin.events) / seconds), loadAverage: os.loadavg().map((l) => l.toFixed(1)).join(' ') };
}

async function rebuild(pool: Pool, url: string, inboxFilled: boolean) {
  const filling = Date.now();
  const filled = inboxFilled ? { rowCount: await inboxCount(pool) } : await pool.query(REPORTING.fillInboxSql);
  const fillSeconds = (Date.now() - filling) / 1000;
  console.log(`inbox: ${filled.rowCount} events ${inboxFilled ? 'taken in by the live consumer' : `copied from the bus log in ${fillSeconds.toFixed(0)} s`}`);
  const started = Date.now();
  await graphql(url, admin, REPORTING.startRebuild);
  let progress: Progress;
  for (;;) {
    await sleep(2000);
    progress = (await graphql<{ reportingRebuild: Progress }>(url, admin, REPORTING.rebuildProgress)).reportingRebuild;
    process.stdout.write(`\r  rebuild v${progress.version}: ${progress.eventsDone}/${progress.eventsTotal} events, ${progress.ratePerSecond} events/s   `);
    if (progress.status !== 'BUILDING') break;
  }
  console.log('');
  if (progress.status !== 'ACTIVE') throw new Error(`rebuild ended ${progress.status}: ${progress.error}`);
  const seconds = progress.startedAt && progress.finishedAt ? (Date.parse(progress.finishedAt) - Date.parse(progress.startedAt)) / 1000 : (Date.now() - started) / 1000;
  return { inboxFill: { events: filled.rowCount, seconds: round(fillSeconds) }, events: progress.eventsDone, seconds: round(seconds), eventsPerSecond: Math.round(progress.eventsDone / seconds) };
}

/** A national dashboard: every available indicator over the last 12 months by month, and the last year by region. */
async function queries(url: string, networkIds: string[]) {
  const { indicatorCatalogue } = await graphql<Catalogue>(url, national, REPORTING.catalogue);
  const end = parisYesterday();
  const year = { from: addMonths(end, -12), to: end };
  const dashboard = indicatorCatalogue
    .filter((i) => i.available)
    .flatMap((i) => [
      { code: i.code, variables: { code: i.code, period: { ...year, granularity: i.granularities.includes('MONTH') ? 'MONTH' : i.granularities[0] } } },
      ...(i.dimensions.includes('REGION') ? [{ code: `${i.code} by region`, variables: { code: i.code, period: { ...year, granularity: 'YEAR' }, groupBy: ['REGION'] } }] : []),
    ]);
  const timings = new Map<string, number[]>(dashboard.map((q) => [q.code, []]));
  const all: number[] = [];
  const trivial: number[] = [];
  const exports: number[] = [];
  const lastYear = Number(end.slice(0, 4)) - 1;
  const funder = funderOf(networkIds);
  const timed = async (into: number[] | null, ask: () => Promise<unknown>) => {
    const started = performance.now();
    await ask();
    into?.push(performance.now() - started);
  };
  for (let round = 0; round < REPETITIONS + 2; round++) {
    for (const query of dashboard) {
      const started = performance.now();
      await graphql(url, national, REPORTING.indicatorQuery, query.variables);
      if (round < 2) continue;
      const ms = performance.now() - started;
      timings.get(query.code)!.push(ms);
      all.push(ms);
      await timed(trivial, () => graphql(url, national, REPORTING.trivialQuery));
    }
    await timed(round < 2 ? null : exports, () => graphql(url, funder, REPORTING.exportQuery, { period: { from: `${lastYear}-01-01`, to: `${lastYear}-12-31`, granularity: 'YEAR' } }));
    process.stdout.write(`\r  queries: round ${round + 1} of ${REPETITIONS + 2} (${dashboard.length} queries, 2 warm-up rounds)   `);
  }
  console.log('');
  all.sort((a, b) => a - b);
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50ms: round(percentile(sorted, 50)), p95ms: round(percentile(sorted, 95)), maxms: round(sorted[sorted.length - 1]) };
  };
  const floor = summary(trivial);
  const perQuery = Object.fromEntries([...timings].map(([code, ms]) => [code, { p50ms: round(percentile([...ms].sort((a, b) => a - b), 50)), p95ms: round(percentile([...ms].sort((a, b) => a - b), 95)) }]));
  const dashboardFigures = summary(all);
  return {
    queries: dashboard.length,
    repetitions: REPETITIONS,
    all: dashboardFigures,
    trivialQuery: floor,
    'dashboard p95 ÷ trivial p95': round(dashboardFigures.p95ms / floor.p95ms),
    funderExport: { networks: networkIds.length, ...summary(exports) },
    loadAverage: os.loadavg().map((l) => l.toFixed(1)).join(' '),
    perQuery,
    unavailable: indicatorCatalogue.filter((i) => !i.available).map((i) => i.code),
  };
}

async function main() {
  const db = await database();
  const result: Record<string, unknown> = {};
  let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
  try {
    const postgres = (await db.pool.query<{ server_version: string }>('show server_version')).rows[0].server_version;
    result.machine = `${os.type()} ${os.release()} ${os.arch()}, ${os.cpus()[0]?.model} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, PostgreSQL ${postgres}, load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
    console.log(`machine: ${result.machine}\ndatabase: ${db.name}`);
    if (STEPS.has('generate')) result.generation = await generate(db.pool);
    result.logEvents = await countLogEvents(db.pool);
    result.logSize = (await db.pool.query<{ size: string }>(`select pg_size_pretty(pg_total_relation_size('bus.events')) as size`)).rows[0].size;
    if (STEPS.has('live') || STEPS.has('rebuild') || STEPS.has('queries')) {
      await parkConsumers(db.pool, STEPS.has('live') ? ['reporting'] : []);
      platform = await startPlatform({ databaseUrl: db.url, portOffset: PORT_OFFSET });
      if (STEPS.has('live')) result.live = await live(db.pool, Number(result.logEvents));
      if (STEPS.has('rebuild')) result.rebuild = await rebuild(db.pool, platform.gateway, STEPS.has('live'));
      if (STEPS.has('queries')) {
        // The funder of every network: the export's widest scope.
        const [active] = (await db.pool.query<{ schema_name: string }>(`select schema_name from reporting.fact_sets where status = 'ACTIVE'`)).rows;
        const networks = await db.pool.query<{ id: string }>(`select id from ${active.schema_name}.networks order by id`);
        result.queries = await queries(platform.gateway, networks.rows.map((row) => row.id));
      }
    }
    console.log(JSON.stringify(result, null, 2));
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(result, null, 2));
  } finally {
    await platform?.stop();
    await db.drop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

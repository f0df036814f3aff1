import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Identity } from '@cnrms/auth';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { activity, coordinatorOf, data, HOSTED_NETWORK, indicators, national, shift, situation, Team, today } from './federation-activity';
import { eventually, Platform, tokenFor } from './platform';

/** The load's patients are included 300 days ago, so that their sessions spread over many days. */
const includedOn = shift(today, -300);

/**
 * Faults on the write path (docs/write-path.md, « Under faults »): a steady load of commands through the gateway
 * while, at random moments, a service or the gateway is killed with SIGKILL (and started again by `npm start`'s
 * supervisor, RESTART_CRASHED_SERVICES=true), and PostgreSQL is restarted once. Each command carries a command id of
 * its client's, sent again after a failure as a careful client does (docs/write-path.md). At the end: every accepted command
 * is in the event store exactly once, no command is recorded twice, no integration event is lost or applied twice,
 * and every read model equals its rebuild from zero.
 *
 * `npm test` runs the short version (FAULT_KILLS, 6 by default); the long one is
 * `FAULT_KILLS=24 npx jest -c apps/e2e/jest.config.js apps/e2e/src/fault-injection.e2e.int-spec.ts` (its figures
 * are printed, and recorded in docs/write-path.md).
 */

const root = path.resolve(__dirname, '../../..');
const kills = Number(process.env.FAULT_KILLS ?? 6);
// FAULT_BUS=kafka: the same on the Kafka bus, with the test's own broker, restarted once.
const bus = process.env.FAULT_BUS === 'kafka' ? 'kafka' : 'postgres';
const kafkaPort = Number(process.env.FAULT_KAFKA_PORT ?? 19170);
const kafkaEnv = { KAFKA_PORT: String(kafkaPort), KAFKA_CONTROLLER_PORT: String(kafkaPort + 1), KAFKA_DATA: path.join(root, '.data', `fault-kafka-${randomBytes(3).toString('hex')}`) };
// Below the kernel's ephemeral range (32768–60999): a client connection's local port there once took it first.
const pgPort = 24_360 + Number(process.env.TEST_PORT_SHIFT ?? 0) % 1000;
const pgData = path.join(root, '.data', `fault-postgres-${randomBytes(3).toString('hex')}`);
const TARGETS = ['directory', 'inclusions', 'meetings', 'training', 'reporting', 'gateway'];
const admin: Identity = { userId: 'u-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };

/** A name has no digits: 12 → « bc ». */
const lettersOf = (n: number) => [...String(n)].map((digit) => 'abcdefghij'[Number(digit)]).join('');

type Outcome = { kind: 'accepted'; id: string } | { kind: 'refused'; code: string } | { kind: 'failed'; reason: string };
interface Sent {
  command: string;
  /** The client's command id, sent again with each resend (the `idempotency-key` header). */
  commandId: string;
  /** How many times the client sent it: once, or again after each failure, up to `SENDS_PER_COMMAND`. */
  attempts: number;
  outcome: Outcome;
}

/** A client resends a command that failed (the same command id) this many times in all before giving up. */
const SENDS_PER_COMMAND = 8;
/** Answers that say the command was recorded, its answer late or lost: with the ids it created (`recorded`). */
const RECORDED_CODES = ['READ_MODEL_BEHIND', 'COMMAND_ALREADY_RECORDED'];

/** The machine-independent embedded PostgreSQL of this test (its own port and data), so that restarting it disturbs nobody. */
class OwnPostgres {
  private child?: ChildProcess;
  readonly url = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;

  async start(): Promise<void> {
    let output = '';
    const child = spawn(process.execPath, ['tools/test/embedded-postgres-for-tests.js'], {
      cwd: root,
      env: { ...process.env, EMBEDDED_TEST_PG_PORT: String(pgPort), EMBEDDED_TEST_PG_DATA: pgData },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('embedded PostgreSQL for tests at')) resolve();
      });
      child.stderr!.on('data', (chunk) => (output += chunk));
      child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${output}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }

  database(name: string): string {
    return this.url.replace(/\/postgres$/, `/${name}`);
  }
}

function kafkaScript(action: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['tools/kafka/kafka.sh', action], { cwd: root, env: { ...process.env, ...kafkaEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${action}: ${output}`))));
  });
}

/** The event ids of every integration event on the broker's topics, read from the beginning. */
async function kafkaEventIds(): Promise<string[]> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__') && !topic.endsWith('.dlq'));
  const ends = new Map<string, number>();
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, Number(p.high));
  await admin.disconnect();
  const ids: string[] = [];
  const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([key]) => key));
  if (remaining.size === 0) return ids;
  const consumer = kafka.consumer({ groupId: `fault-scan-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const id = message.headers?.['event-id'];
        if (id) ids.push(String(id));
        if (Number(message.offset) + 1 >= (ends.get(`${topic}:${partition}`) ?? 0)) remaining.delete(`${topic}:${partition}`);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
  return ids;
}

async function rows(url: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('the write path under faults', () => {
  const postgres = new OwnPostgres();
  let databaseUrl: string;
  let platform: Platform;
  let team: Team;
  let networkId: string;
  const sent: Sent[] = [];
  const faults = { kills: 0, restarts: 0, postgresRestarts: 0, brokerRestarts: 0 };

  /** One send of a command through the gateway, with the command id the client chose for it. */
  async function sendOnce(commandId: string, identity: Identity, query: string, variables: Record<string, unknown>, idOf: (data: Record<string, { id: string }>) => string, category: string): Promise<Outcome> {
    try {
      const response = await fetch(`${platform.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(identity)}`, 'x-correlation-id': randomUUID(), 'idempotency-key': commandId },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      // `recorded`: { streamId, id } in READ_MODEL_BEHIND, { stream, type } in COMMAND_ALREADY_RECORDED.
      type Recorded = { streamId?: string; stream?: string };
      const answer = (await response.json()) as { data?: Record<string, { id: string }> | null; errors?: { extensions?: { code?: string; recorded?: Recorded[] } }[] };
      if (!answer.errors?.length) return { kind: 'accepted', id: idOf(answer.data!) };
      const { code = 'UNKNOWN', recorded = [] } = answer.errors[0].extensions ?? {};
      const created = recorded.map((r) => r.streamId ?? r.stream ?? '').find((stream) => stream.startsWith(`${category}-`));
      if (RECORDED_CODES.includes(code) && created) return { kind: 'accepted', id: created.slice(category.length + 1) };
      return ['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', ...RECORDED_CODES].includes(code) ? { kind: 'failed', reason: code } : { kind: 'refused', code };
    } catch (error) {
      return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * One command as a careful client sends it: with a command id of its own, sent again (the same id) after a
   * failure — a timeout, a service restarting — so that it is recorded once whatever happened to the first send.
   * `category` names the stream whose id the command creates or changes (from `recorded` when the answer was late).
   */
  async function send(command: string, identity: Identity, query: string, variables: Record<string, unknown>, idOf: (data: Record<string, { id: string }>) => string, category: string): Promise<void> {
    const commandId = randomUUID();
    let outcome: Outcome = { kind: 'failed', reason: 'not sent' };
    let attempts = 0;
    while (attempts < SENDS_PER_COMMAND) {
      attempts++;
      outcome = await sendOnce(commandId, identity, query, variables, idOf, category);
      if (outcome.kind !== 'failed') break;
      // A client backs off after a failure rather than hammering a platform that is restarting.
      await new Promise((resolve) => setTimeout(resolve, 200 * attempts));
    }
    sent.push({ command, commandId, attempts, outcome });
  }

  const accepted = (command: string) => sent.filter((s) => s.command === command && s.outcome.kind === 'accepted').map((s) => (s.outcome as { id: string }).id);

  async function load(until: () => boolean): Promise<void> {
    let n = 0;
    while (!until()) {
      n++;
      const inclusions = accepted('includePatient');
      if (n % 3 === 1 || inclusions.length === 0) {
        await send(
          'includePatient',
          team.gp,
          'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }',
          {
            input: {
              microstructureId: team.microstructureId,
              patient: { lastName: `Panne-${lettersOf(n)}`, firstName: 'Résiliente', birthDate: '1980-02-29', sex: n % 2 ? 'FEMALE' : 'MALE' },
              includedOn: includedOn,
              reasons: ['ADDICTION'],
              treatingGpId: team.gp.professionalId,
              consent: { givenOn: includedOn, teamSharing: true, partnerSharing: [] },
              initialSituation: situation,
            },
          },
          (answer) => answer.includePatient.id,
          'inclusion',
        );
      } else if (n % 3 === 2) {
        await send(
          'recordFollowUpSession',
          team.psychologist,
          'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id } }',
          // Spread over every day since the inclusions (the session counter, not n, which is 2 modulo 3 here and
          // would name one day in three): a professional records at most 600 minutes of sessions a day
          // (docs/time-rules.md); two clients × 600 sessions of at most 59 minutes stay within 240 minutes a day.
          { input: { inclusionId: inclusions[n % inclusions.length], kind: 'PSYCHOLOGIST_SESSION', heldOn: shift(today, -(Math.floor(n / 3) % 300)), durationMinutes: 30 + (n % 30) } },
          (answer) => answer.recordFollowUpSession.id,
          'inclusion',
        );
      } else {
        await send(
          'registerProfessional',
          coordinatorOf([networkId]),
          'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }',
          { input: { firstName: 'Pro', lastName: `Panne-${lettersOf(n)}`, profession: 'SOCIAL_WORKER' } },
          (answer) => answer.registerProfessional.id,
          'professional',
        );
      }
    }
  }

  async function inject(): Promise<void> {
    for (let k = 0; k < kills; k++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1500));
      if (k === Math.floor(kills / 2)) {
        await postgres.stop();
        await postgres.start();
        faults.postgresRestarts++;
      }
      if (bus === 'kafka' && k === Math.floor(kills / 3)) {
        await kafkaScript('stop');
        await kafkaScript('start');
        faults.brokerRestarts++;
      }
      const target = TARGETS[Math.floor(Math.random() * TARGETS.length)];
      const before = platform.servicePids()[target];
      if (!before) continue;
      process.kill(before, 'SIGKILL');
      faults.kills++;
      // Back when the supervisor says so (a new process whose health check answers).
      await eventually(
        async () => platform.output().split(`${target} restarted`).length - 1,
        (count) => count >= (restartsOf[target] ?? 0) + 1,
        180_000,
      );
      restartsOf[target] = (restartsOf[target] ?? 0) + 1;
      faults.restarts++;
    }
  }
  const restartsOf: Record<string, number> = {};

  /** Every projection of every service caught up, and reporting's inbox drained. */
  async function quiescent(): Promise<void> {
    const services = ['directory', 'inclusions', 'meetings', 'training'];
    await eventually(
      () => Promise.all(services.map((s) => platform.query<Record<string, { name: string; behind: number; lastError: string | null }[]>>(admin, `{ ${s}Projections { name behind lastError } }`))),
      (states) => states.every((answer) => !answer.errors && Object.values(answer.data ?? {})[0]?.every((p) => p.behind === 0 && !p.lastError)),
      180_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nplatform output (end):\n${platform.output().slice(-6000)}`);
    });
    // Reporting answers again (it may be the last one restarted).
    await eventually(
      () => platform.query<{ reportingDeployments: unknown }>(admin, '{ indicatorCatalogue { code } }'),
      (answer) => !answer.errors?.length,
      180_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nplatform output (end):\n${platform.output().slice(-6000)}`);
    });
  }

  /** The read models of the event-sourced services, as rows (their own tables, not the logs, checkpoints or inboxes). */
  async function readModels(): Promise<Record<string, unknown[]>> {
    const tables = await rows(
      databaseUrl,
      `select table_schema || '.' || table_name as t from information_schema.tables
        where table_schema in ('directory', 'inclusions', 'meetings', 'training') and table_type = 'BASE TABLE'
          and table_name not in ('events', 'event_store_migrations', 'read_model_migrations', 'projection_checkpoints', 'patient_keys', 'identity_reads')
          and table_name not like 'messaging_%' order by 1`,
    );
    const out: Record<string, unknown[]> = {};
    for (const { t } of tables) out[String(t)] = (await rows(databaseUrl, `select to_jsonb(x) as row from ${t} x`)).map((r) => JSON.stringify(r.row)).sort();
    return out;
  }

  beforeAll(async () => {
    await postgres.start();
    await rows(postgres.url, 'create database faults');
    databaseUrl = postgres.database('faults');
    if (bus === 'kafka') await kafkaScript('start');
    const busEnv: Record<string, string> = bus === 'kafka' ? { BUS: 'kafka', KAFKA_BROKERS: `127.0.0.1:${kafkaPort}` } : { BUS: 'postgres' };
    platform = await Platform.start({ databaseUrl, portOffset: 4600, demoData: false, timeoutMs: 300_000, env: { RESTART_CRASHED_SERVICES: 'true', ...busEnv } });
    const { createRegionalNetwork } = await data<{ createRegionalNetwork: { id: string } }>(
      (identity, query, variables) => platform.query(identity, query, variables),
      national,
      'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }',
      { input: HOSTED_NETWORK },
    );
    networkId = createRegionalNetwork.id;
    team = await activity((identity, query, variables) => platform.query(identity, query, variables), networkId, 'hosted', 1);
  }, 600_000);

  afterAll(async () => {
    await platform?.stop();
    await postgres.stop();
    if (bus === 'kafka') await kafkaScript('stop').catch(() => undefined);
    rmSync(pgData, { recursive: true, force: true });
    rmSync(kafkaEnv.KAFKA_DATA, { recursive: true, force: true });
  }, 120_000);

  it(`keeps every accepted command exactly once, loses no integration event, and rebuilds every read model to the same rows (${bus} bus, ${kills} kills, PostgreSQL restarted once${bus === 'kafka' ? ', the broker once' : ''})`, async () => {
    let injecting = true;
    const injection = inject().finally(() => (injecting = false));
    // Two clients side by side, until the faults are over, then a little more on the recovered platform.
    await Promise.all([load(() => !injecting), load(() => !injecting)]);
    await injection;
    const more = sent.length + 20;
    await load(() => sent.length >= more);
    await quiescent();

    // 1. Every accepted command is in its store, once; no command (one command id, however often sent) recorded twice.
    const creations = await rows(
      databaseUrl,
      `select metadata->>'commandId' as command, stream_id, event_type from (
         select metadata, stream_id, event_type from inclusions.events where stream_version = 1 and stream_category = 'inclusion'
         union all select metadata, stream_id, event_type from inclusions.events where event_type = 'FollowUpSessionRecorded'
         union all select metadata, stream_id, event_type from directory.events where stream_version = 1 and stream_category = 'professional') e
       where metadata ? 'commandId'`,
    );
    const recordedBy = new Map<string, number>();
    for (const row of creations) recordedBy.set(String(row.command), (recordedBy.get(String(row.command)) ?? 0) + 1);
    const ours = sent.filter((s) => recordedBy.has(s.commandId));
    const lost = sent.filter((s) => s.outcome.kind === 'accepted' && !recordedBy.has(s.commandId));
    const doubled = sent.filter((s) => (recordedBy.get(s.commandId) ?? 0) > 1).length;
    const inclusionIds = new Set(creations.filter((r) => r.event_type !== 'FollowUpSessionRecorded' && String(r.stream_id).startsWith('inclusion-')).map((r) => String(r.stream_id).slice('inclusion-'.length)));
    const missingInclusions = accepted('includePatient').filter((id) => !inclusionIds.has(id));

    // 2. Every integration event on the bus reached reporting (which reads every topic), once: its inbox keeps one row per event id.
    const published = bus === 'kafka' ? await kafkaEventIds() : (await rows(databaseUrl, `select data->>'eventId' as id from bus.events`)).map((r) => String(r.id));
    // Reporting drains what the bus holds (waited for, as long as its inbox grows); what is still missing then is lost.
    const inbox = await eventually(
      () => rows(databaseUrl, `select event_id from reporting.inbox`),
      (applied) => {
        const ids = new Set(applied.map((r) => String(r.event_id)));
        return published.every((id) => ids.has(id));
      },
      120_000,
    ).catch(() => rows(databaseUrl, `select event_id from reporting.inbox`));
    const processed = new Set(inbox.map((r) => String(r.event_id)));
    const parked = await rows(databaseUrl, `select event_id, reason from reporting.messaging_parked`);
    const notApplied = published.filter((id) => !processed.has(id));

    // 3. Every read model equals its rebuild from zero; reporting's answers equal its rebuild's.
    const before = await readModels();
    const indicatorsBefore = await indicators((identity, query, variables) => platform.query(identity, query, variables), [networkId]);
    for (const service of ['directory', 'inclusions', 'meetings', 'training']) {
      const names = await platform.data<Record<string, { name: string }[]>>(admin, `{ ${service}Projections { name } }`);
      for (const { name } of Object.values(names)[0]) await platform.data(admin, `mutation($name: String!) { ${service}RebuildProjection(name: $name) }`, { name });
    }
    await platform.data(admin, 'mutation { reportingStartRebuild { version } }');
    await eventually(() => platform.data<{ reportingRebuild: { status: string } | null }>(admin, '{ reportingRebuild { status } }'), (answer) => answer.reportingRebuild?.status === 'ACTIVE', 180_000);
    await quiescent();
    const after = await readModels();
    const indicatorsAfter = await indicators((identity, query, variables) => platform.query(identity, query, variables), [networkId]);
    const differing = Object.keys(before).filter((table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]));

    const figures = {
      commands: sent.length,
      accepted: sent.filter((s) => s.outcome.kind === 'accepted').length,
      refused: sent.filter((s) => s.outcome.kind === 'refused').length,
      failed: sent.filter((s) => s.outcome.kind === 'failed').length,
      failedButRecorded: ours.filter((s) => s.outcome.kind === 'failed').length,
      resent: sent.filter((s) => s.attempts > 1).length,
      acceptedAfterResend: sent.filter((s) => s.attempts > 1 && s.outcome.kind === 'accepted').length,
      ...faults,
      lost: lost.length + missingInclusions.length,
      doubled,
      bus,
      busEvents: published.length,
      appliedByReporting: inbox.length,
      notAppliedByReporting: notApplied.length,
      parked: parked.length,
      readModelTables: Object.keys(before).length,
      readModelsDifferingFromRebuild: differing,
      why: Object.entries(
        sent.reduce<Record<string, number>>((counts, s) => {
          const key = s.outcome.kind === 'refused' ? `${s.command}:${s.outcome.code}` : s.outcome.kind === 'failed' ? `${s.command}:${s.outcome.reason.slice(0, 60)}` : `${s.command}:accepted`;
          counts[key] = (counts[key] ?? 0) + 1;
          return counts;
        }, {}),
      ),
    };
    process.stdout.write(`fault-injection figures: ${JSON.stringify(figures)}\n`);
    expect(faults.kills).toBe(kills);
    expect(faults.postgresRestarts).toBe(1);
    expect(faults.brokerRestarts).toBe(bus === 'kafka' ? 1 : 0);
    expect(figures.accepted).toBeGreaterThan(0);
    // The steady load stays within every rule: nothing is refused (a refusal here is a load that broke a rule of the field).
    expect(sent.filter((s) => s.outcome.kind === 'refused')).toEqual([]);
    expect(lost).toEqual([]);
    expect(missingInclusions).toEqual([]);
    expect(doubled).toBe(0);
    expect(notApplied).toEqual([]);
    expect(parked).toEqual([]);
    expect(differing).toEqual([]);
    expect(indicatorsAfter).toEqual(indicatorsBefore);
  }, 1_800_000);
});

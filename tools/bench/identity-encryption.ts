/**
 * What the per-patient encryption of identities costs a command, on a fresh database of the test server
 * (TEST_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   node -r ./tools/register.js tools/bench/identity-encryption.ts
 *
 * Settings (environment): BENCH_PATIENTS patients sealed per scenario (default 2000), BENCH_CONCURRENCY
 * concurrent sealers in the concurrent scenario (8), BENCH_CASELOAD identities per openMany (500),
 * BENCH_ROUNDS openMany calls (50), BENCH_JSON a file to write the results to.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { ClearIdentity } from '@cnrms/domain-inclusions';
import { createTestDatabase } from '@cnrms/testing';
import { QueryRunner } from 'typeorm';
import { decryptIdentity, encryptIdentity, MasterKey, newStoredKey, withDataKey } from '../../apps/inclusions/src/application/identity-cipher';
import { PatientKeys1763900000100 } from '../../apps/inclusions/src/infrastructure/migrations/1763900000100-patient-keys';
import { PostgresIdentityVault } from '../../apps/inclusions/src/infrastructure/postgres-identity-vault';
import { intFromEnv, percentile } from './stats';

const PATIENTS = intFromEnv('BENCH_PATIENTS', 2000);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 8);
const CASELOAD = intFromEnv('BENCH_CASELOAD', 500);
const ROUNDS = intFromEnv('BENCH_ROUNDS', 50);

interface Result {
  scenario: string;
  operations: number;
  seconds: number;
  opsPerSecond: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
}

const identity = (i: number): ClearIdentity => ({
  lastName: `Nom-Fictif${'e'.repeat(i % 7)}`,
  firstName: 'Marie-Hélène',
  birthDate: '1984-03-12',
  sex: i % 2 === 0 ? 'FEMALE' : 'MALE',
  contact: '06 12 34 56 78, 3 rue des Tanneurs, 68000 Colmar',
  socialSecurityNumber: '284036812345678',
});

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const now = () => performance.now();

/** Runs `operation(0 … count-1)` on `concurrency` workers and times each call. */
async function measure(scenario: string, count: number, concurrency: number, operation: (i: number) => unknown): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = now();
        await operation(i);
        latencies.push(now() - t);
      }
    }),
  );
  const seconds = (now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    scenario,
    operations: count,
    seconds: round(seconds, 3),
    opsPerSecond: Math.round(count / seconds),
    p50ms: round(percentile(sorted, 50), 3),
    p99ms: round(percentile(sorted, 99), 3),
    maxms: round(sorted[sorted.length - 1] ?? 0, 3),
  };
}

async function main() {
  const database = await createTestDatabase('bench_identity');
  const pool = database.pool;
  try {
    await pool.query('create schema inclusions');
    await new PatientKeys1763900000100().up({ query: (sql: string) => pool.query(sql) } as unknown as QueryRunner);
    const master: MasterKey = { id: 'bench-1', key: randomBytes(32) };
    const vault = new PostgresIdentityVault(pool, master.key, master.id);

    const { rows } = await pool.query<{ version: string; settings: string }>(
      `select version() as version,
              (select string_agg(name || '=' || setting, ', ' order by name) from pg_settings
                where name in ('synchronous_commit', 'fsync', 'shared_buffers')) as settings`,
    );
    const cpus = os.cpus();
    const machine = {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
      memory: `${round(os.totalmem() / 1024 ** 3, 1)} GiB`,
      node: process.version,
      openssl: process.versions.openssl,
      postgres: rows[0].version,
      postgresSettings: rows[0].settings,
      database: database.url.replace(/\/\/[^@]*@/, '//…@'),
    };
    console.log('Machine');
    for (const [key, value] of Object.entries(machine)) console.log(`  ${key.padEnd(16)} ${value}`);
    console.log(`Settings: BENCH_PATIENTS=${PATIENTS} BENCH_CONCURRENCY=${CONCURRENCY} BENCH_CASELOAD=${CASELOAD} BENCH_ROUNDS=${ROUNDS}\n`);

    // Warm-up: connections, statement plans, the JIT.
    await measure('warm-up', 300, 4, async (i) => vault.open(`warm-${i}`, await vault.seal(`warm-${i}`, identity(i))));

    const results: Result[] = [];
    const report = (result: Result) => {
      results.push(result);
      console.log(
        `${result.scenario.padEnd(62)} ${String(result.opsPerSecond).padStart(7)} ops/s  ` +
          `p50 ${result.p50ms.toFixed(3).padStart(7)} ms  p99 ${result.p99ms.toFixed(3).padStart(7)} ms  (${result.operations} ops, ${result.seconds} s)`,
      );
    };

    // The crypto alone, no database: what the vault adds on top of its queries.
    await measure('warm-up', 500, 1, (i) => withDataKey(newStoredKey(master, `w-${i}`), master, `w-${i}`, (key) => encryptIdentity(identity(i), key, `w-${i}`)));
    const stored = Array.from({ length: PATIENTS }, (_, i) => newStoredKey(master, `crypto-${i}`));
    report(await measure('crypto only: new key + wrap + encrypt', PATIENTS, 1, (i) => withDataKey(newStoredKey(master, `x-${i}`), master, `x-${i}`, (key) => encryptIdentity(identity(i), key, `x-${i}`))));
    const sealed = stored.map((key, i) => withDataKey(key, master, `crypto-${i}`, (dataKey) => encryptIdentity(identity(i), dataKey, `crypto-${i}`)));
    report(await measure('crypto only: unwrap + decrypt', PATIENTS, 1, (i) => withDataKey(stored[i], master, `crypto-${i}`, (key) => decryptIdentity(sealed[i], key, `crypto-${i}`))));

    // The vault on PostgreSQL. Each seal of a new patient is its own transaction here (insert committed).
    const ciphertexts: string[] = [];
    report(await measure('seal, new patient (select + insert key + read back), sequential', PATIENTS, 1, async (i) => (ciphertexts[i] = await vault.seal(`p-${i}`, identity(i)))));
    report(await measure(`seal, new patient, concurrency ${CONCURRENCY}`, PATIENTS, CONCURRENCY, (i) => vault.seal(`c-${i}`, identity(i))));
    report(await measure('seal, existing patient (key read + unwrap), sequential', PATIENTS, 1, (i) => vault.seal(`p-${i}`, identity(i))));
    report(await measure('open one identity, sequential', PATIENTS, 1, (i) => vault.open(`p-${i}`, ciphertexts[i])));
    const caseload = (batch: number) =>
      Array.from({ length: CASELOAD }, (_, k) => {
        const i = (batch * CASELOAD + k) % PATIENTS;
        return { patientId: `p-${i}`, ciphertext: ciphertexts[i] };
      });
    const opened = await vault.openMany(caseload(0));
    if (opened.size !== Math.min(CASELOAD, PATIENTS)) throw new Error(`openMany answered ${opened.size} identities`);
    report(await measure(`openMany of ${CASELOAD} identities (one key query), sequential`, ROUNDS, 1, (r) => vault.openMany(caseload(r))));

    const many = results[results.length - 1];
    console.log(`\nopenMany: ${many.opsPerSecond * CASELOAD} identities/s, ${round((many.p50ms / CASELOAD) * 1000, 1)} µs per identity at the median.`);
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2));
  } finally {
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

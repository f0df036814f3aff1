/**
 * Time to list a whole caseload through the gateway, identities decrypted: the platform as `npm start`
 * runs it on a scratch database, one microstructure with BENCH_PATIENTS patients included through the
 * gateway, then the team's GP pages through `caseload` (pages of 100, each identity decrypted with the
 * patient's own key) BENCH_REPETITIONS times after a warm-up.
 *
 *   node -r ./tools/register.js tools/bench/caseload.ts
 *
 * BENCH_PATIENTS (default 500), BENCH_REPETITIONS (default 20), BENCH_CONCURRENCY (inclusions sent at
 * once while loading, default 4), TEST_DATABASE_URL (the server of the scratch database), BENCH_JSON=<file>.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { DEV_JWT_SECRET, Identity, issueToken } from '@cnrms/auth';
import { createTestDatabase } from '@cnrms/testing';
import { startPlatform } from './platform';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 500);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PAGE_SIZE = 100;
const PORT_OFFSET = 4200;
const tokenOf = (identity: Identity) => issueToken(identity, { secret: DEV_JWT_SECRET, expiresIn: '2h' });
const admin = tokenOf({ userId: 'bench', roles: ['admin'], networkIds: [], microstructureIds: [] });

type Answer<T> = { data?: T; errors?: { message: string; extensions?: { code?: string; category?: string } }[] };

async function request<T>(url: string, token: string, query: string, variables: object = {}): Promise<Answer<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as Answer<T>;
}

async function graphql<T>(url: string, token: string, query: string, variables: object = {}): Promise<T> {
  const body = await request<T>(url, token, query, variables);
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (ms: number) => Math.round(ms * 10) / 10;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const daysAgo = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

// Fictional names made of syllables (letters only, as the identity rules want), distinct per index.
const SYLLABLES = ['ba', 'ler', 'mon', 'ti', 'sor', 'van', 'cle', 'du', 'ri', 'gal', 'pe', 'lo', 'nar', 'vi', 'zen', 'ros'];
const nameOf = (index: number, salt: number) => {
  const parts = [0, 1, 2].map((k) => SYLLABLES[(Math.floor(index / 16 ** k) + salt * (k + 1)) % 16]);
  const name = parts.join('');
  return name[0].toUpperCase() + name.slice(1);
};
const nir = (body: string) => body + String(97 - Number(BigInt(body) % 97n)).padStart(2, '0');

function patient(index: number) {
  const female = index % 2 === 0;
  const year = 1950 + (index % 55);
  const month = String(1 + (index % 12)).padStart(2, '0');
  return {
    lastName: `${nameOf(index, 0)}-${nameOf(index, 3)}`,
    firstName: nameOf(index, 7),
    birthDate: `${year}-${month}-${String(1 + (index % 28)).padStart(2, '0')}`,
    sex: female ? 'FEMALE' : 'MALE',
    contact: `06 00 ${String(index).padStart(4, '0')} — ${index} rue du Banc d’essai, Testville`,
    socialSecurityNumber: nir(`${female ? 2 : 1}${String(year).slice(2)}${month}75056${String(index % 1000).padStart(3, '0')}`),
  };
}

async function main() {
  const database = await createTestDatabase('bench_caseload');
  const platform = await startPlatform({ databaseUrl: database.url, portOffset: PORT_OFFSET });
  try {
    const url = platform.gateway;
    const { createRegionalNetwork } = await graphql<{ createRegionalNetwork: { id: string } }>(url, admin, 'mutation { createRegionalNetwork(input: { name: "Réseau banc d’essai", region: "11", departments: ["75"] }) { id } }');
    const { createMicrostructure } = await graphql<{ createMicrostructure: { id: string } }>(url, admin, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
      input: { networkId: createRegionalNetwork.id, name: 'Microstructure du banc d’essai', department: '75', practiceSite: { name: 'Cabinet', type: 'MSP', address: { street: '1 rue', postalCode: '75001', city: 'Paris' } } },
    });
    const microstructureId = createMicrostructure.id;
    const { registerProfessional } = await graphql<{ registerProfessional: { id: string } }>(url, admin, 'mutation { registerProfessional(input: { firstName: "Banc", lastName: "Essai", profession: GENERAL_PRACTITIONER }) { id } }');
    await graphql(url, admin, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId, professionalId: registerProfessional.id, startedOn: daysAgo(800) } });
    await graphql(url, admin, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: microstructureId, on: daysAgo(800) });
    const gp = tokenOf({ userId: 'bench-gp', roles: ['professional'], networkIds: [createRegionalNetwork.id], microstructureIds: [microstructureId], professionalId: registerProfessional.id });

    const include = (index: number) =>
      request<{ includePatient: { id: string } }>(url, gp, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', {
        input: {
          microstructureId,
          patient: patient(index),
          includedOn: daysAgo(1 + (index % 700)),
          reasons: [index % 3 === 0 ? 'MENTAL_HEALTH' : 'ADDICTION'],
          treatingGpId: registerProfessional.id,
          consent: { givenOn: daysAgo(1 + (index % 700)), teamSharing: true },
          initialSituation: { housing: 'STABLE', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL'], daysOfUseLast30: index % 31 },
        },
      });
    // The care team reaches the inclusions service through the bus: the first inclusion waits for it.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const first = await include(0);
      if (!first.errors?.length) break;
      const category = first.errors[0].extensions?.category ?? first.errors[0].extensions?.code;
      if (!['FORBIDDEN', 'NOT_FOUND'].includes(String(category)) || Date.now() > deadline) throw new Error(JSON.stringify(first.errors));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const loadStarted = Date.now();
    let next = 1;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PATIENTS) {
          const answer = await include(next++);
          if (answer.errors?.length) throw new Error(JSON.stringify(answer.errors));
        }
      }),
    );
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    const query = `query($ms: ID!, $after: String) { caseload(microstructureId: $ms, filter: { status: ALL }, page: { first: ${PAGE_SIZE}, after: $after }) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { patient { id sex birthYear erased identity { lastName firstName birthDate contact socialSecurityNumber } } inclusion { id status includedOn } }
    } }`;
    type Page = { caseload: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { patient: { identity: { lastName: string } | null } }[] } };
    const listAll = async () => {
      const pages: number[] = [];
      let after: string | null = null;
      let rows = 0;
      const started = performance.now();
      do {
        const pageStarted = performance.now();
        const page: Page = await graphql<Page>(url, gp, query, { ms: microstructureId, after });
        pages.push(performance.now() - pageStarted);
        rows += page.caseload.nodes.filter((n) => n.patient.identity !== null).length;
        after = page.caseload.pageInfo.hasNextPage ? page.caseload.pageInfo.endCursor : null;
      } while (after);
      return { totalMs: performance.now() - started, pages, rows };
    };
    // The read model is written by a projection: wait until it holds every patient.
    for (let wait = 0; (await listAll()).rows < PATIENTS; wait++) {
      if (wait > 600) throw new Error(`the caseload did not reach ${PATIENTS} patients`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let i = 0; i < 3; i++) await listAll();

    const totals: number[] = [];
    const pages: number[] = [];
    for (let i = 0; i < REPETITIONS; i++) {
      const run = await listAll();
      if (run.rows !== PATIENTS) throw new Error(`listed ${run.rows} decrypted identities, expected ${PATIENTS}`);
      totals.push(run.totalMs);
      pages.push(...run.pages);
    }
    totals.sort((a, b) => a - b);
    pages.sort((a, b) => a - b);
    const postgres = (await database.pool.query<{ server_version: string }>('show server_version')).rows[0].server_version;
    const machine = `${os.type()} ${os.release()} ${os.arch()}, ${os.cpus()[0]?.model} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, PostgreSQL ${postgres}`;
    const result = {
      machine,
      patients: PATIENTS,
      pageSize: PAGE_SIZE,
      repetitions: REPETITIONS,
      loading: { seconds: Math.round(loadSeconds * 10) / 10, inclusionsPerSecond: Math.round((PATIENTS - 1) / loadSeconds), concurrency: CONCURRENCY },
      wholeCaseload: { p50ms: round(percentile(totals, 50)), p99ms: round(percentile(totals, 99)), minms: round(totals[0]), maxms: round(totals[totals.length - 1]) },
      page: { p50ms: round(percentile(pages, 50)), p99ms: round(percentile(pages, 99)) },
    };
    console.log(`machine: ${machine}`);
    console.log(`loaded ${PATIENTS} patients in ${result.loading.seconds} s (${result.loading.inclusionsPerSecond} inclusions/s, ${CONCURRENCY} at once)`);
    console.table({ [`whole caseload (${Math.ceil(PATIENTS / PAGE_SIZE)} pages)`]: result.wholeCaseload, [`one page of ${PAGE_SIZE}`]: result.page });
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(result, null, 2));
  } finally {
    await platform.stop();
    await database.drop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

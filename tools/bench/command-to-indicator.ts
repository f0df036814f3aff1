/**
 * From a command at the gateway to the indicator that counts it, visible through the gateway, with the whole
 * platform as `npm start` runs it: a GP includes a patient (`includePatient`, sent with an Idempotency-Key),
 * then asks `new_inclusions` for the month with `includingCommand` set to that key — the answer comes once
 * reporting has applied the inclusion, and the bench checks that it counts it. The delay is the time from
 * sending the command to receiving that answer, from this client's clock.
 *
 *   node -r ./tools/register.js tools/bench/command-to-indicator.ts
 *
 * Baselines in the same run: the command's own round trip, the same indicator query asked without waiting,
 * and a trivial gateway query (`{ __typename }`); the ratios are printed beside the figures, with the load.
 *
 * BENCH_BUS=postgres|kafka|both (default both), BENCH_COMMANDS (default 200, one after the other),
 * KAFKA_BROKERS (default 127.0.0.1:19092; start it with `bash tools/kafka/kafka.sh start`).
 */
import { randomUUID } from 'node:crypto';
import { DEV_JWT_SECRET, Identity, issueToken } from '@cnrms/auth';
import { createTestDatabase } from '@cnrms/testing';
import { benchOnEachBus, loadAverage, startPlatform } from './platform';
import { percentile as nearestRank } from './stats';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 200);
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const monthStart = `${today.slice(0, 8)}01`;
const longAgo = `${Number(today.slice(0, 4)) - 1}-01-02`;
/** A name has no digits: 12 → « bc ». */
const lettersOf = (n: number) => [...String(n)].map((digit) => 'abcdefghij'[Number(digit)]).join('');

async function graphql<T = Record<string, { id: string }>>(url: string, who: Identity, query: string, variables: object = {}, commandId?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${issueToken(who, { secret: DEV_JWT_SECRET })}` };
  if (commandId) headers['idempotency-key'] = commandId;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** A team that may include patients: a network, a microstructure opened long ago with a GP member. */
async function team(gateway: string): Promise<Identity> {
  const admin: Identity = { userId: 'bench-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };
  const { createRegionalNetwork } = await graphql(gateway, admin, 'mutation { createRegionalNetwork(input: { name: "Réseau banc d’essai", region: "11", departments: ["75"] }) { id } }');
  const networkId = createRegionalNetwork.id;
  const { createMicrostructure } = await graphql(gateway, admin, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
    input: { networkId, name: 'Microstructure du banc', department: '75', practiceSite: { name: 'Cabinet', type: 'MSP', address: { street: '1 rue', postalCode: '75001', city: 'Paris' } } },
  });
  const microstructureId = createMicrostructure.id;
  const { registerProfessional } = await graphql(gateway, admin, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', {
    input: { firstName: 'Médecin', lastName: 'Banc', profession: 'GENERAL_PRACTITIONER' },
  });
  await graphql(gateway, admin, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId, professionalId: registerProfessional.id, startedOn: longAgo } });
  await graphql(gateway, admin, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: microstructureId, on: longAgo });
  return { userId: 'bench-gp', roles: ['professional'], networkIds: [networkId], microstructureIds: [microstructureId], professionalId: registerProfessional.id };
}

const INCLUDE = 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }';
const NEW_INCLUSIONS = `query($period: PeriodInput!, $command: ID) {
  indicator(code: "new_inclusions", period: $period, includingCommand: $command) { totals { numerator } } }`;
type Answer = { indicator: { totals: { numerator: number | null }[] } };

const round = (value: number) => Math.round(value * 100) / 100;
const percentile = (values: number[], p: number) => nearestRank([...values].sort((a, b) => a - b), p);

async function run(bus: string, portOffset: number) {
  const database = await createTestDatabase(`bench_indicator_${bus}`);
  const platform = await startPlatform({ databaseUrl: database.url, portOffset, bus });
  try {
    const gp = await team(platform.gateway);
    // When the platform is ready the team’s membership may still be on its way to inclusions: the first inclusion is retried (up to 2 min) until accepted.
    const period = { from: monthStart, to: today, granularity: 'MONTH' };
    const timings = { command: [] as number[], indicator: [] as number[], query: [] as number[], trivial: [] as number[] };
    for (let i = 0; i < COMMANDS; i++) {
      const input = {
        microstructureId: gp.microstructureIds[0],
        patient: { lastName: `Banc-${lettersOf(i)}`, firstName: 'Mesurée', birthDate: '1980-02-29', sex: i % 2 ? 'FEMALE' : 'MALE' },
        includedOn: monthStart,
        reasons: ['ADDICTION'],
        treatingGpId: gp.professionalId,
        consent: { givenOn: monthStart, teamSharing: true, partnerSharing: [] },
        initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 10 },
      };
      let commandId = randomUUID();
      const sent = performance.now();
      for (let attempt = 1; ; attempt++) {
        try {
          await graphql(platform.gateway, gp, INCLUDE, { input }, commandId);
          break;
        } catch (error) {
          if (i > 0 || attempt >= 600) throw error;
          // A refusal is kept under its command id (the same id is answered the same for a day): a retry is a new command.
          commandId = randomUUID();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const answered = performance.now();
      const { indicator } = await graphql<Answer>(platform.gateway, gp, NEW_INCLUSIONS, { period, command: commandId });
      const counted = performance.now();
      if (indicator.totals[0]?.numerator !== i + 1) throw new Error(`the indicator answered ${indicator.totals[0]?.numerator} after the inclusion n° ${i + 1}`);
      if (i > 0) {
        timings.command.push(answered - sent);
        timings.indicator.push(counted - sent);
      }
      const queried = performance.now();
      await graphql<Answer>(platform.gateway, gp, NEW_INCLUSIONS, { period });
      timings.query.push(performance.now() - queried);
      const trivial = performance.now();
      await graphql(platform.gateway, gp, '{ __typename }');
      timings.trivial.push(performance.now() - trivial);
    }
    const figure = (values: number[]) => `${Math.round(percentile(values, 50))} / ${Math.round(percentile(values, 99))}`;
    return {
      bus,
      commands: COMMANDS,
      'command → indicator p50 / p99 ms': figure(timings.indicator),
      'command alone p50 / p99 ms': figure(timings.command),
      'indicator query alone p50 / p99 ms': figure(timings.query),
      'trivial query p50 / p99 ms': figure(timings.trivial),
      'p99 ÷ command p99': round(percentile(timings.indicator, 99) / percentile(timings.command, 99)),
      'load average': loadAverage(),
    };
  } finally {
    await platform.stop();
    await database.drop();
  }
}

benchOnEachBus(7400, run);

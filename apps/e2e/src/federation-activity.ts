import { Identity } from '@cnrms/auth';
import { codesOf, GraphQLAnswer } from './platform';

/** The activity the federation end-to-end tests drive through each deployment's gateway, and how they read the indicators. */

export const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
export const monthStart = `${today.slice(0, 8)}01`;
export const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const situation = { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 20 };

// Identifying values of the test's patients: none may reach the national cluster.
export const LAST_NAMES = ['Quenouillard', 'Zéphyrinot', 'Brindacier', 'Vermicelle', 'Pimprenelle', 'Tournesolier', 'Coquelicoq'];
export const FIRST_NAME = 'Fédéralinde';
export const BIRTH_DATE = '1977-07-17';

// The self-hosting region's network (created nationally by the launcher, see tools/federation/options.ts) and the hosted one.
export const REGION_NETWORK = { name: 'Réseau des microstructures de Bourgogne-Franche-Comté', region: '27', departments: ['21', '25'] };
export const HOSTED_NETWORK = { name: 'Réseau hébergé des microstructures de Normandie', region: '28', departments: ['14'] };

export type Call = <T>(identity: Identity, query: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;
export const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
export const coordinatorOf = (networkIds: string[]): Identity => ({ userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds, microstructureIds: [] });

export async function data<T>(call: Call, identity: Identity, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await call<T>(identity, query, variables);
  if (answer.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** Retries while the directory's events have not yet reached the inclusions service (asynchronous, through the bus). */
export async function onceKnown<T>(attempt: () => Promise<GraphQLAnswer<T>>): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const reply = await attempt();
    if (!reply.errors?.length) return reply.data as T;
    const { category, code } = reply.errors[0].extensions ?? {};
    // The microstructure's opening travels through the bus too: not open yet means not known yet here.
    const notKnownYet = ['FORBIDDEN', 'NOT_FOUND'].includes(String(category)) || ['MICROSTRUCTURE_NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN'].includes(String(code));
    if (!notKnownYet || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(reply.errors)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface Team {
  networkId: string;
  microstructureId: string;
  gp: Identity;
  psychologist: Identity;
  inclusions: string[];
}

/** One network's activity: a care team (GP and psychologist), `patients` inclusions, a psychologist session for the first. */
export async function activity(call: Call, networkId: string, label: string, patients: number, firstName = 0): Promise<Team> {
  const coordinator = coordinatorOf([networkId]);
  const department = label === 'region' ? '21' : '14';
  const { createMicrostructure } = await data<{ createMicrostructure: { id: string } }>(call, coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
    input: { networkId, name: `Microstructure fédérée ${label}`, department, practiceSite: { name: `Cabinet ${label}`, type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: `${department}000`, city: 'Testville' } } },
  });
  const team = createMicrostructure.id;
  const people: Identity[] = [];
  for (const [n, profession] of ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'].entries()) {
    const { registerProfessional } = await data<{ registerProfessional: { id: string } }>(call, coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', {
      input: { firstName: `Pro${n}`, lastName: `Fédéré-${label}`, profession },
    });
    await data(call, coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: team, professionalId: registerProfessional.id, startedOn: shift(today, -400) } });
    people.push({ userId: `u-${label}-${n}`, roles: ['professional'], networkIds: [networkId], microstructureIds: [team], professionalId: registerProfessional.id });
  }
  await data(call, coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: team, on: shift(today, -400) });
  const result: Team = { networkId, microstructureId: team, gp: people[0], psychologist: people[1], inclusions: [] };
  for (let n = 0; n < patients; n++) result.inclusions.push(await include(call, result, firstName + n, n % 2 === 0 ? 'FEMALE' : 'MALE'));
  await data(call, result.psychologist, 'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id } }', {
    input: { inclusionId: result.inclusions[0], kind: 'PSYCHOLOGIST_SESSION', heldOn: today, durationMinutes: 45 },
  });
  return result;
}

export async function include(call: Call, team: Team, n: number, sex: string): Promise<string> {
  const input = {
    microstructureId: team.microstructureId,
    patient: { lastName: LAST_NAMES[n], firstName: FIRST_NAME, birthDate: BIRTH_DATE, sex },
    includedOn: monthStart,
    reasons: ['ADDICTION'],
    treatingGpId: team.gp.professionalId,
    consent: { givenOn: monthStart, teamSharing: true, partnerSharing: [] },
    initialSituation: situation,
  };
  return (await onceKnown(() => call<{ includePatient: { id: string } }>(team.gp, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', { input }))).includePatient.id;
}

export const CELL = 'period dimensions { dimension value label } numerator denominator value suppressed';
export const INDICATOR = `query($code: String!, $period: PeriodInput!, $groupBy: [String!]) { indicator(code: $code, period: $period, groupBy: $groupBy) { cells { ${CELL} } totals { ${CELL} } } }`;
export type Cell = { period: string; dimensions: { dimension: string; value: string; label: string }[]; numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean };

/** Every indicator of the catalogue, in total and by network, as a coordinator of both networks sees it; network ids replaced by names. */
export async function indicators(call: Call, networkIds: string[]): Promise<Record<string, unknown>> {
  const who = coordinatorOf(networkIds);
  const { indicatorCatalogue } = await data<{ indicatorCatalogue: { code: string }[] }>(call, who, '{ indicatorCatalogue { code } }');
  const out: Record<string, unknown> = {};
  for (const { code } of indicatorCatalogue) {
    for (const groupBy of [[], ['NETWORK']]) {
      const reply = await call<{ indicator: { cells: Cell[]; totals: Cell[] } }>(who, INDICATOR, { code, period: { from: monthStart, to: today, granularity: 'MONTH' }, groupBy });
      // Network ids differ between the deployments and the reference: cells are named by the network's name, in that order.
      const named = (cells: Cell[]) =>
        cells
          .map((cell) => ({ ...cell, dimensions: cell.dimensions.map((d) => ({ dimension: d.dimension, value: d.dimension === 'NETWORK' ? d.label : d.value })) }))
          .sort((a, b) => JSON.stringify([a.period, a.dimensions]).localeCompare(JSON.stringify([b.period, b.dimensions])));
      out[`${code} by [${groupBy.join()}]`] = reply.errors?.length ? { refused: codesOf(reply) } : { cells: named(reply.data!.indicator.cells), totals: named(reply.data!.indicator.totals) };
    }
  }
  return out;
}

export const reach = async (call: Call, networkIds: string[]) => {
  const reply = await data<{ indicator: { totals: Cell[] } }>(call, coordinatorOf(networkIds), INDICATOR, { code: 'new_inclusions', period: { from: monthStart, to: today, granularity: 'MONTH' }, groupBy: [] });
  return reply.indicator.totals[0]?.numerator ?? reply.indicator.totals[0]?.value ?? 0;
};

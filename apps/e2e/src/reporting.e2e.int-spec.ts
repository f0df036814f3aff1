import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform } from './platform';

/**
 * Reporting end to end: the whole platform on a fresh database. A coordinator builds two care teams in
 * two networks of one region, the GPs include eight patients, the psychologist sees two of them; the
 * events reach reporting through the bus, and the indicators answer each role within its rights, with
 * small cells suppressed and counts perturbed (cell key method) for every audience outside the team.
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const monthStart = `${today.slice(0, 8)}01`;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const thisMonth = { from: monthStart, to: today, granularity: 'MONTH' };
const NAMES = ['Abeille', 'Bouleau', 'Cerisier', 'Dahlia', 'Érable', 'Frêne', 'Glycine', 'Houx'];
const situation = { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 20 };

const CELL = 'period dimensions { dimension value label } numerator denominator value suppressed suppression suppressionReason';
const INDICATOR = `query($code: String!, $period: PeriodInput!, $groupBy: [String!], $filter: IndicatorFilterInput) {
  indicator(code: $code, period: $period, groupBy: $groupBy, filter: $filter) { code eventsUpTo suppressionApplied cells { ${CELL} } totals { ${CELL} } }
}`;

type Cell = { dimensions: { dimension: string; value: string; label: string }[]; numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean; suppression: string | null };
type Answer = { code: string; eventsUpTo: string | null; suppressionApplied: boolean; cells: Cell[]; totals: Cell[] };

describe('reporting through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;
  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const admin: Identity = { userId: 'u-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let funder: Identity;
  let networkA: string;
  let networkB: string;
  let teamA: string;
  /** Members of each team: they see their own figures exactly; every audience outside the team sees published ones (issue #18). */
  let psychologistA: Identity;
  let doctorB: Identity;
  let gpAId: string;
  let gpBId: string;

  const indicator = (who: Identity, code: string, variables: Record<string, unknown> = {}) => platform.query<{ indicator: Answer }>(who, INDICATOR, { code, period: thisMonth, ...variables });
  const answer = async (who: Identity, code: string, variables: Record<string, unknown> = {}) => {
    const reply = await indicator(who, code, variables);
    if (reply.errors?.length) throw new Error(JSON.stringify(reply.errors));
    return reply.data!.indicator;
  };

  /** Retries while the directory's events have not yet reached the inclusions service. */
  async function onceKnown<T>(attempt: () => Promise<GraphQLAnswer<T>>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const reply = await attempt();
      if (!reply.errors?.length) return reply.data as T;
      // FORBIDDEN / NOT_FOUND by category; a rule violation (RULE_VIOLATION) by its code, e.g. MICROSTRUCTURE_NOT_OPEN.
      const category = ['FORBIDDEN', 'NOT_FOUND'].includes(String(reply.errors[0].extensions?.category)) ? String(reply.errors[0].extensions?.category) : String(reply.errors[0].extensions?.code);
      if (!['FORBIDDEN', 'NOT_FOUND', 'MICROSTRUCTURE_NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN'].includes(category) || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(reply.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_reporting');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 5000, demoData: false });
    const network = async (name: string) =>
      (await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input: { name, region: '44', departments: ['67'] } }))
        .createRegionalNetwork.id;
    networkA = await network('Réseau e2e des indicateurs');
    networkB = await network('Réseau e2e voisin des indicateurs');
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkA, networkB], microstructureIds: [] };
    funder = { userId: 'u-funder', roles: ['funder'], networkIds: [networkA, networkB], microstructureIds: [] };

    const careTeam = async (networkId: string, name: string, people: { firstName: string; lastName: string; profession: string }[]) => {
      const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId, name, department: '67', practiceSite: { name: `Cabinet ${name}`, type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
      });
      const ids: string[] = [];
      for (const person of people) {
        const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: person });
        await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: shift(today, -400) } });
        ids.push(registerProfessional.id);
      }
      await platform.data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: createMicrostructure.id, on: shift(today, -400) });
      return { id: createMicrostructure.id, ids };
    };
    const a = await careTeam(networkA, 'Microstructure e2e des Indicateurs', [
      { firstName: 'Gaëlle', lastName: 'Médecin-Indicateurs', profession: 'GENERAL_PRACTITIONER' },
      { firstName: 'Paul', lastName: 'Psy-Indicateurs', profession: 'PSYCHOLOGIST' },
    ]);
    const b = await careTeam(networkB, 'Microstructure e2e voisine des Indicateurs', [{ firstName: 'Bruno', lastName: 'Médecin-Voisin', profession: 'GENERAL_PRACTITIONER' }]);
    teamA = a.id;
    gpAId = a.ids[0];
    gpBId = b.ids[0];
    const member = (id: string, team: string, networkId: string, name: string): Identity => ({ userId: `u-${name}`, roles: ['professional'], networkIds: [networkId], microstructureIds: [team], professionalId: id });
    const gpA = member(a.ids[0], a.id, networkA, 'gp-a');
    const psyA = member(a.ids[1], a.id, networkA, 'psy-a');
    const gpB = member(b.ids[0], b.id, networkB, 'gp-b');
    psychologistA = psyA;
    doctorB = gpB;

    const include = async (who: Identity, team: string, n: number, sex: string) => {
      const input = {
        microstructureId: team,
        patient: { lastName: NAMES[n - 1], firstName: 'Indicatrice', birthDate: '1980-05-05', sex },
        includedOn: monthStart,
        reasons: ['ADDICTION'],
        treatingGpId: who.professionalId,
        consent: { givenOn: monthStart, teamSharing: true, partnerSharing: [] },
        initialSituation: situation,
      };
      return (await onceKnown(() => platform.query<{ includePatient: { id: string } }>(who, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', { input }))).includePatient.id;
    };
    const inclusionsA: string[] = [];
    for (let n = 1; n <= 6; n++) inclusionsA.push(await include(gpA, a.id, n, n <= 3 ? 'FEMALE' : 'MALE'));
    for (let n = 7; n <= 8; n++) await include(gpB, b.id, n, 'FEMALE');
    for (const inclusionId of inclusionsA.slice(0, 2)) {
      await platform.data(psyA, 'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id } }', { input: { inclusionId, kind: 'PSYCHOLOGIST_SESSION', heldOn: today, durationMinutes: 45 } });
    }
    // Everything has reached reporting once team A sees its 6 patients, 2 seen by the psychologist, and team B its 2.
    await eventually(
      async () => [await answer(psyA, 'psychologist_reach'), await answer(gpB, 'active_caseload')],
      ([reach, caseloadB]) => reach.totals[0]?.numerator === 2 && reach.totals[0]?.denominator === 6 && caseloadB.totals[0]?.numerator === 2,
      60_000,
    );
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  it('lists the catalogue, with the unavailable indicators and their reason', async () => {
    const { indicatorCatalogue } = await platform.data<{ indicatorCatalogue: { code: string; available: boolean; unavailableReason: string | null; dimensions: string[] }[] }>(
      national,
      '{ indicatorCatalogue { code label unit dimensions available unavailableReason } }',
    );
    expect(indicatorCatalogue.length).toBeGreaterThanOrEqual(26);
    expect(indicatorCatalogue.find((i) => i.code === 'hcv_treatment_uptake')).toMatchObject({ available: true, unavailableReason: null });
    expect(indicatorCatalogue.find((i) => i.code === 'active_caseload')?.dimensions).toContain('MICROSTRUCTURE');
  });

  it('shows each team its own figures exactly, and the coordinator protected ones, by microstructure, with names (issue #13, finding 5)', async () => {
    const own = await answer(psychologistA, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
    expect(own.suppressionApplied).toBe(false);
    expect(own.cells.map((c) => [c.dimensions[0].label, c.numerator])).toEqual([['Microstructure e2e des Indicateurs', 6]]);
    expect((await answer(doctorB, 'active_caseload')).totals[0].numerator).toBe(2);
    const women = await answer(psychologistA, 'women_share');
    expect(women.totals[0]).toMatchObject({ numerator: 3, denominator: 6, value: 50 });
    const caseload = await answer(coordinator, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
    expect(caseload.suppressionApplied).toBe(true);
    expect(caseload.eventsUpTo).toEqual(expect.any(String));
    // B's 2 patients are a small cell; A is hidden beside it (the total would give B away).
    expect(caseload.cells.map((c) => [c.dimensions[0].label, c.suppressed]).sort()).toEqual([
      ['Microstructure e2e des Indicateurs', true],
      ['Microstructure e2e voisine des Indicateurs', true],
    ]);
    expect(Math.abs(caseload.totals[0].numerator! - 8)).toBeLessThanOrEqual(3);
  });

  it('suppresses the small network, and its partner, for the national level and a funder; totals stay', async () => {
    for (const who of [national, funder]) {
      const caseload = await answer(who, 'active_caseload', { groupBy: ['NETWORK'], filter: { networkIds: [networkA, networkB] } });
      expect(caseload.suppressionApplied).toBe(true);
      expect(caseload.cells.map((c) => [c.dimensions[0].value, c.suppressed, c.numerator])).toEqual(
        [
          [networkA, true, null],
          [networkB, true, null],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      expect(caseload.cells.map((c) => c.suppression).sort()).toEqual(['COMPLEMENTARY', 'SMALL_CELL']);
      // The total is a cell of its own, perturbed by the cell key method (within ±3), the same for both audiences.
      expect(caseload.totals[0]).toMatchObject({ suppressed: false });
      expect(Math.abs(caseload.totals[0].numerator! - 8)).toBeLessThanOrEqual(3);
    }
  });

  it('answers through the directory’s Network entity (federation)', async () => {
    const { network } = await platform.data<{ network: { name: string; indicators: Answer[] } }>(
      coordinator,
      'query($id: ID!, $period: PeriodInput!) { network(id: $id) { name indicators(codes: ["active_caseload", "new_inclusions"], period: $period) { code totals { numerator } } } }',
      { id: networkA, period: thisMonth },
    );
    expect(network.name).toBe('Réseau e2e des indicateurs');
    // Published for the coordinator: the same 6 patients behind both figures give the same published figure (cell key method).
    const [caseload, inclusions] = network.indicators.map((i) => i.totals[0].numerator!);
    expect(caseload).toBe(inclusions);
    expect(Math.abs(caseload - 6)).toBeLessThanOrEqual(3);
  });

  it('exports the answer as CSV for French spreadsheets, with the same rights', async () => {
    const { indicatorExport } = await platform.data<{ indicatorExport: { fileName: string; contentType: string; content: string } }>(
      psychologistA,
      'query($period: PeriodInput!) { indicatorExport(code: "active_caseload", period: $period, groupBy: ["NETWORK"], format: CSV) { fileName contentType content } }',
      { period: thisMonth },
    );
    expect(indicatorExport.fileName).toMatch(/^active_caseload_.*_month_par_network\.csv$/);
    expect(indicatorExport.contentType).toBe('text/csv; charset=utf-8');
    expect(indicatorExport.content.startsWith('\uFEFFIndicateur;Libellé;Période;Réseau régional;Numérateur')).toBe(true);
    expect(indicatorExport.content).toContain('Réseau e2e des indicateurs;6;;6;nombre;non');
    // The coordinator's export is the coordinator's answer: network A hidden beside the small network B.
    const published = await platform.data<{ indicatorExport: { content: string } }>(coordinator, 'query($period: PeriodInput!) { indicatorExport(code: "active_caseload", period: $period, groupBy: ["NETWORK"], format: CSV) { content } }', { period: thisMonth });
    expect(published.indicatorExport.content).toContain('Réseau e2e des indicateurs;;;;nombre;oui');
    const refused = await platform.query(funder, 'query($period: PeriodInput!) { indicatorExport(code: "active_caseload", period: $period, format: JSON, filter: { networkIds: ["net-elsewhere"] }) { content } }', { period: thisMonth });
    expect(codesOf(refused)).toEqual(['SCOPE_FORBIDDEN']);
  });

  it('refuses, with a code and a French message: another network, an unknown indicator or dimension, a too long period, no token, no scope', async () => {
    const team: Identity = { userId: 'u-team', roles: ['professional'], networkIds: [networkA], microstructureIds: [teamA], professionalId: gpAId };
    const cases: [GraphQLAnswer<unknown>, string, RegExp][] = [
      [await indicator({ ...coordinator, networkIds: [networkA] }, 'active_caseload', { filter: { networkIds: [networkB] } }), 'SCOPE_FORBIDDEN', /hors de votre périmètre/],
      [await indicator(team, 'active_caseload', { filter: { microstructureIds: ['ms-elsewhere'] } }), 'SCOPE_FORBIDDEN', /hors de votre périmètre/],
      [await indicator(national, 'no_such_indicator'), 'UNKNOWN_INDICATOR', /Indicateur inconnu/],
      [await indicator(national, 'active_caseload', { groupBy: ['PLANET'] }), 'UNKNOWN_DIMENSION', /Dimension inconnue/],
      [await indicator(national, 'women_share', { groupBy: ['SEX'] }), 'UNSUPPORTED_GROUPING', /ne se découpe pas/],
      [await indicator(national, 'active_caseload', { period: { from: '1990-01-01', to: today, granularity: 'YEAR' } }), 'PERIOD_TOO_LONG', /Période trop longue/],
      [await indicator({ userId: 'u-f', roles: ['funder'], networkIds: [], microstructureIds: [] }, 'active_caseload'), 'FORBIDDEN', /aucun réseau/],
      [await indicator(null as unknown as Identity, 'active_caseload'), 'UNAUTHENTICATED', /./],
      [await platform.query(national, 'mutation { reportingStartRebuild { version } }'), 'FORBIDDEN', /administrateurs/],
    ];
    for (const [reply, code, message] of cases) {
      expect(codesOf(reply)).toEqual([code]);
      expect(reply.errors?.[0].message).toMatch(message);
    }
    expect(totalsOf(await answer(team, 'active_caseload'))).toEqual([6]);
  });

  it('scopes a team by the directory’s current memberships, not by the microstructures its token names', async () => {
    // The GP of network B, whose token also names team A: reporting sees only their own team B.
    const intruder: Identity = { userId: 'u-intruder', roles: ['professional'], networkIds: [networkA, networkB], microstructureIds: [teamA], professionalId: gpBId };
    expect(codesOf(await indicator(intruder, 'active_caseload', { filter: { microstructureIds: [teamA] } }))).toEqual(['SCOPE_FORBIDDEN']);
    expect(totalsOf(await answer(intruder, 'active_caseload'))).toEqual([2]);
    // A professional token naming team A without any membership in the directory.
    const stranger: Identity = { userId: 'u-stranger', roles: ['professional'], networkIds: [networkA], microstructureIds: [teamA], professionalId: 'pro-unknown' };
    expect(codesOf(await indicator(stranger, 'active_caseload'))).toEqual(['FORBIDDEN']);
  });

  it('rebuilds the facts for an administrator without changing the answers', async () => {
    const before = await answer(coordinator, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
    const { reportingStartRebuild } = await platform.data<{ reportingStartRebuild: { version: number; status: string } }>(admin, 'mutation { reportingStartRebuild { version status eventsTotal } }');
    expect(reportingStartRebuild).toMatchObject({ version: 2, status: 'BUILDING' });
    await eventually(
      async () => (await platform.data<{ reportingRebuild: { status: string } }>(admin, '{ reportingRebuild { version status eventsDone eventsTotal ratePerSecond secondsLeft } }')).reportingRebuild,
      (progress) => progress.status === 'ACTIVE',
      60_000,
    );
    expect(await answer(coordinator, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] })).toEqual(before);
  }, 90_000);
});

function totalsOf(answer: Answer): (number | null)[] {
  return answer.totals.map((t) => t.numerator);
}

import { IndicatorAnswer, INDICATORS, Viewer } from '@cnrms/domain-reporting';
import { generatedHistory, GeneratedHistory, HistorySize, patientEvents } from '../testing/generated-history';
import { createReportingDatabase, ReportingDatabase } from '../testing/reporting-database';
import { IndicatorService } from './indicator.service';

/**
 * The attacker of issue #18, against the real service on real PostgreSQL: for a generated history, every
 * grouping and filter combination of the API is asked by a funder and by the national coordination; every
 * published figure becomes bounds on the true count of its population (a population is named by its
 * indicator, period and conditions — the same population asked differently is one unknown); the answers'
 * additive relations (cells of a grouping add up to the total, microstructures to their network, quarters
 * to the year for inclusions) become equations; bounds are propagated through the equations until nothing
 * moves (interval constraint propagation: every "subtract the visible cells from the total" chain, with
 * uncertainty). Outside the team every cell of an answer's grid is given (zero is hidden like a small
 * count), so a hidden cell means 0 … threshold − 1. It fails if any small count (1 to threshold − 1) is
 * recovered exactly. The same attacker, against figures that are not perturbed (D = 0), recovers small
 * counts: the test can fail. Exports are rendered from the same answer (`answerToCsv`), so
 * they carry the same figures.
 */
const THRESHOLD = 5;
const D = 3;
const SIZES: HistorySize[] = [
  { name: 'first-year', seed: 11, networks: 1, microstructuresPerNetwork: 3, patients: 40 },
  { name: 'region', seed: 23, networks: 3, microstructuresPerNetwork: 3, patients: 180 },
  { name: 'country', seed: 37, networks: 6, microstructuresPerNetwork: 4, patients: 520 },
];
const YEAR = { from: '2024-01-01', to: '2024-12-31', granularity: 'YEAR' as const };
const QUARTERS = { ...YEAR, granularity: 'QUARTER' as const };
const CODES = ['active_caseload', 'new_inclusions', 'women_share', 'psychologist_reach'];
const GROUPINGS = [[], ['NETWORK'], ['MICROSTRUCTURE'], ['SEX'], ['AGE_BAND'], ['MICROSTRUCTURE_KIND'], ['NETWORK', 'SEX'], ['MICROSTRUCTURE', 'SEX'], ['MICROSTRUCTURE', 'AGE_BAND'], ['SEX', 'AGE_BAND']];
/** Counts of inclusions add up over time; counts of distinct patients do not (a patient seen in two quarters). */
const ADDITIVE_IN_TIME = new Set(['new_inclusions']);
/** Indicators whose cells reveal two counts of patients (numerator and denominator). */
const TWO_COUNTS = new Set(['women_share', 'psychologist_reach']);

type Request = { code: string; period: typeof YEAR | typeof QUARTERS; groupBy: string[]; filter: Record<string, string[]> };
type Bounds = [number, number];

function requestsFor(history: GeneratedHistory, scope: string[] | null, quarters: boolean): Request[] {
  const filters: Record<string, string[]>[] = [{}, ...['FEMALE', 'MALE', 'UNKNOWN'].map((s) => ({ sexes: [s] })), ...['ADDICTION', 'MENTAL_HEALTH'].map((k) => ({ microstructureKinds: [k] }))];
  for (const network of history.networks) if (!scope || scope.includes(network.id)) filters.push({ networkIds: [network.id] });
  const requests: Request[] = [];
  for (const code of CODES) {
    const dimensions = INDICATORS.find((i) => i.code === code)!.dimensions as readonly string[];
    for (const period of ADDITIVE_IN_TIME.has(code) && quarters ? [YEAR, QUARTERS] : [YEAR]) {
      for (const groupBy of GROUPINGS) {
        if (!groupBy.every((d) => dimensions.includes(d))) continue;
        for (const filter of filters) {
          if (filter.sexes && !dimensions.includes('SEX')) continue;
          if (filter.sexes && groupBy.includes('SEX')) continue;
          if (groupBy.length > 1 && Object.keys(filter).length > 0) continue;
          requests.push({ code, period, groupBy, filter });
        }
      }
    }
  }
  return requests;
}

/**
 * The attacker's view of a population: indicator figure, period and conditions, normalised so that the
 * same patients asked another way get the same name (a microstructure implies its network and kind).
 */
function populationOf(history: GeneratedHistory, figure: string, period: string, conditions: Record<string, string>, scope: string[] | null): string {
  const c = { ...conditions };
  if (c.MICROSTRUCTURE) {
    delete c.NETWORK;
    delete c.MICROSTRUCTURE_KIND;
  }
  if (!c.NETWORK && !c.MICROSTRUCTURE && scope && scope.length < history.networks.length) c.SCOPE = [...scope].sort().join(',');
  return `${figure}|${period}|${Object.keys(c).sort().map((k) => `${k}=${c[k]}`).join('&')}`;
}

class Attacker {
  readonly bounds = new Map<string, Bounds>();
  readonly equations: { parent: string; children: string[] }[] = [];
  readonly smallHidden = new Set<string>();

  constructor(
    private readonly history: GeneratedHistory,
    private readonly scope: string[] | null,
    private readonly maxPerturbation: number,
    /** Reads exact answers (the team's view): the truth the breaches are checked against. */
    private readonly exact = false,
  ) {}

  private narrow(id: string, [lo, hi]: Bounds): void {
    const [a, b] = this.bounds.get(id) ?? [0, Infinity];
    this.bounds.set(id, [Math.max(a, lo), Math.min(b, hi)]);
  }

  private seen(id: string, published: number | null, suppression: string | null, counts: number): void {
    if (this.exact && published !== null) this.narrow(id, [published, published]);
    else if (published === null) {
      if (suppression === 'SMALL_CELL' && counts === 1) {
        // Zero is hidden like a small count and every cell of the grid is answered: hidden means 0 … T − 1.
        this.narrow(id, [0, THRESHOLD - 1]);
        this.smallHidden.add(id);
      } else this.narrow(id, [0, Infinity]);
    } else if (published === 0) this.narrow(id, [0, 0]);
    else this.narrow(id, [Math.max(THRESHOLD, published - this.maxPerturbation), published + this.maxPerturbation]);
  }

  read(request: Request, answer: IndicatorAnswer): void {
    const counts = TWO_COUNTS.has(request.code) ? 2 : 1;
    const base: Record<string, string> = {};
    if (request.filter.sexes) base.SEX = request.filter.sexes[0];
    if (request.filter.microstructureKinds) base.MICROSTRUCTURE_KIND = request.filter.microstructureKinds[0];
    if (request.filter.networkIds) base.NETWORK = request.filter.networkIds[0];
    const figures = counts === 2 ? (['n', 'd'] as const) : (['n'] as const);
    for (const f of figures) {
      const figure = `${request.code}:${f}`;
      const id = (period: string, conditions: Record<string, string>) => populationOf(this.history, figure, period, conditions, this.scope);
      const value = (cell: IndicatorAnswer['cells'][number]) => (f === 'n' ? cell.numerator : cell.denominator);
      for (const total of answer.totals) this.seen(id(total.period, base), value(total), total.suppression, counts);
      const cellsByPeriod = new Map<string, IndicatorAnswer['cells']>();
      for (const cell of answer.cells) {
        const conditions = { ...base, ...Object.fromEntries(cell.dimensions.map((d) => [d.dimension, String(d.value)])) };
        if (request.groupBy.length > 0) this.seen(id(cell.period, conditions), value(cell), cell.suppression, counts);
        cellsByPeriod.set(cell.period, [...(cellsByPeriod.get(cell.period) ?? []), cell]);
      }
      if (request.groupBy.length === 0) continue;
      for (const [period, cells] of cellsByPeriod) {
        const conditionsOf = (cell: IndicatorAnswer['cells'][number]) => ({ ...base, ...Object.fromEntries(cell.dimensions.map((d) => [d.dimension, String(d.value)])) });
        // Every cell of the period adds up to the total; with two dimensions, each line adds up to the other dimension's cell.
        this.equations.push({ parent: id(period, base), children: cells.map((c) => id(period, conditionsOf(c))) });
        for (const kept of request.groupBy.length === 2 ? request.groupBy : []) {
          const lines = new Map<string, string[]>();
          for (const cell of cells) {
            const value = String(cell.dimensions.find((d) => d.dimension === kept)!.value);
            lines.set(value, [...(lines.get(value) ?? []), id(period, conditionsOf(cell))]);
          }
          for (const [value, children] of lines) this.equations.push({ parent: id(period, { ...base, [kept]: value }), children });
        }
        if (request.groupBy.length === 1 && request.groupBy[0] === 'MICROSTRUCTURE') {
          for (const network of this.history.networks) {
            const children = cells.filter((c) => this.history.microstructures.find((m) => m.id === c.dimensions[0].value)?.networkId === network.id).map((c) => id(period, conditionsOf(c)));
            this.equations.push({ parent: id(period, { ...base, NETWORK: network.id }), children });
          }
        }
      }
      if (ADDITIVE_IN_TIME.has(request.code) && request.period.granularity === 'QUARTER') {
        const populations = new Map<string, string[]>();
        for (const item of [...answer.totals.map((t) => ({ period: t.period, conditions: base })), ...answer.cells.map((c) => ({ period: c.period, conditions: { ...base, ...Object.fromEntries(c.dimensions.map((d) => [d.dimension, String(d.value)])) } }))]) {
          const year = id('2024', item.conditions);
          populations.set(year, [...(populations.get(year) ?? []), id(item.period, item.conditions)]);
        }
        for (const [year, quarters] of populations) this.equations.push({ parent: year, children: [...new Set(quarters)] });
      }
    }
  }

  /** Interval propagation over every equation until no bound moves. */
  solve(): void {
    const get = (id: string): Bounds => this.bounds.get(id) ?? [0, Infinity];
    for (let round = 0, moved = true; moved && round < 200; round++) {
      moved = false;
      for (const { parent, children } of this.equations) {
        const los = children.map((c) => get(c)[0]);
        const his = children.map((c) => get(c)[1]);
        const sumLo = los.reduce((a, b) => a + b, 0);
        const sumHi = his.reduce((a, b) => a + b, 0);
        const update = (id: string, lo: number, hi: number) => {
          const [a, b] = get(id);
          if (lo > a || hi < b) {
            this.bounds.set(id, [Math.max(a, lo), Math.min(b, hi)]);
            moved = true;
          }
        };
        update(parent, sumLo, sumHi);
        const [plo2, phi2] = get(parent);
        children.forEach((child, i) => update(child, plo2 - (sumHi - his[i]), phi2 - (sumLo - los[i])));
      }
    }
  }

  /** Hidden populations the attacker pins to fewer values than 0 … threshold − 1, with their bounds and truth. */
  breaches(truth: Map<string, number>): { id: string; bounds: Bounds; truth: number | undefined }[] {
    return [...this.smallHidden]
      .map((id) => ({ id, bounds: this.bounds.get(id)!, truth: truth.get(id) }))
      .filter(({ bounds: [lo, hi] }) => Math.min(hi, THRESHOLD - 1) - Math.max(lo, 0) + 1 < THRESHOLD);
  }
}

async function attack(history: GeneratedHistory, service: IndicatorService, exact: IndicatorService, viewer: Viewer, maxPerturbation: number, quarters = false) {
  const scope = viewer.roles.includes('funder') ? [...viewer.networkIds] : null;
  const attacker = new Attacker(history, scope, maxPerturbation);
  const truthReader = new Attacker(history, scope, 0, true);
  const all: Viewer = { roles: ['professional'], networkIds: [], microstructureIds: history.microstructures.filter((m) => !scope || scope.includes(m.networkId)).map((m) => m.id) };
  const requests = requestsFor(history, scope, quarters);
  for (const request of requests) {
    attacker.read(request, await service.answer(viewer, request.code, request));
    truthReader.read(request, await exact.answer(all, request.code, request));
  }
  attacker.solve();
  const truth = new Map([...truthReader.bounds].map(([id, [lo]]) => [id, lo]));
  const breaches = attacker.breaches(truth);
  const pinned = breaches.filter((b) => Math.max(b.bounds[0], 0) === Math.min(b.bounds[1], THRESHOLD - 1));
  // What the method protects: counts of 1 … T − 1 (a population of nobody pinned to 0 singles nobody out).
  return { requests: requests.length, hidden: attacker.smallHidden.size, breaches, exact: pinned.filter((b) => (b.truth ?? 0) > 0), zeros: pinned.length - pinned.filter((b) => (b.truth ?? 0) > 0).length };
}

describe('disclosure control against an attacker combining every answer (issue #18)', () => {
  const databases: ReportingDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.database.drop();
  });

  describe.each(SIZES)('on a generated history: $name ($patients patients, $networks network(s))', (size) => {
    let db: ReportingDatabase;
    let history: GeneratedHistory;

    beforeAll(async () => {
      history = generatedHistory(size);
      db = await createReportingDatabase(`reporting_sdc_${size.name.replace('-', '_')}`);
      databases.push(db);
      await db.feed(history.events);
    }, 120_000);

    it('recovers no small count for the national coordination nor for a funder of two networks', async () => {
      const service = db.service({ cellKeyMaxPerturbation: D }, '2025-03-15');
      const exact = db.service({}, '2025-03-15');
      const funder: Viewer = { roles: ['funder'], networkIds: history.networks.slice(0, 2).map((n) => n.id), microstructureIds: [] };
      const national: Viewer = { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
      for (const viewer of [national, funder]) {
        // Quarters included: inclusions add up over time, the attack the presence of rows used to feed.
        const result = await attack(history, service, exact, viewer, D, true);
        console.log(
          `[sdc] ${size.name} ${viewer.roles[0]}: ${result.requests} requests, ${result.hidden} populations hidden, ${result.breaches.length} narrowed below 0 … ${THRESHOLD - 1}, ${result.exact.length} small counts recovered exactly (${result.zeros} empty populations pinned to 0)`,
        );
        expect(result.hidden).toBeGreaterThan(0);
        expect(result.exact).toEqual([]);
      }
    }, 300_000);
  });

  describe('the attack itself', () => {
    it('recovers small counts when the figures are not perturbed (the test can fail), none from the cell key method, quarters included', async () => {
      const history = generatedHistory(SIZES[0]);
      const db = await createReportingDatabase('reporting_sdc_previous');
      databases.push(db);
      await db.feed(history.events);
      const national: Viewer = { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
      const previous = db.service({ cellKeyMaxPerturbation: 0 });
      const before = await attack(history, previous, previous, national, 0, true);
      const after = await attack(history, db.service(), previous, national, D, true);
      for (const [name, result] of [['suppression only (D = 0)', before], ['cell key method', after]] as const) {
        console.log(`[sdc] ${name}, first year with quarters: ${result.requests} requests, ${result.hidden} small populations hidden, ${result.breaches.length} narrowed, ${result.exact.length} small counts recovered exactly (${result.zeros} empty populations pinned to 0)`);
        // The attacker is sound: the truth is always within what it infers.
        expect(result.breaches.every((b) => b.truth === undefined || (b.truth >= b.bounds[0] && b.truth <= b.bounds[1]))).toBe(true);
      }
      expect(before.exact.length).toBeGreaterThan(0);
      expect(after.exact).toEqual([]);
    }, 300_000);
  });

  describe('utility for the national dashboard (every available patient indicator, monthly by network)', () => {
    it('reports the share of cells hidden or perturbed and the error, before and after; the same cells are hidden', async () => {
      const history = generatedHistory(SIZES[2]);
      const db = await createReportingDatabase('reporting_sdc_utility');
      databases.push(db);
      await db.feed(history.events);
      const national: Viewer = { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
      const team: Viewer = { roles: ['professional'], networkIds: [], microstructureIds: history.microstructures.map((m) => m.id) };
      const months = { from: '2024-01-01', to: '2024-12-31', granularity: 'MONTH' as const };
      const codes = INDICATORS.filter((i) => i.available && i.patientBased && i.dimensions.includes('NETWORK') && i.granularities.includes('MONTH')).map((i) => i.code);
      const tally = () => ({ cells: 0, hidden: 0, perturbed: 0, errors: [] as number[], countErrors: [] as number[] });
      const before = tally();
      const after = tally();
      for (const code of codes) {
        const request = { period: months, groupBy: ['NETWORK'] };
        const truth = await db.service().answer(team, code, request);
        const key = (c: IndicatorAnswer['cells'][number]) => `${c.period}|${c.dimensions.map((d) => d.value).join('/')}`;
        const exact = new Map([...truth.cells, ...truth.totals].map((c) => [key(c), c]));
        for (const [service, into] of [[db.service({ cellKeyMaxPerturbation: 0 }), before], [db.service(), after]] as const) {
          const answer = await service.answer(national, code, request);
          for (const cell of [...answer.cells, ...answer.totals]) {
            const real = exact.get(key(cell))!;
            into.cells += 1;
            if (cell.suppressed) {
              into.hidden += 1;
              continue;
            }
            if (cell.value !== real.value || cell.numerator !== real.numerator || cell.denominator !== real.denominator) into.perturbed += 1;
            if (cell.value !== null && real.value !== null) into.errors.push(Math.abs(cell.value - real.value));
            if (cell.numerator !== null && real.numerator !== null) into.countErrors.push(Math.abs(cell.numerator - real.numerator));
          }
        }
      }
      const line = (name: string, t: ReturnType<typeof tally>) => {
        const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
        return `[sdc] utility ${name}: ${codes.length} indicators, ${t.cells} cells, hidden ${((100 * t.hidden) / t.cells).toFixed(1)} %, perturbed ${((100 * t.perturbed) / t.cells).toFixed(1)} %, value error mean ${mean(t.errors).toFixed(2)} max ${Math.max(0, ...t.errors).toFixed(2)}, numerator error mean ${mean(t.countErrors).toFixed(2)} max ${Math.max(0, ...t.countErrors)}`;
      };
      console.log(`${line('before (suppression only)', before)}\n${line('after (cell key, D = 3)', after)}`);
      expect(before.perturbed).toBe(0);
      expect(after.cells).toBe(before.cells);
      // Small counts are hidden by both; the perturbation never hides a count of T or more.
      expect(after.hidden).toBe(before.hidden);
    }, 300_000);
  });

  describe('over time (issue #13, finding 10)', () => {
    it('a hidden count of 1 that four more inclusions bring to 5 is still bounded to 1 … 4', async () => {
      const history = generatedHistory({ name: 'time', seed: 5, networks: 1, microstructuresPerNetwork: 2, patients: 12 });
      const db = await createReportingDatabase('reporting_sdc_time');
      databases.push(db);
      // One patient alone in a cell: the MENTAL_HEALTH-free network gets a lone patient in a fresh microstructure-sex cell.
      const target = { id: 'lone-1', microstructureId: history.microstructures[1].id, networkId: history.networks[0].id, sex: 'OTHER', ageBand: 'AGE_35_44', includedOn: '2024-03-03' };
      await db.feed([...history.events, ...patientEvents(target)]);
      const service = db.service();
      const national: Viewer = { roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
      const cell = { period: YEAR, filter: { microstructureIds: [target.microstructureId], sexes: ['OTHER'] } };
      const ask = async () => (await service.answer(national, 'new_inclusions', cell)).totals[0];
      const before = await ask();
      expect(before.suppression).toBe('SMALL_CELL');
      const more = [1, 2, 3, 4].map((n) => ({ ...target, id: `lone-${n + 1}`, includedOn: `2024-0${4 + n}-0${n}` }));
      await db.feed(more.flatMap((p) => patientEvents(p)));
      const after = await ask();
      expect(after.suppressed).toBe(false);
      // The attacker knows exactly that 4 inclusions were added: old = new − 4, new within the published bounds.
      const v = after.numerator!;
      const old: Bounds = [Math.max(1, Math.max(THRESHOLD, v - D) - 4), Math.min(THRESHOLD - 1, v + D - 4)];
      console.log(`[sdc] over time: hidden, then published ${v}: the old count is within ${old[0]} … ${old[1]} (truth 1)`);
      expect(old).toEqual([1, THRESHOLD - 1]);
      // The previous method published the exact 5: 5 − 4 gave the hidden 1 away.
      const previous = (await db.service({ cellKeyMaxPerturbation: 0 }).answer(national, 'new_inclusions', cell)).totals[0];
      expect(previous.numerator! - 4).toBe(1);
    }, 120_000);
  });
});

import { IndicatorAnswer } from '@cnrms/domain-reporting';
import { knownHistory, MICROSTRUCTURES, NETWORKS } from '../testing/known-history';
import { ask, createReportingDatabase, ReportingDatabase, rowsOf, totalsOf, viewers, YEAR_2024 } from '../testing/reporting-database';
import { IndicatorService } from './indicator.service';

/**
 * An attacker holding several answers (each one through the real service): every answer's cells add up
 * to its period total, a network's figure is the sum of its microstructures', a region's the sum of its
 * networks', a year's the sum of its quarters'. Wherever one of those equations has a single hidden
 * unknown, it is solved; solved values feed the next equations. Returns the hidden cells recovered.
 */
function recover(answers: IndicatorAnswer[]): Record<string, number> {
  const known: Record<string, number | null> = {};
  const equations: { total: string; parts: string[] }[] = [];
  const hiddenCells = new Set<string>();
  const show = (id: string, cell: IndicatorAnswer['cells'][number]) => {
    known[id] = cell.suppressed ? null : cell.numerator;
    if (cell.suppressed) hiddenCells.add(id);
  };
  const yearOf = (period: string) => period.slice(0, 4);
  for (const answer of answers) {
    const dimension = answer.groupBy.join('+') || 'ALL';
    for (const total of answer.totals) show(`ALL:*@${total.period}`, total);
    for (const cell of answer.cells) show(`${dimension}:${cell.dimensions.map((d) => d.value).join('/')}@${cell.period}`, cell);
    for (const total of answer.totals) {
      const parts = answer.cells.filter((c) => c.period === total.period).map((c) => `${dimension}:${c.dimensions.map((d) => d.value).join('/')}@${c.period}`);
      if (parts.length > 0) equations.push({ total: `ALL:*@${total.period}`, parts });
      if (dimension === 'MICROSTRUCTURE') {
        for (const network of NETWORKS) {
          const members = MICROSTRUCTURES.filter((m) => m.networkId === network.networkId).map((m) => `MICROSTRUCTURE:${m.microstructureId}@${total.period}`).filter((id) => id in known);
          if (members.length > 0) equations.push({ total: `NETWORK:${network.networkId}@${total.period}`, parts: members });
        }
      }
      if (dimension === 'NETWORK') {
        for (const region of new Set(NETWORKS.map((n) => n.region))) {
          const members = NETWORKS.filter((n) => n.region === region).map((n) => `NETWORK:${n.networkId}@${total.period}`).filter((id) => id in known);
          if (members.length > 0) equations.push({ total: `REGION:${region}@${total.period}`, parts: members });
        }
      }
    }
  }
  // Quarters add up to their year (exactly for counts of inclusions).
  const quarterly = Object.keys(known).filter((id) => /@\d{4}-Q\d$/.test(id));
  const byYear = new Map<string, string[]>();
  for (const id of quarterly) {
    const [name, period] = id.split('@');
    byYear.set(`${name}@${yearOf(period)}`, [...(byYear.get(`${name}@${yearOf(period)}`) ?? []), id]);
  }
  for (const [total, parts] of byYear) equations.push({ total, parts });

  const recovered: Record<string, number> = {};
  for (let progress = true; progress; ) {
    progress = false;
    for (const { total, parts } of equations) {
      const unknown = [total, ...parts].filter((id) => known[id] === null || known[id] === undefined);
      if (unknown.length !== 1) continue;
      const [id] = unknown;
      const sum = parts.filter((p) => p !== id).reduce((s, p) => s + (known[p] as number), 0);
      known[id] = id === total ? sum : (known[total] as number) - sum;
      recovered[id] = known[id] as number;
      progress = true;
    }
  }
  // Sums that no answer showed (a region, a network) are not secrets of the answers: keep the hidden cells only.
  return Object.fromEntries(Object.entries(recovered).filter(([id]) => hiddenCells.has(id)));
}

/** A published figure within the cell key method's ±3 of the true one (issue #18: totals are perturbed as cells of their own). */
const near = (published: unknown, truth: number) => typeof published === 'number' && Math.abs(published - truth) <= 3;

describe('rights and suppression on the known history', () => {
  let db: ReportingDatabase;
  let service: IndicatorService;

  beforeAll(async () => {
    db = await createReportingDatabase('reporting_rights');
    await db.feed(knownHistory());
    service = db.service();
  });

  afterAll(async () => {
    await db?.database.drop();
  });

  // Adapted to the cell key method (issue #18): published counts are perturbed within ±3, so figures are checked
  // against the truth within that range; which cells are hidden is still checked where it is decided by the method.
  describe('protection for every audience outside the team', () => {
    it('hides net-B (2 patients) and a partner in the same region, publishes the total perturbed', async () => {
      const answer = await ask(service, viewers.national, 'active_caseload', { groupBy: ['NETWORK'] });
      expect(answer.cells.map((c) => c.dimensions[0].value)).toEqual(['net-A', 'net-B', 'net-C']);
      expect(answer.cells[1].suppression).toBe('SMALL_CELL');
      expect(answer.cells[1].suppressionReason).toBe('Masquée : moins de 5 patients.');
      expect(answer.cells[0].suppressed).toBe(true);
      expect(near(answer.totals[0].numerator, 19)).toBe(true);
      expect(answer.suppressionApplied).toBe(true);
    });

    it('protects the regional coordinator’s figures too (issue #13, finding 5); the team sees its own exactly', async () => {
      const answer = await ask(service, viewers.coordinatorA, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
      expect(answer.suppressionApplied).toBe(true);
      expect(answer.cells.map((c) => [c.dimensions[0].value, c.suppressed])).toEqual([
        ['ms-A1', true],
        ['ms-A2', true],
      ]);
      expect(answer.cells[1].suppression).toBe('SMALL_CELL');
      expect(near(answer.totals[0].numerator, 11)).toBe(true);
      expect(rowsOf(await ask(service, viewers.teamA, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] }))).toEqual([
        ['2024', 'ms-A1', 8, null, 8],
        ['2024', 'ms-A2', 3, null, 3],
      ]);
    });

    it('hides a share whose numerator is small: women_share', async () => {
      // net-A 6/10 (p7's sex unknown), net-B 1/2, net-C 3/6 → B and C small, A hidden beside B; total 10/18.
      const answer = await ask(service, viewers.national, 'women_share', { groupBy: ['NETWORK'] });
      expect(answer.cells.map((c) => c.suppressed)).toEqual([true, true, true]);
      expect(answer.cells[1].suppression).toBe('SMALL_CELL');
      const [total] = answer.totals;
      // Numerator and denominator perturbed each as its own cell; the share computed from the published figures.
      expect([near(total.numerator, 10), near(total.denominator, 18), total.value]).toEqual([true, true, Math.round((1000 * total.numerator!) / total.denominator!) / 10]);
      const unsuppressed = await ask(service, viewers.teamA, 'women_share');
      expect(totalsOf(unsuppressed)).toEqual([['2024', 6, 10, 60]]);
    });

    it('hides the mental-health microstructures (3 inclusions) and their only partner', async () => {
      const answer = await ask(service, viewers.national, 'new_inclusions', { groupBy: ['MICROSTRUCTURE_KIND'] });
      expect(answer.cells.map((c) => [c.dimensions[0].value, c.suppressed])).toEqual([
        ['ADDICTION', true],
        ['MENTAL_HEALTH', true],
      ]);
      expect(answer.cells[1].suppression).toBe('SMALL_CELL');
      expect(near(answer.totals[0].numerator, 17)).toBe(true);
    });

    it('does not suppress counts of structures or meetings', async () => {
      const answer = await ask(service, viewers.national, 'meetings_held', { groupBy: ['NETWORK'] });
      expect(answer.cells.every((c) => !c.suppressed)).toBe(true);
    });

    it('uses the configured threshold (and perturbation: none here)', async () => {
      const answer = await ask(db.service({ suppressionThreshold: 2, cellKeyMaxPerturbation: 0 }), viewers.national, 'active_caseload', { groupBy: ['NETWORK'] });
      expect(answer.cells.every((c) => !c.suppressed)).toBe(true);
    });
  });

  describe('an attacker subtracting', () => {
    it('recovers nothing from the answers by network, by microstructure and overall, with their totals', async () => {
      const answers = [
        await ask(service, viewers.national, 'active_caseload', { groupBy: ['NETWORK'] }),
        await ask(service, viewers.national, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] }),
        await ask(service, viewers.national, 'active_caseload'),
      ];
      const hidden = answers.flatMap((a) => a.cells.filter((c) => c.suppressed));
      expect(hidden.length).toBeGreaterThanOrEqual(4);
      expect(recover(answers)).toEqual({});
    });

    it('recovers nothing from a funder’s packages by network or by microstructure', async () => {
      const answers = [
        await ask(service, viewers.funderAll, 'package_payments', { groupBy: ['NETWORK'] }),
        await ask(service, viewers.funderAll, 'package_payments', { groupBy: ['MICROSTRUCTURE'] }),
      ];
      expect(recover(answers)).toEqual({});
    });

    it('recovers nothing from quarterly and yearly inclusions by network, which add up exactly', async () => {
      const quarter = { ...YEAR_2024, granularity: 'QUARTER' as const };
      const answers = [
        await ask(service, viewers.national, 'new_inclusions', { groupBy: ['NETWORK'], period: quarter }),
        await ask(service, viewers.national, 'new_inclusions', { groupBy: ['NETWORK'] }),
        await ask(service, viewers.national, 'new_inclusions', { period: quarter }),
        await ask(service, viewers.national, 'new_inclusions'),
      ];
      expect(answers[0].cells.filter((c) => c.suppressed).length).toBeGreaterThanOrEqual(4);
      expect(recover(answers)).toEqual({});
    });

    it('would recover the small cell if only it were hidden (the attack works)', async () => {
      const answer = await ask(service, viewers.teamA, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
      const onlyPrimary = { ...answer, cells: answer.cells.map((c) => (c.dimensions[0].value === 'ms-A2' ? { ...c, suppressed: true, numerator: null } : c)) };
      expect(recover([onlyPrimary])).toEqual({ 'MICROSTRUCTURE:ms-A2@2024': 3 });
    });
  });

  describe('who sees what', () => {
    it('gives a team its own microstructure only', async () => {
      expect(totalsOf(await ask(service, viewers.teamA2, 'active_caseload'))).toEqual([['2024', 3, null, 3]]);
      await expect(ask(service, viewers.teamA2, 'active_caseload', { filter: { microstructureIds: ['ms-A1'] } })).rejects.toMatchObject({ code: 'SCOPE_FORBIDDEN', kind: 'FORBIDDEN' });
    });

    it('gives a funder the networks of its token, and refuses another', async () => {
      const answer = await ask(service, viewers.funderA, 'active_caseload', { groupBy: ['MICROSTRUCTURE'] });
      expect(rowsOf(answer)).toEqual([
        ['2024', 'ms-A1', 'hidden'],
        ['2024', 'ms-A2', 'hidden'],
      ]);
      expect(near(answer.totals[0].numerator, 11)).toBe(true);
      await expect(ask(service, viewers.funderA, 'active_caseload', { filter: { networkIds: ['net-B'] } })).rejects.toMatchObject({ code: 'SCOPE_FORBIDDEN' });
      await expect(ask(service, { roles: ['funder'], networkIds: [], microstructureIds: [] }, 'active_caseload')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('keeps a regional coordinator to their network', async () => {
      await expect(ask(service, viewers.coordinatorA, 'active_caseload', { filter: { networkIds: ['net-C'] } })).rejects.toMatchObject({ code: 'SCOPE_FORBIDDEN' });
    });
  });

  describe('bad requests', () => {
    it.each([
      ['an unknown indicator', 'nope', {}, 'UNKNOWN_INDICATOR', /Indicateur inconnu « nope »/],
      ['an unknown dimension', 'active_caseload', { groupBy: ['PLANET'] }, 'UNKNOWN_DIMENSION', /Dimension inconnue « PLANET »/],
      ['an unsupported grouping', 'women_share', { groupBy: ['SEX'] }, 'UNSUPPORTED_GROUPING', /ne se découpe pas par SEX/],
      ['a filter on an unsupported dimension', 'active_regions', { filter: { sexes: ['FEMALE'] } }, 'INVALID_FILTER', /ne se filtre pas/],
      ['a period over the allowed span', 'active_caseload', { period: { from: '2000-01-01', to: '2024-12-31', granularity: 'YEAR' } }, 'PERIOD_TOO_LONG', /Période trop longue/],
      ['a reversed period', 'active_caseload', { period: { from: '2024-12-31', to: '2024-01-01', granularity: 'YEAR' } }, 'INVALID_PERIOD', /après la fin/],
    ])('refuses %s with a French message', async (_what, code, request, errorCode, message) => {
      await expect(ask(service, viewers.national, code, request as never)).rejects.toMatchObject({ code: errorCode, message: expect.stringMatching(message) });
    });

    it('answers several indicators at once and refuses too many', async () => {
      const answers = await service.answers(viewers.teamA, ['active_caseload', 'new_inclusions'], { period: YEAR_2024 });
      expect(answers.map((a) => [a.indicator.code, a.totals[0].numerator])).toEqual([
        ['active_caseload', 11],
        ['new_inclusions', 9],
      ]);
      await expect(service.answers(viewers.teamA, Array(31).fill('active_caseload'), { period: YEAR_2024 })).rejects.toMatchObject({ code: 'TOO_MANY_INDICATORS' });
    });
  });
});

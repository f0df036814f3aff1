import { coarserPeriodsOf } from './periods';
import { SuppressibleCell, suppress } from './suppression';

const THRESHOLD = 5;
const cell = (period: string, key: Record<string, string>, count: number): SuppressibleCell => ({ period, key, patientCounts: [count] });

/**
 * What an attacker does with an answer: every line (cells sharing all values but one dimension) adds up
 * to a total they know — the period total shown beside the cells, or the cell of a coarser grouping when
 * that one is shown (a coarser cell is shown when it is not small itself). A line with one unknown left
 * gives it by subtraction; recovered values help the next lines. Returns the suppressed cells recovered.
 */
function recoverBySubtraction(cells: SuppressibleCell[], hidden: boolean[], totals: Record<string, { value: number; hidden: boolean }>, dimensions: string[]): number[] {
  const known = hidden.map((h) => !h);
  const recovered: number[] = [];
  const value = (i: number) => cells[i].patientCounts[0];
  const marginals: { members: number[]; sum: number; visible: boolean }[] = [];
  for (const dimension of dimensions) {
    const lines = new Map<string, number[]>();
    cells.forEach((c, i) => {
      const id = JSON.stringify([c.period, ...dimensions.filter((d) => d !== dimension).map((d) => c.key[d])]);
      lines.set(id, [...(lines.get(id) ?? []), i]);
    });
    for (const members of lines.values()) {
      const sum = members.reduce((s, i) => s + value(i), 0);
      const visible = dimensions.length === 1 ? !totals[cells[members[0]].period].hidden : sum === 0 || sum >= THRESHOLD;
      marginals.push({ members, sum, visible });
    }
  }
  for (const [period, total] of Object.entries(totals)) {
    if (!total.hidden) marginals.push({ members: cells.map((c, i) => (c.period === period ? i : -1)).filter((i) => i >= 0), sum: total.value, visible: true });
  }
  let progress = true;
  while (progress) {
    progress = false;
    for (const { members, visible } of marginals) {
      const unknown = members.filter((i) => !known[i]);
      if (!visible || unknown.length !== 1) continue;
      known[unknown[0]] = true;
      recovered.push(unknown[0]);
      progress = true;
    }
  }
  return recovered;
}

function attack(cells: SuppressibleCell[], dimensions: string[]) {
  const periods = [...new Set(cells.map((c) => c.period))];
  const totalsIn = periods.map((period) => ({ period, patientCounts: [cells.filter((c) => c.period === period).reduce((s, c) => s + c.patientCounts[0], 0)] }));
  const result = suppress(cells, totalsIn, dimensions, THRESHOLD);
  const totals = Object.fromEntries(totalsIn.map((t) => [t.period, { value: t.patientCounts[0], hidden: result.totals[t.period] !== null }]));
  return { result, recovered: recoverBySubtraction(cells, result.cells.map((m) => m !== null), totals, dimensions) };
}

/** A small deterministic generator, so that the random tables are the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('suppression of small cells', () => {
  describe('in a table cut by one dimension', () => {
    it('hides a cell under the threshold, and a second one so that the total does not give it away', () => {
      const cells = [cell('2024', { NETWORK: 'a' }, 3), cell('2024', { NETWORK: 'b' }, 40), cell('2024', { NETWORK: 'c' }, 12)];
      const { result, recovered } = attack(cells, ['NETWORK']);
      expect(result.cells).toEqual(['SMALL_CELL', null, 'COMPLEMENTARY']);
      expect(result.totals).toEqual({ '2024': null });
      expect(recovered).toEqual([]);
    });

    it('would let the subtraction succeed without the complementary cell (the attack itself works)', () => {
      const cells = [cell('2024', { NETWORK: 'a' }, 3), cell('2024', { NETWORK: 'b' }, 40), cell('2024', { NETWORK: 'c' }, 12)];
      const recovered = recoverBySubtraction(cells, [true, false, false], { '2024': { value: 55, hidden: false } }, ['NETWORK']);
      expect(recovered).toEqual([0]);
    });

    it('leaves a table alone when nothing is small, and does not hide zeros', () => {
      const cells = [cell('2024', { SEX: 'FEMALE' }, 0), cell('2024', { SEX: 'MALE' }, 9)];
      expect(attack(cells, ['SEX']).result.cells).toEqual([null, null]);
    });

    it('hides the total when the only cell of the period is hidden', () => {
      const cells = [cell('2024', { NETWORK: 'a' }, 3)];
      expect(attack(cells, ['NETWORK']).result).toEqual({ cells: ['SMALL_CELL'], totals: { '2024': 'SMALL_CELL' } });
      const both = [cell('2024', { NETWORK: 'a' }, 3), cell('2024', { NETWORK: 'b' }, 30)];
      expect(attack(both, ['NETWORK']).result).toEqual({ cells: ['SMALL_CELL', 'COMPLEMENTARY'], totals: { '2024': null } });
    });

    it('treats every period on its own when no coarser period is given', () => {
      const cells = [cell('2024-Q1', { NETWORK: 'a' }, 2), cell('2024-Q1', { NETWORK: 'b' }, 20), cell('2024-Q2', { NETWORK: 'a' }, 8), cell('2024-Q2', { NETWORK: 'b' }, 20)];
      expect(attack(cells, ['NETWORK']).result.cells).toEqual(['SMALL_CELL', 'COMPLEMENTARY', null, null]);
    });

    it('suppresses a cell whose numerator or denominator is small', () => {
      const cells: SuppressibleCell[] = [
        { period: '2024', key: { NETWORK: 'a' }, patientCounts: [2, 30] },
        { period: '2024', key: { NETWORK: 'b' }, patientCounts: [10, 30] },
        { period: '2024', key: { NETWORK: 'c' }, patientCounts: [15, 40] },
      ];
      expect(suppress(cells, [{ period: '2024', patientCounts: [27, 100] }], ['NETWORK'], THRESHOLD).cells).toEqual(['SMALL_CELL', 'COMPLEMENTARY', null]);
    });
  });

  describe('in a table cut by two dimensions', () => {
    it('protects every row and every column', () => {
      // NETWORK × SEX: a/FEMALE is small; its row (network a) and its column (FEMALE) each need a partner.
      const cells = [
        cell('2024', { NETWORK: 'a', SEX: 'FEMALE' }, 2),
        cell('2024', { NETWORK: 'a', SEX: 'MALE' }, 20),
        cell('2024', { NETWORK: 'b', SEX: 'FEMALE' }, 15),
        cell('2024', { NETWORK: 'b', SEX: 'MALE' }, 30),
        cell('2024', { NETWORK: 'c', SEX: 'FEMALE' }, 25),
        cell('2024', { NETWORK: 'c', SEX: 'MALE' }, 35),
      ];
      const { result, recovered } = attack(cells, ['NETWORK', 'SEX']);
      expect(result.cells.filter((m) => m !== null).length).toBeGreaterThanOrEqual(4);
      expect(recovered).toEqual([]);
    });
  });

  it('never lets a hidden cell be recovered by subtraction, on a thousand random tables', () => {
    const next = random(20240601);
    let hiddenCells = 0;
    for (let run = 0; run < 1000; run++) {
      const twoDimensions = run % 2 === 1;
      const networks = 2 + Math.floor(next() * 5);
      const cells: SuppressibleCell[] = [];
      for (const period of ['2024-Q1', '2024-Q2']) {
        for (let n = 0; n < networks; n++) {
          for (const sex of twoDimensions ? ['FEMALE', 'MALE', 'OTHER'] : ['ALL']) {
            const count = next() < 0.3 ? 1 + Math.floor(next() * 4) : Math.floor(next() * 60);
            cells.push(cell(period, twoDimensions ? { NETWORK: `n${n}`, SEX: sex } : { NETWORK: `n${n}` }, count));
          }
        }
      }
      const { result, recovered } = attack(cells, twoDimensions ? ['NETWORK', 'SEX'] : ['NETWORK']);
      hiddenCells += result.cells.filter((m) => m !== null).length;
      expect({ run, recovered }).toEqual({ run, recovered: [] });
    }
    expect(hiddenCells).toBeGreaterThan(1000);
  });
});

describe('suppression across nested groupings', () => {
  // Microstructures belong to networks, networks to regions: the caller can ask for each level.
  const networkOf: Record<string, string> = { a1: 'A', a2: 'A', b1: 'B', c1: 'C' };
  const regionOf: Record<string, string> = { A: 'GE', B: 'GE', C: 'PACA' };
  const ancestors = (dimension: string, value: string | null): string[] => {
    if (value === null) return [];
    if (dimension === 'MICROSTRUCTURE') return [`NETWORK:${networkOf[value]}`, `REGION:${regionOf[networkOf[value]]}`];
    if (dimension === 'NETWORK') return [`REGION:${regionOf[value]}`];
    return [];
  };

  it('hides a partner inside the same network, so that the network’s figure does not give a microstructure away', () => {
    const cells = [cell('2024', { MICROSTRUCTURE: 'a1' }, 8), cell('2024', { MICROSTRUCTURE: 'a2' }, 3), cell('2024', { MICROSTRUCTURE: 'b1' }, 2), cell('2024', { MICROSTRUCTURE: 'c1' }, 6)];
    const result = suppress(cells, [{ period: '2024', patientCounts: [19] }], ['MICROSTRUCTURE'], THRESHOLD, ancestors);
    expect(result.cells).toEqual(['COMPLEMENTARY', 'SMALL_CELL', 'SMALL_CELL', null]);
  });

  it('chooses a partner in the same region rather than one alone in its region', () => {
    const cells = [cell('2024', { NETWORK: 'A' }, 11), cell('2024', { NETWORK: 'B' }, 2), cell('2024', { NETWORK: 'C' }, 6)];
    const result = suppress(cells, [{ period: '2024', patientCounts: [19] }], ['NETWORK'], THRESHOLD, ancestors);
    expect(result.cells).toEqual(['COMPLEMENTARY', 'SMALL_CELL', null]);
  });
});

describe('suppression across periods', () => {
  it('hides a partner quarter, since the year adds the quarters up', () => {
    // Network a: Q1 2, Q2 8 — the year query gives a's 10, so Q2 must go too; then network b's quarters for Q1's and Q2's totals.
    const cells = [cell('2024-Q1', { NETWORK: 'a' }, 2), cell('2024-Q1', { NETWORK: 'b' }, 20), cell('2024-Q2', { NETWORK: 'a' }, 8), cell('2024-Q2', { NETWORK: 'b' }, 20)];
    const result = suppress(cells, [{ period: '2024-Q1', patientCounts: [22] }, { period: '2024-Q2', patientCounts: [28] }], ['NETWORK'], THRESHOLD, () => [], coarserPeriodsOf);
    expect(result.cells).toEqual(['SMALL_CELL', 'COMPLEMENTARY', 'COMPLEMENTARY', 'COMPLEMENTARY']);
    expect(result.totals).toEqual({ '2024-Q1': null, '2024-Q2': null });
  });

  it('hides a second month total when one is small, since the quarter adds the months up', () => {
    const result = suppress([], ['2024-01', '2024-02', '2024-03'].map((period, i) => ({ period, patientCounts: [[3, 10, 12][i]] })), [], THRESHOLD, () => [], coarserPeriodsOf);
    expect(result.totals).toEqual({ '2024-01': 'SMALL_CELL', '2024-02': 'COMPLEMENTARY', '2024-03': null });
  });

  it('names the coarser periods of a month and a quarter', () => {
    expect(coarserPeriodsOf('2024-05')).toEqual(['2024-Q2', '2024']);
    expect(coarserPeriodsOf('2024-Q4')).toEqual(['2024']);
    expect(coarserPeriodsOf('2024')).toEqual([]);
  });
});

import { cellKeyOf, perturbationOf, perturbationTable, publishCount, publishFigures } from './cell-key';

const parameters = { threshold: 5, maxPerturbation: 3 };

describe('Cell key method', () => {
  describe('the cell key', () => {
    it('is the sum of the record keys modulo 2^32, as a fraction of 1, whatever form the sum arrives in', () => {
      expect(cellKeyOf(2 ** 31)).toBe(0.5);
      expect(cellKeyOf(2 ** 32 + 2 ** 30)).toBe(0.25);
      expect(cellKeyOf('8589934592')).toBe(0);
      expect(cellKeyOf(BigInt(3 * 2 ** 31))).toBe(0.5);
    });
  });

  describe('the perturbation table', () => {
    it('is a triangular law over −D … D: unbiased, cumulating to 1', () => {
      const table = perturbationTable(3);
      expect(table.map((row) => row.perturbation)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
      expect(table[table.length - 1].upTo).toBe(1);
      let previous = 0;
      const mean = table.reduce((sum, row) => {
        const p = row.upTo - previous;
        previous = row.upTo;
        return sum + p * row.perturbation;
      }, 0);
      expect(Math.abs(mean)).toBeLessThan(1e-12);
    });

    it('spreads uniform cell keys over every perturbation, each within ±D', () => {
      const seen = new Map<number, number>();
      for (let i = 0; i < 16_000; i++) {
        const p = perturbationOf(12, i / 16_000, 3);
        seen.set(p, (seen.get(p) ?? 0) + 1);
      }
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
      expect(seen.get(0)).toBe(4_000); // 4/16 of the keys
      expect(seen.get(3)).toBe(1_000); // 1/16
    });
  });

  describe('given the same population (same count, same record keys)', () => {
    it('publishes the same figure every time it is asked', () => {
      const keys = 123_456_789_012;
      const first = publishCount(17, keys, parameters);
      for (let i = 0; i < 5; i++) expect(publishCount(17, keys, parameters)).toEqual(first);
    });
  });

  describe('when a count is 0', () => {
    it('hides it like a small count: a hidden cell must not tell that someone is there', () => expect(publishCount(0, 0, parameters)).toEqual({ shown: false }));
  });

  describe('when a count is small', () => {
    it('never publishes a count of 1 to 4, whatever its records', () => {
      for (let count = 1; count < 5; count++) {
        for (let k = 0; k < 1000; k++) expect(publishCount(count, k * 4_294_967, parameters)).toEqual({ shown: false });
      }
    });
  });

  describe('when a count is at or just over the threshold', () => {
    it('publishes it at the threshold or above, so that a shown figure never pins the truth', () => {
      for (let k = 0; k < 1000; k++) {
        const published = publishCount(6, k * 4_294_967, parameters);
        expect(published.shown && published.value >= 5 && published.value <= 9).toBe(true);
      }
    });
  });

  describe('when a count is large', () => {
    it('publishes it within ±D', () => {
      for (let k = 0; k < 1000; k++) {
        const published = publishCount(40, k * 4_294_967, parameters);
        expect(published.shown && Math.abs(published.value - 40)).toBeLessThanOrEqual(3);
      }
    });
  });

  describe('a cell of a share', () => {
    it('publishes numerator and denominator each perturbed as its own cell', () => {
      const published = publishFigures({ numerator: 30, denominator: 60, numeratorRecords: { count: 30, keySum: 1e9 }, denominatorRecords: { count: 60, keySum: 3e9 } }, parameters);
      expect(published.shown).toBe(true);
      if (!published.shown) return;
      expect(published.numerator).toBe(30 + perturbationOf(30, cellKeyOf(1e9), 3));
      expect(published.denominator).toBe(60 + perturbationOf(60, cellKeyOf(3e9), 3));
    });

    it('is hidden when its numerator is small, even if its denominator is not', () => {
      expect(publishFigures({ numerator: 1, denominator: 60, numeratorRecords: { count: 1, keySum: 1e9 }, denominatorRecords: { count: 60, keySum: 3e9 } }, parameters)).toEqual({ shown: false });
    });
  });

  describe('a cell of a mean over patients (sessions per patient, days)', () => {
    it('scales the magnitude by the perturbed count, so the exact sum is never published and the mean stays true', () => {
      const published = publishFigures({ numerator: 250, denominator: 50, denominatorRecords: { count: 50, keySum: 7e8 } }, parameters);
      if (!published.shown) throw new Error('shown expected');
      const d = 50 + perturbationOf(50, cellKeyOf(7e8), 3);
      expect(published.denominator).toBe(d);
      expect(published.numerator).toBe(Math.round((250 * d) / 50));
      expect(published.numerator! / published.denominator!).toBeCloseTo(5, 1);
    });
  });

  describe('a magnitude about counted patients (referrals of the patients referred)', () => {
    it('is scaled by its own records, not by the denominator', () => {
      const published = publishFigures({ numerator: 90, denominator: 100, numeratorRecords: { count: 30, keySum: 5e8 }, denominatorRecords: { count: 100, keySum: 6e8 } }, parameters);
      if (!published.shown) throw new Error('shown expected');
      expect(published.numerator).toBe(Math.round((90 * (30 + perturbationOf(30, cellKeyOf(5e8), 3))) / 30));
    });
  });

  describe('a figure that does not count patients (meetings, hours)', () => {
    it('is published as it is', () => expect(publishFigures({ numerator: 3, denominator: 12 }, parameters)).toEqual({ shown: true, numerator: 3, denominator: 12 }));
  });
});

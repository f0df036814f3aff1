import { histogramMedian } from './indicator-queries';

/** The median of a histogram equals `percentile_cont(0.5)` over its values expanded one per count. */
describe('histogramMedian', () => {
  const expanded = (values: number[], counts: number[]) => {
    const all = values.flatMap((value, index) => Array.from({ length: counts[index] }, () => value)).sort((a, b) => a - b);
    return all.length === 0 ? null : (all[Math.floor((all.length - 1) / 2)] + all[Math.floor(all.length / 2)]) / 2;
  };

  it('is null for an empty histogram', () => {
    expect(histogramMedian([], [])).toBeNull();
  });

  it('takes the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(histogramMedian([3, 1, 2], [1, 1, 1])).toBe(2);
    expect(histogramMedian([4, 1, 2, 3], [1, 1, 1, 1])).toBe(2.5);
  });

  it('counts each value as many times as its count, whatever the order and however a value is split over rows', () => {
    // 0 ×3, 10 ×1, 7 ×2 (in two rows): 0 0 0 7 7 10 → (0 + 7) / 2.
    expect(histogramMedian([10, 7, 0, 7], [1, 1, 3, 1])).toBe(3.5);
    expect(histogramMedian([5, 1], [4, 1])).toBe(5);
  });

  it('agrees with the expanded values on random histograms', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let run = 0; run < 500; run++) {
      const length = Math.floor(next() * 8);
      const values = Array.from({ length }, () => Math.floor(next() * 20));
      const counts = Array.from({ length }, () => 1 + Math.floor(next() * 4));
      expect(histogramMedian(values, counts)).toBe(expanded(values, counts));
    }
  });
});

import { ageBandAt } from './dimensions';
import { packagesDue } from './payment-rule';
import { median, percent, ratio } from './values';

describe('figures', () => {
  it('rounds shares, ratios and medians', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(1, 0)).toBeNull();
    expect(ratio(7, 3)).toBe(2.33);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([1, 2, 4, 10])).toBe(3);
    expect(median([])).toBeNull();
  });

  it('computes the age band at the inclusion date', () => {
    expect(ageBandAt('2006-06-02', '2024-06-01')).toBe('UNDER_18');
    expect(ageBandAt('2006-06-01', '2024-06-01')).toBe('AGE_18_24');
    expect(ageBandAt('1959-01-01', '2024-01-01')).toBe('AGE_65_PLUS');
  });

  it('counts a package per patient reaching the configured number of contacts', () => {
    expect(packagesDue([1, 2, 3, 8], { minContacts: 3, amountEuros: 528.5 })).toEqual({ packages: 2, amountEuros: 1057 });
  });
});

import { addMonths, bucketsOf, dayInParis, daysBetween } from './periods';

describe('periods', () => {
  describe('bucketsOf', () => {
    it('covers every calendar month met by the period, whole', () => {
      expect(bucketsOf({ from: '2024-02-10', to: '2024-03-05', granularity: 'MONTH' }, 24)).toEqual([
        { key: '2024-02', label: 'février 2024', from: '2024-02-01', to: '2024-02-29' },
        { key: '2024-03', label: 'mars 2024', from: '2024-03-01', to: '2024-03-31' },
      ]);
    });

    it('cuts by quarter and by year', () => {
      expect(bucketsOf({ from: '2024-01-01', to: '2024-12-31', granularity: 'QUARTER' }, 24).map((b) => [b.key, b.from, b.to])).toEqual([
        ['2024-Q1', '2024-01-01', '2024-03-31'],
        ['2024-Q2', '2024-04-01', '2024-06-30'],
        ['2024-Q3', '2024-07-01', '2024-09-30'],
        ['2024-Q4', '2024-10-01', '2024-12-31'],
      ]);
      expect(bucketsOf({ from: '2023-06-01', to: '2024-01-01', granularity: 'YEAR' }, 24).map((b) => b.key)).toEqual(['2023', '2024']);
    });

    it('refuses a malformed, reversed or too long period', () => {
      expect(() => bucketsOf({ from: '2024-02-30', to: '2024-03-01', granularity: 'MONTH' }, 24)).toThrow(expect.objectContaining({ code: 'INVALID_PERIOD' }));
      expect(() => bucketsOf({ from: '2024-03-01', to: '2024-02-01', granularity: 'MONTH' }, 24)).toThrow(expect.objectContaining({ code: 'INVALID_PERIOD' }));
      expect(() => bucketsOf({ from: '2020-01-01', to: '2024-12-31', granularity: 'YEAR' }, 36)).toThrow(expect.objectContaining({ code: 'PERIOD_TOO_LONG' }));
    });
  });

  it('counts months and days in the calendar, not in UTC instants', () => {
    expect(addMonths('2024-08-31', -6)).toBe('2024-02-29');
    expect(daysBetween('2024-03-30', '2024-03-31')).toBe(1);
    expect(daysBetween('2024-01-01', '2024-07-01')).toBe(182);
  });

  it('takes the day in Europe/Paris', () => {
    expect(dayInParis(new Date('2024-12-31T23:30:00Z'))).toBe('2025-01-01');
    expect(dayInParis(new Date('2024-07-01T21:59:00Z'))).toBe('2024-07-01');
    expect(dayInParis(new Date('2024-07-01T22:00:00Z'))).toBe('2024-07-02');
  });
});

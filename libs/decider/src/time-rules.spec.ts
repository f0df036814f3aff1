import { ValidationError } from './errors';
import { EARLIEST_DATE, planningHorizon, requirePlannedDate, requirePlausibleDate, requireRecordedDate, todayInFrance } from './time-rules';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error('accepted');
};

describe('time rules', () => {
  it('refuses a day before 1900 and keeps its field', () => {
    expect(refusal(() => requirePlausibleDate('1899-12-31', 'heldOn'))).toMatchObject({ code: 'DATE_TOO_EARLY', details: { field: 'heldOn' } });
    expect(requirePlausibleDate(EARLIEST_DATE, 'heldOn')).toBe('1900-01-01');
    expect(refusal(() => requirePlausibleDate('0001-01-01', 'heldOn')).message).toMatch(/à partir du 1900-01-01/);
  });

  it('refuses a fact recorded in the future, accepts today', () => {
    expect(requireRecordedDate('2025-03-20', 'on', '2025-03-20')).toBe('2025-03-20');
    expect(refusal(() => requireRecordedDate('2025-03-21', 'on', '2025-03-20'))).toMatchObject({ code: 'DATE_IN_FUTURE' });
    expect(refusal(() => requireRecordedDate('2025-02-30', 'on', '2025-03-20'))).toMatchObject({ code: 'INVALID_DATE' });
  });

  it('lets a planned act be in the future up to the horizon, the last day included', () => {
    expect(planningHorizon('2025-03-20')).toBe('2028-03-20');
    expect(planningHorizon('2024-02-29', 1)).toBe('2025-02-28');
    expect(requirePlannedDate('2028-03-20', 'on', '2025-03-20')).toBe('2028-03-20');
    expect(refusal(() => requirePlannedDate('2028-03-21', 'on', '2025-03-20'))).toMatchObject({ code: 'DATE_BEYOND_HORIZON' });
    expect(refusal(() => requirePlannedDate('9999-12-31', 'on', '2025-03-20', 10)).message).toMatch(/2035-03-20/);
  });
});

describe('today in France', () => {
  it('is the calendar day in Europe/Paris, not in UTC, around midnight in winter and in summer', () => {
    expect(todayInFrance(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(todayInFrance(new Date('2025-12-31T22:59:59Z'))).toBe('2025-12-31');
    expect(todayInFrance(new Date('2026-07-14T22:30:00Z'))).toBe('2026-07-15');
    expect(todayInFrance(new Date('2026-07-14T21:59:00Z'))).toBe('2026-07-14');
  });
});

import { monthsWithoutMeeting } from './meeting-gaps';
import { addMonths, monthsBetween } from './dates';

describe('Months without a meeting', () => {
  const open = { openedOn: '2024-10-15', closedOn: null };

  it('flags each month over with no meeting held while the microstructure was open', () => {
    expect(monthsWithoutMeeting(['2024-11-12', '2025-01-30'], open, '2024-09-01', '2025-03-31', '2025-03-10')).toEqual(['2024-10', '2024-12', '2025-02']);
  });

  it('does not judge the current month before it is over', () => {
    expect(monthsWithoutMeeting([], open, '2025-03-01', '2025-03-31', '2025-03-31')).toEqual([]);
    expect(monthsWithoutMeeting([], open, '2025-03-01', '2025-03-31', '2025-04-01')).toEqual(['2025-03']);
  });

  it('expects nothing after the closure nor from a microstructure not yet opened', () => {
    expect(monthsWithoutMeeting([], { openedOn: '2024-10-15', closedOn: '2024-11-03' }, '2024-10-01', '2025-01-31', '2025-03-01')).toEqual(['2024-10', '2024-11']);
    expect(monthsWithoutMeeting([], { openedOn: null, closedOn: null }, '2024-10-01', '2025-01-31', '2025-03-01')).toEqual([]);
  });
});

describe('Calendar months', () => {
  it('lists the months of a period, both ends included', () => {
    expect(monthsBetween('2024-11-30', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2025-02-01', '2024-11-30')).toEqual([]);
  });

  it('adds months, clamped to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });
});

import { progressLine } from './rebuild.cli';

describe('rebuild progress bar', () => {
  it('shows events done, rate and time left', () => {
    expect(progressLine({ version: 2, status: 'BUILDING', eventsDone: 250_000, eventsTotal: 1_000_000, ratePerSecond: 5000, secondsLeft: 150, startedAt: null, finishedAt: null, error: null })).toBe(
      '[########......................] 25.0 % 250000/1000000 événements, 5000/s, reste 2 min 30 s',
    );
  });
});

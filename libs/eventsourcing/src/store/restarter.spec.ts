import { Restarter } from './restarter';

describe('Restarter', () => {
  it('tries again after every failed start until one succeeds (a database refusing connections while it restarts)', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    const started = new Promise<void>((resolve) => {
      const restarter = new Restarter(
        async () => {
          attempts++;
          if (attempts < 4) throw new Error(`refused ${attempts}`);
          resolve();
        },
        1,
        (error) => errors.push(error),
      );
      restarter.schedule();
    });
    await started;
    expect(attempts).toBe(4);
    expect(errors.map((e) => (e as Error).message)).toEqual(['refused 1', 'refused 2', 'refused 3']);
  });

  it('stops trying once cancelled', async () => {
    let attempts = 0;
    const restarter = new Restarter(async () => {
      attempts++;
      throw new Error('refused');
    }, 1);
    restarter.schedule();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (attempts >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    restarter.cancel();
    const stoppedAt = attempts;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toBe(stoppedAt);
  });
});

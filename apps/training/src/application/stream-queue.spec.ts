import { StreamQueue } from './stream-queue';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('StreamQueue', () => {
  it('runs the work of one key one at a time, in the order given, even when a piece fails', async () => {
    const queue = new StreamQueue();
    const log: string[] = [];
    let running = 0;
    const work = (name: string, fail = false) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run('a', work('1')), queue.run('a', work('2', true)), queue.run('a', work('3'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    await tick();
    expect(queue.size).toBe(0);
  });

  it('runs different keys side by side', async () => {
    const queue = new StreamQueue();
    const log: string[] = [];
    const work = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([queue.run('a', work('a')), queue.run('b', work('b'))]);
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
  });
});

import { PriorityGate } from './priority-gate';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('PriorityGate', () => {
  it('runs up to its capacity at once, then starts waiting tasks by priority, then arrival', async () => {
    const sut = new PriorityGate(1);
    const started: string[] = [];
    const first = deferred();
    const task = (name: string, until?: Promise<void>) => async () => {
      started.push(name);
      await until;
      return name;
    };
    const all = [
      sut.run('normal', task('finalize-1', first.promise)),
      sut.run('background', task('prerender-1')),
      sut.run('normal', task('finalize-2')),
      sut.run('interactive', task('open-1')),
      sut.run('background', task('prerender-2')),
      sut.run('interactive', task('open-2')),
    ];
    await tick();
    expect(started).toEqual(['finalize-1']);
    expect(sut.queued).toBe(5);
    first.resolve();
    expect(await Promise.all(all)).toHaveLength(6);
    expect(started).toEqual(['finalize-1', 'open-1', 'open-2', 'finalize-2', 'prerender-1', 'prerender-2']);
    expect(sut.queued).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const sut = new PriorityGate(2);
    await expect(sut.run('normal', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const results = await Promise.all([1, 2, 3].map((n) => sut.run('background', async () => n)));
    expect(results).toEqual([1, 2, 3]);
  });
});

import { Prng } from './prng';

describe('Prng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Prng('demo');
    const b = new Prng('demo');
    const c = new Prng('other');
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps draws inside their bounds', () => {
    const r = new Prng(42);
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('reaches every integer of a range and honours weights roughly', () => {
    const r = new Prng(7);
    const seen = new Set<number>();
    let heavy = 0;
    for (let i = 0; i < 5000; i++) {
      seen.add(r.int(1, 6));
      if (r.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy++;
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(heavy / 5000).toBeGreaterThan(0.85);
    expect(heavy / 5000).toBeLessThan(0.95);
  });

  it('samples distinct items and makes well-formed, repeatable UUIDs', () => {
    const r = new Prng(1);
    const s = r.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(s).size).toBe(3);
    const id = new Prng('x').uuid();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Prng('x').uuid()).toBe(id);
  });

  it('forks independent streams that do not depend on later draws of the parent', () => {
    const a = new Prng('p');
    const b = new Prng('p');
    const fa = a.fork('values');
    b.fork('other');
    const fb = b.fork('values');
    expect(fa.next()).toBe(fb.next());
  });
});

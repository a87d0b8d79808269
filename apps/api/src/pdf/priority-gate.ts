import type { RenderPriority } from './pdf-renderer';

const ORDER: RenderPriority[] = ['interactive', 'normal', 'background'];

/**
 * Lets at most `capacity` tasks run at once and starts waiting ones by priority (then arrival).
 * The render pool keeps its threads' queue empty this way, so a work order a vet waits for is the
 * next thing rendered even when finalize renders and pre-renders are already waiting.
 */
export class PriorityGate {
  private running = 0;
  private readonly waiting = new Map<RenderPriority, (() => void)[]>(ORDER.map((p) => [p, []]));

  constructor(private readonly capacity: number) {}

  async run<T>(priority: RenderPriority, task: () => Promise<T>): Promise<T> {
    if (this.running >= this.capacity) await new Promise<void>((start) => this.waiting.get(priority)!.push(start));
    else this.running++;
    try {
      return await task();
    } finally {
      this.next();
    }
  }

  /** Tasks waiting for a free slot. */
  get queued(): number {
    return ORDER.reduce((n, p) => n + this.waiting.get(p)!.length, 0);
  }

  /** Hands the freed slot to the first waiting task of the highest priority (the count stays). */
  private next() {
    for (const p of ORDER) {
      const start = this.waiting.get(p)!.shift();
      if (start) return start();
    }
    this.running--;
  }
}

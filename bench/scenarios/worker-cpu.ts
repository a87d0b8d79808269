import { readdirSync } from 'node:fs';
import { commOf, cpuMsOfStat, readProc as read } from '../lib/proc-cpu';

/** CPU time (ms) of the whole process and of each of its live threads, by thread id. */
export interface CpuSnapshot {
  process: number;
  threads: Map<number, number>;
  /** Each thread's name (/proc's comm: V8's helpers, libuv's pool, the main thread as node). */
  names: Map<number, string>;
}

export function cpuSnapshot(pid: number): CpuSnapshot {
  const total = read(`/proc/${pid}/stat`);
  if (total === null) throw new Error(`process ${pid} is not running`);
  const threads = new Map<number, number>();
  const names = new Map<number, string>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const s = read(`/proc/${pid}/task/${tid}/stat`);
    if (s === null) continue;
    threads.set(Number(tid), cpuMsOfStat(s));
    names.set(Number(tid), commOf(s));
  }
  return { process: cpuMsOfStat(total), threads, names };
}

/**
 * The render threads of a warm worker process: Node does not name its threads, so they are told
 * apart by what they did. A worker that just started has rendered only its warm-up (three
 * four-page reports and a work order per thread, hundreds of ms each), far more than any other
 * thread but the main one: the `count` busiest threads other than the main one (tid = pid).
 */
export function renderThreadsOf(pid: number, count: number): number[] {
  const { threads } = cpuSnapshot(pid);
  return [...threads.entries()]
    .filter(([tid]) => tid !== pid)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([tid]) => tid);
}

/** CPU time the worker spent between two snapshots: all of it, its main thread, its render threads, and the rest. */
export interface WorkerCpu {
  process: number;
  main: number;
  render: number;
  /** Everything but the render threads: main thread, V8's helper threads (GC, compiler), libuv's pool. */
  outsideRender: number;
  /** The other threads (neither main nor render) by name, live at both snapshots; what ended is in `outsideRender` only. */
  others: Record<string, number>;
}

export function workerCpuBetween(pid: number, renderTids: number[], a: CpuSnapshot, b: CpuSnapshot): WorkerCpu {
  const d = (tid: number) => (b.threads.get(tid) ?? 0) - (a.threads.get(tid) ?? 0);
  const process = b.process - a.process;
  const render = renderTids.reduce((s, tid) => s + d(tid), 0);
  const others: Record<string, number> = {};
  for (const tid of b.threads.keys()) {
    if (tid === pid || renderTids.includes(tid)) continue;
    const name = b.names.get(tid) ?? '?';
    others[name] = (others[name] ?? 0) + d(tid);
  }
  return { process, main: d(pid), render, outsideRender: process - render, others };
}

import { readdirSync, readFileSync } from 'node:fs';
import { cpuMsOfStat } from '../scenarios/worker-cpu';

/** The processes of one kind, by role (api, worker, nginx, postgres, redis, bench client). */
export type ProcessGroups = Record<string, number[]>;

function stat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** The command name of a /proc stat line (between the parentheses). */
const commOf = (s: string) => s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
const parentOf = (s: string) => Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);

/** Every running process whose command name starts with `name` (postgres backends, redis-server). */
export function pidsNamed(name: string): number[] {
  return allPids().filter((pid) => commOf(stat(pid) ?? '()').startsWith(name));
}

/** A process and its children (nginx's master and its workers). */
export function withChildren(pid: number): number[] {
  const kids = allPids().filter((p) => {
    const s = stat(p);
    return s !== null && parentOf(s) === pid;
  });
  return [pid, ...kids];
}

/** CPU time (ms, all threads) of each group, summed over its processes; a process that ended counts 0. */
export function groupCpu(groups: ProcessGroups): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    out[name] = pids.reduce((sum, pid) => {
      const s = stat(pid);
      return sum + (s ? cpuMsOfStat(s) : 0);
    }, 0);
  }
  return out;
}

/** CPU each group spent between two readings of `groupCpu` with the same groups. */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
}

/** Involuntary context switches of the main thread of each group's processes (the scheduler took the CPU away: more runnable threads than cores). */
export function groupPreemptions(groups: ProcessGroups): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    out[name] = pids.reduce((sum, pid) => {
      try {
        const m = /nonvoluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return sum + (m ? Number(m[1]) : 0);
      } catch {
        return sum;
      }
    }, 0);
  }
  return out;
}

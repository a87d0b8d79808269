import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Reading /proc: CPU times of processes and threads, their names and parents.

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on every common Linux). */
const TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime of a /proc stat line, in ms (the fields after the command name in parentheses). */
export function cpuMsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** A /proc file's text; null once the process or thread has gone. */
export function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The command name of a /proc stat line (between the parentheses). */
export const commOf = (s: string) => s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')).trim();

/** The processes of one kind, by role (api, worker, nginx, postgres, redis, bench client). */
export type ProcessGroups = Record<string, number[]>;

const stat = (pid: number) => readProc(`/proc/${pid}/stat`);

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

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
      const m = /nonvoluntary_ctxt_switches:\s+(\d+)/.exec(readProc(`/proc/${pid}/status`) ?? '');
      return sum + (m ? Number(m[1]) : 0);
    }, 0);
  }
  return out;
}

/**
 * CPU time (ms) the whole machine has spent busy since boot, the calling process's own left out:
 * user, nice, system, irq and softirq of /proc/stat's summary line (idle, I/O wait and time stolen
 * by the hypervisor are not this machine's work). Two readings around a run give what the servers
 * of the run spent on it, whichever processes did the work, without the bench client's share.
 */
export function machineBusyMsOutsideSelf(): number {
  const line = (readProc('/proc/stat') ?? '').split('\n')[0] ?? '';
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = ((user + nice + system + irq + softirq) * 1000) / TICKS;
  const self = process.cpuUsage();
  return busy - (self.user + self.system) / 1000;
}

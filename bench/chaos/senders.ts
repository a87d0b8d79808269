import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The process, among `pids`, that holds the TCP socket whose local port is `port`: which worker a
 * message the drill's SMTP server is receiving comes from (its peer's port). Linux only (/proc);
 * null when none of them holds it (the sender is gone already).
 */
export function pidOfLocalPort(port: number, pids: number[]): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readSafe(table).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && parseInt(f[1].split(':').pop() ?? '', 16) === port) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (!inodes.size) return null;
  for (const pid of pids) {
    for (const fd of listSafe(`/proc/${pid}/fd`)) {
      if (inodes.has(linkSafe(`/proc/${pid}/fd/${fd}`))) return pid;
    }
  }
  return null;
}

// A process or a socket may go away while it is looked at: then it is not the sender.
function readSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function listSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function linkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

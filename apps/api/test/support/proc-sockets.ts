import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP socket of this machine (Linux /proc): its two ports and its inode. */
export interface TcpSocket {
  localPort: number;
  remotePort: number;
  inode: string;
}

/** The TCP sockets (IPv4 and IPv6) of the network namespace `pid` lives in. */
export function tcpSockets(pid: number | 'self' = 'self'): TcpSocket[] {
  return ['tcp', 'tcp6'].flatMap((table) =>
    readSafe(`/proc/${pid}/net/${table}`)
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length > 9)
      .map((f) => ({ localPort: portOf(f[1]), remotePort: portOf(f[2]), inode: f[9] })),
  );
}

/** Inodes of the sockets a process holds open (its file descriptors); empty once it is gone. */
export function socketInodesOf(pid: number): Set<string> {
  return new Set(listSafe(`/proc/${pid}/fd`).flatMap((fd) => /^socket:\[(\d+)\]$/.exec(linkSafe(`/proc/${pid}/fd/${fd}`))?.[1] ?? []));
}

const portOf = (address: string) => parseInt(address.split(':').pop() ?? '', 16);

// A process or a socket may go away while it is looked at.
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

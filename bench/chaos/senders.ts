import { socketInodesOf, tcpSockets } from '../../apps/api/test/support/proc-sockets';

/**
 * The process, among `pids`, that holds the TCP socket whose local port is `port`: which worker a
 * message the drill's SMTP server is receiving comes from (its peer's port). Linux only (/proc);
 * null when none of them holds it (the sender is gone already).
 */
export function pidOfLocalPort(port: number, pids: number[]): number | null {
  const inodes = tcpSockets()
    .filter((s) => s.localPort === port)
    .map((s) => s.inode);
  if (!inodes.length) return null;
  return pids.find((pid) => inodes.some((i) => socketInodesOf(pid).has(i))) ?? null;
}

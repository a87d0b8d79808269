import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL, Redis, SMTP) that the test cuts and restores:
 * `cut()` destroys every open connection and refuses new ones (as a dropped network or a stopped
 * server does); `hang()` keeps connections open but passes nothing (a partition: the peer waits
 * until its own timeout); `restore()` lets traffic through again; `delayOpen(ms)` makes each new
 * connection reach the target only that much later (a slow network, a loaded machine).
 */
export interface TcpProxy {
  /** host:port to connect to instead of the target. */
  host: string;
  port: number;
  /** The same URL with the proxy's host and port. */
  via(url: string): string;
  cut(): void;
  hang(): void;
  restore(): void;
  /** New connections reach the target `ms` after the client connected; what the client sends meanwhile is held. 0: at once. */
  delayOpen(ms: number): void;
  /** Connections opened through it so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'hang' = 'open';
  let opened = 0;
  let openDelayMs = 0;
  const pairs = new Set<[Socket, Socket]>();

  const server: Server = createServer((client) => {
    if (mode === 'cut') return void client.destroy();
    opened++;
    const held: Buffer[] = [];
    let upstream: Socket | null = null;
    client.on('data', (b: Buffer) => mode === 'open' && (upstream ? upstream.write(b) : held.push(b)));
    const connect = () => {
      if (client.destroyed || mode === 'cut') return void client.destroy();
      const up = createConnection({ host: targetHost, port: targetPort });
      const pair: [Socket, Socket] = [client, up];
      pairs.add(pair);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        up.destroy();
      };
      client.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
      up.on('data', (b) => mode === 'open' && client.write(b));
      for (const b of held.splice(0)) up.write(b);
      upstream = up;
    };
    if (openDelayMs <= 0) return connect();
    client.on('error', () => client.destroy());
    setTimeout(connect, openDelayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    host: '127.0.0.1',
    port,
    via: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut: () => {
      mode = 'cut';
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    hang: () => void (mode = 'hang'),
    restore: () => void (mode = 'open'),
    delayOpen: (ms) => void (openDelayMs = ms),
    connections: () => opened,
    close: async () => {
      mode = 'cut';
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

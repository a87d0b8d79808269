import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL, Redis, SMTP) that the test cuts and restores:
 * `cut()` destroys every open connection and refuses new ones (as a dropped network or a stopped
 * server does); `hang()` keeps connections open but passes nothing (a partition: the peer waits
 * until its own timeout); `restore()` lets traffic through again.
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
  /** Connections opened through it so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'hang' = 'open';
  let opened = 0;
  const pairs = new Set<[Socket, Socket]>();

  const server: Server = createServer((client) => {
    if (mode === 'cut') return void client.destroy();
    opened++;
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (b) => mode === 'open' && upstream.write(b));
    upstream.on('data', (b) => mode === 'open' && client.write(b));
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

import { connect, Socket } from 'node:net';

/** One request of a burst: what to send, and (after) what came back and how long it took. */
export interface BurstRequest {
  method: string;
  path: string;
  token: string;
  /** Sent as JSON (an annulment's reason); without it the request has no body. */
  body?: unknown;
}

export interface BurstResponse {
  status: number;
  body: unknown;
  /** From the moment its bytes were handed to the socket to the last byte of the answer. */
  ms: number;
}

/**
 * Sends N requests at the same moment, the way N people on N machines click together, with as
 * little of the bench's own work as possible inside each measured time.
 *
 * Twenty browsers each spend their own CPU on their one request; a bench that plays all twenty from
 * one Node process with fetch spends ~0.3–0.5 ms of client CPU per request, one after the other,
 * and the last signer's figure then carries the client's cost of all twenty (measured: a bare
 * server answering 202 with no work at all showed p99 11–15 ms that way on this machine). Here every
 * request has its own connection, opened beforehand (a signer's browser already holds one to the
 * API: it just loaded the report), the requests are written as raw HTTP/1.1 bytes in one loop, and
 * the answers are read with a minimal parser (status line, Content-Length, body).
 */
export class BurstClient {
  private sockets: Socket[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  static fromUrl(url: string): BurstClient {
    const u = new URL(url);
    return new BurstClient(u.hostname, Number(u.port));
  }

  /** Opens (or tops up) n kept-alive connections. */
  async open(n: number): Promise<void> {
    this.sockets = this.sockets.filter((s) => !s.destroyed);
    while (this.sockets.length < n) {
      const s = await new Promise<Socket>((resolve, reject) => {
        const c = connect({ host: this.host, port: this.port, noDelay: true }, () => resolve(c));
        c.once('error', reject);
      });
      s.on('error', () => s.destroy());
      this.sockets.push(s);
    }
  }

  /** All requests written in one loop, one per connection; resolves when every answer is in. */
  async send(requests: BurstRequest[]): Promise<BurstResponse[]> {
    await this.open(requests.length);
    const frames = requests.map((r) => {
      const body = r.body === undefined ? null : Buffer.from(JSON.stringify(r.body));
      const head =
        `${r.method} ${r.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nAuthorization: Bearer ${r.token}\r\n` +
        (body ? `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` : 'Content-Length: 0\r\n') +
        'Connection: keep-alive\r\n\r\n';
      return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
    });
    const answers = requests.map((_, i) => readOne(this.sockets[i]));
    for (let i = 0; i < frames.length; i++) {
      answers[i].started = performance.now();
      this.sockets[i].write(frames[i]);
    }
    return Promise.all(answers.map((a) => a.done));
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets = [];
  }
}

interface Pending {
  started: number;
  done: Promise<BurstResponse>;
}

/** Reads one HTTP/1.1 answer with a Content-Length body (what the API sends for JSON). */
function readOne(socket: Socket): Pending {
  const pending = { started: 0 } as Pending;
  pending.done = new Promise<BurstResponse>((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    const onClose = () => finish(new Error('connection closed before the answer'));
    const finish = (err: Error | null, res?: BurstResponse) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(res!);
    };
    const onData = (chunk: Buffer) => {
      const end = performance.now();
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const head = buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const headers = buf.subarray(0, head).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headers)?.[1]);
      if (!Number.isFinite(length)) return finish(new Error(`answer without Content-Length: ${headers.split('\r\n')[0]}`));
      if (buf.length < head + 4 + length) return;
      const status = Number(headers.slice(9, 12));
      const text = buf.subarray(head + 4, head + 4 + length).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      finish(null, { status, body, ms: end - pending.started });
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
  return pending;
}

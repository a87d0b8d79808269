import { ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { waitUntil } from './wait';

/**
 * A message the server accepted: when its sender began it (MAIL FROM) and when its data ended, and
 * (with `senderOf`) the process that sent it, asked at MAIL FROM, while the sender is surely alive.
 */
export interface Receipt {
  mail: ParsedMail;
  startedAt: number;
  at: number;
  sender: number | null;
}

export interface SmtpOptions {
  /** The pid of the process whose socket has this local port (the client's side), asked when a message's data ends. */
  senderOf?: (remotePort: number) => number | null;
}

/** A real SMTP server on a random port that keeps every message it accepted, parsed. */
export interface TestSmtp {
  url: string;
  mails: ParsedMail[];
  /** The same messages, each with when it was accepted and by whom (`senderOf`). */
  receipts: Receipt[];
  /** Messages refused so far. */
  refused: () => number;
  /** Refuses the next n messages with a transient 451 (the sender should retry). */
  refuseNext: (n: number) => void;
  /** While on, refuses every message with a transient 451 (an SMTP server that is down for a while). */
  refuseAll: (on: boolean) => void;
  /** Each recipient waits this long before the server accepts it (a slow relay; a sender killed meanwhile delivered nothing). */
  slow: (ms: number) => void;
  /**
   * While on, each message is accepted (kept in `mails`) but its 250 is held back until it is
   * turned off: a sender killed meanwhile delivered the mail without knowing it.
   */
  holdReplies: (on: boolean) => void;
  /** Refuses a recipient for good (550: no such mailbox). */
  bounce: (address: string) => void;
  /** Mails to a recipient (lower-cased address). */
  to: (address: string) => ParsedMail[];
  /** Waits until `count` mails have arrived (then a little longer, to catch an extra one). */
  waitForCount: (count: number, ms?: number) => Promise<ParsedMail[]>;
  close: () => Promise<void>;
}

export const recipientsOf = (m: ParsedMail): string[] =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));

export async function startSmtp(opts: SmtpOptions = {}): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  const receipts: Receipt[] = [];
  let toRefuse = 0;
  let refused = 0;
  let refusing = false;
  let answerAfterMs = 0;
  let holding = false;
  const held: (() => void)[] = [];
  const bounced = new Set<string>();
  // Per SMTP session: the sending process and when its current message began (MAIL FROM).
  const begun = new Map<string, { sender: number | null; at: number }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, session, callback) {
      begun.set(session.id, { sender: opts.senderOf?.(session.remotePort) ?? null, at: Date.now() });
      if (!refusing) return callback();
      refused++;
      callback(Object.assign(new Error('service unavailable, try again later'), { responseCode: 451 }));
    },
    onRcptTo(address, _session, callback) {
      if (bounced.has(address.address.toLowerCase())) return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      setTimeout(() => callback(), answerAfterMs);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (toRefuse > 0) {
          toRefuse--;
          refused++;
          return callback(Object.assign(new Error('busy, try again later'), { responseCode: 451 }));
        }
        // The sender as known at MAIL FROM; asked again now if it was unknown then.
        const at = Date.now();
        const start = begun.get(session.id);
        const sender = start?.sender ?? opts.senderOf?.(session.remotePort) ?? null;
        const startedAt = start?.at ?? at;
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            mails.push(mail);
            receipts.push({ mail, startedAt, at, sender });
            if (holding) held.push(() => callback());
            else callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A sender killed mid-session resets its connection (ECONNRESET): smtp-server reports that on the
  // server, and an 'error' nobody listens to would end the process that runs it (a test, the drill).
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    receipts,
    refused: () => refused,
    refuseNext: (n) => void (toRefuse = n),
    refuseAll: (on) => void (refusing = on),
    slow: (ms) => void (answerAfterMs = ms),
    holdReplies: (on) => {
      holding = on;
      if (!on) for (const reply of held.splice(0)) reply();
    },
    bounce: (address) => void bounced.add(address.toLowerCase()),
    to: (address) => mails.filter((m) => recipientsOf(m).includes(address.toLowerCase())),
    waitForCount: async (count, ms = 15_000) => {
      await waitUntil(() => mails.length >= count, { ms, what: `${count} mail(s) (have ${mails.length})` });
      await new Promise((r) => setTimeout(r, 300));
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

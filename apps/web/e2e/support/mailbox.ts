import { ParsedMail, simpleParser } from 'mailparser';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An SMTP server that keeps every message it accepted, parsed: a spec reads what the stack mailed. */
export interface Mailbox {
  url: string;
  /** Waits for the first mail to `address` (lower-cased) and returns it. */
  next: (address: string, ms?: number) => Promise<ParsedMail>;
  close: () => Promise<void>;
}

const recipients = (m: ParsedMail): string[] =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));

export async function startMailbox(): Promise<Mailbox> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, done) => {
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          done();
        })
        .catch(done);
    },
  });
  const listening = once(server.server, 'listening');
  server.listen(0, '127.0.0.1');
  await listening;
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    next: async (address, ms = 30_000) => {
      const until = Date.now() + ms;
      for (;;) {
        const found = mails.find((m) => recipients(m).includes(address.toLowerCase()));
        if (found) return found;
        if (Date.now() > until) throw new Error(`no mail to ${address} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

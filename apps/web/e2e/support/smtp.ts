import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An SMTP server the browser tests switch between refusing and accepting (the API's specs parse mail; these only count it). */
export interface SwitchableSmtp {
  url: string;
  /** While on, every message is refused with a transient 451, as a relay that is down. */
  refuse: (on: boolean) => void;
  /** Messages accepted so far. */
  accepted: () => number;
  close: () => Promise<void>;
}

export async function startSwitchableSmtp(): Promise<SwitchableSmtp> {
  let refusing = false;
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom: (_from, _session, done) => (refusing ? done(Object.assign(new Error('relay down, try again later'), { responseCode: 451 })) : done()),
    onData: (stream, _session, done) => {
      stream.resume();
      stream.on('end', () => {
        accepted++;
        done();
      });
    },
  });
  const listening = once(server.server, 'listening');
  server.listen(0, '127.0.0.1');
  await listening;
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    refuse: (on) => void (refusing = on),
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

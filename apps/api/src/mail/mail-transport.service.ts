import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, SendMailOptions, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * Sends through SMTP_URL, or — without it — writes each mail as `<outbox>/<id>.eml` that a person
 * can open (atomically: temp file + rename, so a half-written file is never seen).
 */
@Injectable()
export class MailTransportService implements OnApplicationShutdown {
  private readonly transporter: Transporter;
  private readonly smtp: boolean;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.smtp = config.mail.smtpUrl != null;
    this.transporter = config.mail.smtpUrl
      ? createTransport({ url: config.mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /**
   * Returns what the receiving side answered: the SMTP server's reply ("250 2.0.0 Ok: queued as …"),
   * or "written to <id>.eml" for the outbox folder (no machine path: the mail log shows it).
   */
  async send(id: string, message: SendMailOptions): Promise<string> {
    const info = await this.transporter.sendMail(message);
    if (this.smtp) return String(info.response ?? '').trim() || 'accepted';
    const dir = this.config.mail.outboxDir;
    await mkdir(dir, { recursive: true });
    const file = `${id}.eml`;
    const tmp = join(dir, `.${file}.tmp`);
    await writeFile(tmp, info.message as Buffer);
    await rename(tmp, join(dir, file));
    return `written to ${file}`;
  }

  onApplicationShutdown() {
    this.transporter.close();
  }
}

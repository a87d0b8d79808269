import { INestApplicationContext, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CreateUserRequest, Role } from '@vetlab/shared';
import { AppModule } from '../app.module';
import { AppConfig, ConfigError } from '../config/app-config';
import { passwordLinkToken } from '../passwords/password-link-token';
import { UsersService } from './users.service';

const USAGE = 'usage: main create-admin --email=<address> --name=<full name> [--force]';
const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export interface CreateAdminArgs {
  email: string;
  name: string;
  force: boolean;
}

/** `--email=… --name=… [--force]`, checked by the same schema as a person created in the browser. */
export function parseCreateAdminArgs(argv: string[]): CreateAdminArgs {
  const value = (flag: string) => argv.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const parsed = CreateUserRequest.safeParse({ email: value('email') ?? '', name: value('name') ?? '', role: Role.Admin });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`create-admin:\n${lines.join('\n')}\n${USAGE}`);
  }
  return { email: parsed.data.email, name: parsed.data.name, force: argv.includes('--force') };
}

/**
 * `main create-admin`: the first admin of a production lab (which has no demo accounts). Creates the
 * admin (audited, without an actor) and a one-time set-password link, mailed through the outbox and
 * printed here; refused while an active admin exists, unless --force.
 */
export async function runCreateAdmin(config: AppConfig, argv: string[], log: (line: string) => void = console.log): Promise<void> {
  const args = parseCreateAdminArgs(argv);
  const levels = LEVELS.slice(0, Math.max(1, LEVELS.indexOf(config.logLevel as LogLevel) + 1));
  let ctx: INestApplicationContext | undefined;
  try {
    // The API's services (people, password links, the outbox and its queue), without HTTP.
    ctx = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, role: 'api' }), { logger: levels, abortOnError: false });
    await ctx.init();
    const { user, link } = await ctx.get(UsersService).createAdmin(args, args.force);
    const url = `${config.publicUrl}/password/${passwordLinkToken(config.auth.jwtSecret, link.linkId)}`;
    log(`create-admin: ${user.name} <${user.email}> is an admin (id ${user.id}).`);
    const where = config.mail.smtpUrl ? '' : ` (no SMTP_URL: as a file under ${config.mail.outboxDir})`;
    log(`  A one-time link to set the password is queued as a mail to ${user.email}; a worker process sends it${where}.`);
    log(`  It works once, until ${link.view.expiresAt}:`);
    log(`  ${url}`);
  } finally {
    await ctx?.close().catch((e) => new Logger('create-admin').warn(`closing: ${(e as Error).message}`));
  }
}

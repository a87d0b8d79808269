import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppRole, ConfigError, loadConfig } from './config/app-config';
import { installRedisRejectionGuard } from './common/redis-rejection-guard';

const USAGE =
  'usage: main [serve|migrate|seed|create-admin|backup|restore] [--role=api|worker|all] [--profile=demo|bench] [--if-empty] [--reset] [--email=… --name=… --force] [--to=…|--from=…]';

async function main(argv: string[]) {
  const command = argv.find((a) => !a.startsWith('--')) ?? 'serve';
  const role = (argv.find((a) => a.startsWith('--role='))?.slice(7) ?? 'all') as AppRole;
  if (!['api', 'worker', 'all'].includes(role)) throw new ConfigError(`--role must be api, worker or all (got ${role})\n${USAGE}`);
  const config = loadConfig(process.env, role);
  switch (command) {
    case 'serve': {
      installRedisRejectionGuard();
      // Loaded here: the offline commands (migrate, seed) start without the whole application.
      const { start } = await import('./bootstrap');
      await start(config);
      return;
    }
    case 'migrate': {
      const { runMigrate } = await import('./database/migrate.command');
      await runMigrate(config);
      return;
    }
    case 'seed': {
      const { runSeed } = await import('./seed/seed.command');
      await runSeed(config, argv);
      return;
    }
    case 'backup': {
      const { runBackup } = await import('./backup/backup.command');
      await runBackup(config, argv);
      return;
    }
    case 'restore': {
      const { runRestore } = await import('./backup/restore.command');
      await runRestore(config, argv);
      return;
    }
    case 'create-admin': {
      const { runCreateAdmin } = await import('./users/create-admin.command');
      await runCreateAdmin(config, argv);
      return;
    }
    default:
      throw new ConfigError(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof ConfigError) {
    console.error(e.message);
  } else {
    new Logger('vetlab').error(e?.stack ?? e);
  }
  process.exit(1);
});

import { AuditAction } from '@vetlab/shared';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig, ConfigError, LOCAL_SECRET_FILE, usesLocalSecret } from '../config/app-config';
import { assertNoDatabase, restoreDatabase } from '../database/database-backup';
import { auditBackupAction } from './backup-audit';
import { BackupManifest, FILES_DIR, MANIFEST_FILE, OUTBOX_DIR } from './backup-manifest';
import { folderArg } from './backup.command';
import { copyTree, isEmptyDir } from './file-copy';

const USAGE = 'usage: main restore --from=<backup folder>';

function readManifest(from: string): BackupManifest {
  const path = join(from, MANIFEST_FILE);
  if (!existsSync(path)) throw new ConfigError(`restore: ${from} has no ${MANIFEST_FILE}: not a backup, or one that did not finish\n${USAGE}`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch (e) {
    throw new ConfigError(`restore: ${path} is not readable as JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== 1) throw new ConfigError(`restore: ${MANIFEST_FILE} has format ${String(manifest?.format)}; this vetlab reads format 1`);
  return manifest;
}

/**
 * `main restore --from=<backup folder>`, with vetlab stopped, onto a deployment configured as the
 * new one will run (DATA_DIR, DATABASE_URL, STORAGE_URL): the database, the stored files and the
 * outbox's mails each where that configuration keeps them, and vetlab's own secret when it has
 * no JWT_SECRET. Everything is checked before anything is written: a database that exists, or a
 * files folder with anything in it, is refused. Then start vetlab (after `main migrate` if its code
 * is newer than the backup): the sweeper re-enqueues the jobs the backup had not finished.
 */
export async function runRestore(config: AppConfig, argv: string[], log: (line: string) => void = console.log): Promise<void> {
  const from = folderArg(argv, 'from', USAGE);
  const manifest = readManifest(from);
  const { driver } = config.database;
  if (manifest.database.driver !== driver) {
    throw new ConfigError(`restore: the backup holds a ${manifest.database.driver} database and this deployment uses ${driver}`);
  }
  await assertNoDatabase(config.database);
  const filesRoot = manifest.files && config.storage.kind === 'local' ? config.storage.root : null;
  if (filesRoot && !(await isEmptyDir(filesRoot))) throw new ConfigError(`restore: the files folder ${filesRoot} is not empty; restore into a new deployment`);

  await restoreDatabase(config.database, join(from, manifest.database.file));
  log(`restore: database (${driver}) restored, last migration ${manifest.database.lastMigration ?? 'none'}`);
  if (filesRoot) {
    const files = await copyTree(join(from, FILES_DIR), filesRoot);
    log(`restore: ${files.count} stored files copied to ${filesRoot}`);
  } else if (manifest.files) {
    log(`restore: the storage is S3: copy ${join(from, FILES_DIR)} into the bucket under the same keys (docs/operations.md)`);
  }
  if (manifest.outbox) await copyTree(join(from, OUTBOX_DIR), config.mail.outboxDir);
  // Reading the configuration made this deployment a secret of its own; the backup's replaces it.
  if (manifest.secret && usesLocalSecret(config)) {
    await copyFile(join(from, LOCAL_SECRET_FILE), join(config.dataDir, LOCAL_SECRET_FILE));
    log('restore: the secret of sessions and password links restored: people stay signed in');
  }
  // The restored trail's newest entry: which backup the lab's data now comes from, and its moment.
  await auditBackupAction(config.database, AuditAction.Restore, manifest.id, { folder: from, takenAt: manifest.createdAt, lastMigration: manifest.database.lastMigration });
  log('restore: done; run `npm run migrate` (main migrate) if this vetlab is newer than the backup, then start it');
}

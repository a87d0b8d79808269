import { AuditAction } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig, ConfigError, LOCAL_SECRET_FILE, usesLocalSecret } from '../config/app-config';
import { backUpDatabase } from '../database/database-backup';
import { auditBackupAction } from './backup-audit';
import { BackupManifest, DATABASE_FILE, FILES_DIR, MANIFEST_FILE, OUTBOX_DIR } from './backup-manifest';
import { copyTree, isEmptyDir } from './file-copy';

const USAGE = 'usage: main backup --to=<new or empty folder>';

/** `--to=<folder>` (or `--from=` for restore): an absolute path. */
export function folderArg(argv: string[], flag: 'to' | 'from', usage: string): string {
  const value = argv.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  if (!value) throw new ConfigError(`--${flag} is required\n${usage}`);
  return resolve(value);
}

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/**
 * `main backup --to=<folder>`, while vetlab runs: the database as it was at one moment, then the
 * stored files (PDFs, signatures) and the outbox's mails, then the secret vetlab made itself, and
 * last a manifest, and an audit entry in the live database. A file is stored before the row that names it commits, and the files are copied
 * after the database, so every file the copy of the database refers to is in the backup (but for an
 * old work-order PDF the sweep may remove meanwhile: docs/operations.md). On SQLite the folder is a data
 * folder: vetlab starts on it as it is (DATA_DIR), or `main restore` puts it in place.
 */
export async function runBackup(config: AppConfig, argv: string[], log: (line: string) => void = console.log): Promise<BackupManifest> {
  const to = folderArg(argv, 'to', USAGE);
  if (!(await isEmptyDir(to))) throw new ConfigError(`backup: ${to} is not empty; name a new or empty folder\n${USAGE}`);
  await mkdir(to, { recursive: true });

  const driver = config.database.driver;
  const { lastMigration } = await backUpDatabase(config.database, join(to, DATABASE_FILE[driver]));
  const dbBytes = (await stat(join(to, DATABASE_FILE[driver]))).size;
  log(`backup: database (${driver}, ${size(dbBytes)}) copied to ${DATABASE_FILE[driver]}, last migration ${lastMigration ?? 'none'}`);

  let files = null;
  if (config.storage.kind === 'local') {
    files = await copyTree(config.storage.root, join(to, FILES_DIR));
    log(`backup: ${files.count} stored files (${size(files.bytes)}) copied to ${FILES_DIR}/`);
  } else {
    log('backup: the stored files are in S3 and stay there: keep the bucket versioned or replicated (docs/operations.md)');
  }
  const outbox = existsSync(config.mail.outboxDir) ? await copyTree(config.mail.outboxDir, join(to, OUTBOX_DIR)) : null;
  if (outbox) log(`backup: ${outbox.count} mails of the outbox folder copied to ${OUTBOX_DIR}/`);

  // The secret that signs sessions and password links, when vetlab made it (no JWT_SECRET).
  const secret = usesLocalSecret(config);
  if (secret) await copyFile(join(config.dataDir, LOCAL_SECRET_FILE), join(to, LOCAL_SECRET_FILE));

  const manifest: BackupManifest = {
    format: 1,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    database: { driver, file: DATABASE_FILE[driver], lastMigration },
    files,
    outbox,
    secret,
  };
  await writeFile(join(to, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  // In the live database, after the copy: the trail says when each backup was taken, and where to.
  await auditBackupAction(config.database, AuditAction.Backup, manifest.id, { folder: to, lastMigration, files: files?.count ?? null, bytes: files?.bytes ?? null });
  log(`backup: done, ${to}`);
  return manifest;
}

/** What a backup folder holds, written last: a folder without it is a backup that did not finish. */
export const MANIFEST_FILE = 'backup.json';
/** The database's copy in a backup folder, by driver. */
export const DATABASE_FILE = { sqlite: 'vetlab.sqlite', postgresql: 'vetlab.pgdump' } as const;
/** The file storage's copy (PDFs, signatures), keys as paths. */
export const FILES_DIR = 'files';
/** The mails written as files when there is no SMTP_URL. */
export const OUTBOX_DIR = 'outbox';

export interface CopiedFiles {
  count: number;
  bytes: number;
}

export interface BackupManifest {
  format: 1;
  /** The backup's id: its audit entries (backup, restore) are about it. */
  id: string;
  createdAt: string;
  database: { driver: 'sqlite' | 'postgresql'; file: string; lastMigration: string | null };
  /** Null when the files live in S3 (the bucket keeps them; see docs/operations.md). */
  files: CopiedFiles | null;
  outbox: CopiedFiles | null;
  secret: boolean;
}

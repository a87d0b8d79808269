import type { Readable } from 'node:stream';

export interface StoredFile {
  key: string;
  /** Hex SHA-256 of the bytes: the ETag. */
  sha256: string;
  size: number;
}

/** What a cheap check of a stored file tells: size, date and, where the storage keeps it, the SHA-256. */
export interface FileStat {
  size: number;
  modifiedAt: Date;
  /** Hex SHA-256 of the content, when the storage knows it without reading it (S3 keeps it in the object's metadata). */
  sha256?: string;
}

export interface OpenedFile {
  stream: Readable;
  size: number;
  modifiedAt: Date;
  sha256?: string;
  /** The whole content, when the storage holds it in memory: send this rather than the stream. */
  bytes?: Buffer;
}

/**
 * Where PDFs and signatures live: a local folder by default, or an S3-compatible bucket. Keys are built by the
 * server from ids only (e.g. `reports/<uuid>/v2.pdf`); no user input ever reaches a key.
 */
export interface FileStorage {
  /** Writes atomically (a local temp file + rename; one S3 PutObject): a reader never sees half a file. */
  put(key: string, data: Uint8Array): Promise<StoredFile>;
  /**
   * Writes the file only where none exists yet (atomically: of two concurrent writers exactly one
   * creates it). Returns what the key holds afterwards, and whether this call wrote it.
   */
  create(key: string, data: Uint8Array): Promise<StoredFile & { created: boolean }>;
  /**
   * A stream of the file, or null when it does not exist. `expect.sha256`, when the caller knows
   * the content it wants (a database row holds it), lets a cache serve what it holds of exactly that
   * content without asking the storage first.
   */
  open(key: string, expect?: { sha256?: string }): Promise<OpenedFile | null>;
  /** Size and date of the file, or null when it does not exist: a cheap check, no content read. */
  stat(key: string): Promise<FileStat | null>;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Throws unless the storage answers (the health endpoint's check). */
  probe(): Promise<void>;
  /** Which kind of storage this is, for the health endpoint and logs. */
  readonly kind: 'local' | 's3';
  /** Lets go of connections (S3's HTTP agent); a local folder has none. */
  close?(): Promise<void>;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

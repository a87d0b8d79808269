import type { Readable } from 'node:stream';

export interface StoredFile {
  key: string;
  /** Hex SHA-256 of the bytes: the ETag. */
  sha256: string;
  size: number;
}

export interface OpenedFile {
  stream: Readable;
  size: number;
  modifiedAt: Date;
  /** The whole content, when the storage holds it in memory: send this rather than the stream. */
  bytes?: Buffer;
}

/**
 * Where PDFs live: a local folder by default, S3-compatible storage later. Keys are built by the
 * server from ids only (e.g. `reports/<uuid>/v2.pdf`); no user input ever reaches a key.
 */
export interface FileStorage {
  /** Writes atomically (temp file + rename): a reader never sees half a file. */
  put(key: string, data: Uint8Array): Promise<StoredFile>;
  /**
   * Writes the file only where none exists yet (atomically: of two concurrent writers exactly one
   * creates it). Returns what the key holds afterwards, and whether this call wrote it.
   */
  create(key: string, data: Uint8Array): Promise<StoredFile & { created: boolean }>;
  /** A stream of the file, or null when it does not exist. */
  open(key: string): Promise<OpenedFile | null>;
  /** Size and date of the file, or null when it does not exist: a cheap check, no content read. */
  stat(key: string): Promise<{ size: number; modifiedAt: Date } | null>;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

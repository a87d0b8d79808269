import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { storageUnavailable, UnavailableError } from '../common/domain-error';
import type { S3StorageConfig } from '../config/app-config';
import type { FileStat, FileStorage, OpenedFile, StoredFile } from './file-storage';
import { checkStorageKey } from './storage-key';

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Below the prefix, never a valid storage key (a key's segments never start with a dot). */
const PROBE_KEY = '.conditional-write-probe';

type S3Error = S3ServiceException & { $metadata?: { httpStatusCode?: number }; code?: string };
const statusOf = (e: unknown) => (e as S3Error)?.$metadata?.httpStatusCode;
/** A key that is not there (a bucket that is not there is a storage that does not work: STORAGE_UNAVAILABLE). */
const isMissing = (e: unknown) => (e as Error)?.name !== 'NoSuchBucket' && (statusOf(e) === 404 || ['NoSuchKey', 'NotFound'].includes((e as Error)?.name));
const isTaken = (e: unknown) => statusOf(e) === 412 || (e as Error)?.name === 'PreconditionFailed';
/** A conditional write racing another one on the same key (S3 answers 409): try again. */
const isConflict = (e: unknown) => statusOf(e) === 409 || (e as Error)?.name === 'ConditionalRequestConflict';

/**
 * FileStorage in an S3-compatible bucket, under a prefix (`s3://bucket/prefix` → `prefix/<key>`).
 *
 * - put: one PutObject with Content-Length and the SHA-256 checksum; S3 makes an object visible only
 *   once all of it arrived and its checksum matched, so a reader never gets half of one and a cut
 *   upload is refused. The SHA-256 also goes into the object's metadata (`x-amz-meta-sha256`): stat
 *   and open report it without reading the content.
 * - create: PutObject with `If-None-Match: *`, which S3 refuses (412) when the key exists: of two
 *   writers anywhere exactly one creates. Servers that ignore or refuse the header (found out once,
 *   with a probe object `<prefix>/.conditional-write-probe`) get HEAD-then-put instead, serialized
 *   per key inside this process only: across processes two writers may both write. Callers store deterministic content under fenced jobs
 *   (storeFenced), so that leaves the same bytes written twice.
 * - open streams the body as it arrives; nothing is buffered here.
 * - Every call is bounded: connection timeout, at most `maxAttempts` tries, and an overall deadline
 *   (longer for big uploads) after which it fails with STORAGE_UNAVAILABLE (503): a stopped or frozen
 *   server answers requests within about a second and jobs retry with their backoff.
 */
export class S3FileStorage implements FileStorage {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly prefix: string;
  private readonly log = new Logger('S3FileStorage');
  private conditionalWrites: Promise<boolean> | null = null;
  /** Creates in flight per key, for servers without conditional writes. */
  private readonly creating = new Map<string, Promise<unknown>>();

  constructor(private readonly config: S3StorageConfig) {
    this.prefix = config.prefix ? `${config.prefix}/` : '';
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint ?? undefined,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials ?? undefined,
      maxAttempts: config.maxAttempts,
      // The SDK's own CRC32 on every request is not needed: puts carry their SHA-256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: config.timeoutMs,
        // A body that stops arriving half way (a frozen server) ends the stream with an error.
        socketTimeout: Math.max(5000, config.timeoutMs * 4),
        httpAgent: new Agent(agentOptions),
        httpsAgent: new HttpsAgent(agentOptions),
      },
    });
  }

  describe(): string {
    return `s3://${this.config.bucket}/${this.config.prefix}`;
  }

  async put(key: string, data: Uint8Array): Promise<StoredFile> {
    const sha256 = sha256Hex(data);
    await this.putObject(key, data, sha256, false);
    return { key, sha256, size: data.byteLength };
  }

  async create(key: string, data: Uint8Array): Promise<StoredFile & { created: boolean }> {
    checkStorageKey(key);
    const sha256 = sha256Hex(data);
    if (await this.supportsConditionalWrites()) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        try {
          await this.putObject(key, data, sha256, true);
          return { key, sha256, size: data.byteLength, created: true };
        } catch (e) {
          if (!isTaken(e) && !isConflict(e)) throw e;
        }
        const existing = await this.stat(key);
        if (existing) return { key, sha256: existing.sha256 ?? (await this.hashOf(key)), size: existing.size, created: false };
        await new Promise((r) => setTimeout(r, 20 * attempt)); // the other writer's upload is still under way
      }
      throw storageUnavailable(`${key} is being written by another writer and could not be read`);
    }
    // Without conditional writes: HEAD, then put; one at a time per key in this process.
    while (this.creating.has(key)) await this.creating.get(key)!.catch(() => undefined);
    const run = (async () => {
      const existing = await this.stat(key);
      if (existing) return { key, sha256: existing.sha256 ?? (await this.hashOf(key)), size: existing.size, created: false };
      await this.putObject(key, data, sha256, false);
      return { key, sha256, size: data.byteLength, created: true };
    })();
    this.creating.set(key, run);
    try {
      return await run;
    } finally {
      this.creating.delete(key);
    }
  }

  async open(key: string): Promise<OpenedFile | null> {
    checkStorageKey(key);
    try {
      const res = await this.call<GetObjectCommandOutput>(() => new GetObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + key }));
      const stream = res.Body as Readable;
      return { stream, size: res.ContentLength ?? 0, modifiedAt: res.LastModified ?? new Date(0), sha256: res.Metadata?.['sha256'] };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async stat(key: string): Promise<FileStat | null> {
    checkStorageKey(key);
    try {
      const res = await this.call<HeadObjectCommandOutput>(() => new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + key }));
      return { size: res.ContentLength ?? 0, modifiedAt: res.LastModified ?? new Date(0), sha256: res.Metadata?.['sha256'] };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /** S3 answers a delete of a missing key with success: nothing to ignore. */
  async remove(key: string): Promise<void> {
    checkStorageKey(key);
    await this.call(() => new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + key }));
  }

  /** The bucket answers (a HEAD of it); a bucket that is not there is STORAGE_UNAVAILABLE like a server that is not. */
  async probe(): Promise<void> {
    try {
      await this.call(() => new HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (e) {
      if (e instanceof UnavailableError) throw e;
      throw Object.assign(storageUnavailable(`bucket ${this.config.bucket}: ${statusOf(e) === 404 ? 'not found' : ((e as Error)?.name ?? 'error')}`), { cause: e });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async putObject(key: string, data: Uint8Array, sha256: string, onlyIfAbsent: boolean) {
    checkStorageKey(key);
    await this.call(
      () =>
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: this.prefix + key,
          Body: data,
          ContentLength: data.byteLength,
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          Metadata: { sha256 },
          ...(onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
        }),
      data.byteLength,
    );
  }

  /** An object stored by something else than this class has no SHA-256 in its metadata: read it. */
  private async hashOf(key: string): Promise<string> {
    const file = await this.open(key);
    if (!file) return sha256Hex(new Uint8Array());
    const hash = createHash('sha256');
    for await (const chunk of file.stream) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /**
   * Whether the server honours `If-None-Match: *` on PutObject (AWS S3 does; some compatible servers
   * ignore it and overwrite): a probe object written twice conditionally must be refused the second time.
   */
  private supportsConditionalWrites(): Promise<boolean> {
    this.conditionalWrites ??= (async () => {
      const put = () =>
        this.call(() => new PutObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + PROBE_KEY, Body: 'probe', IfNoneMatch: '*' }));
      try {
        await put().catch((e) => (isTaken(e) ? undefined : Promise.reject(e)));
        await put();
      } catch (e) {
        if (isTaken(e)) return true;
        // Some servers refuse the header outright (501 Not Implemented, 400): not supported either.
        const status = statusOf((e as { cause?: unknown }).cause ?? e);
        if (status !== 501 && status !== 400) throw e;
      }
      this.log.warn(`${this.describe()}: the server does not support conditional writes (If-None-Match); creates fall back to HEAD-then-put`);
      return false;
    })().catch((e) => {
      this.conditionalWrites = null; // not known yet: ask again next time
      throw e;
    });
    return this.conditionalWrites;
  }

  /**
   * Sends a command within the deadline (the configured timeout, plus a second per MiB for an
   * upload), and turns every failure but a missing key or a taken one into STORAGE_UNAVAILABLE.
   * The deadline covers the answer's headers only: a body streams for as long as it flows.
   */
  private async call<Out = unknown>(command: () => object, uploadBytes = 0): Promise<Out> {
    const deadlineMs = this.config.timeoutMs + Math.round((uploadBytes / (1024 * 1024)) * 1000);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), deadlineMs);
    try {
      return (await this.client.send(command() as GetObjectCommand, { abortSignal: abort.signal })) as Out;
    } catch (e) {
      if (isMissing(e) || isTaken(e) || isConflict(e) || e instanceof UnavailableError) throw e;
      const why = abort.signal.aborted ? `no answer within ${deadlineMs} ms` : ((e as Error)?.name ?? 'error');
      const err = storageUnavailable(why);
      (err as { cause?: unknown }).cause = e;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

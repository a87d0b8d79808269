import { createHash } from 'node:crypto';
import { bearer } from './auth';
import { TestApp } from './test-app';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json: <T = Record<string, unknown>>() => T;
}

/** A GET whose body is kept as bytes whatever its type (PDFs), parsed as JSON on demand. */
export async function getRaw(t: TestApp, path: string, token: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await t
    .http()
    .get(path)
    .set(bearer(token))
    .set(headers)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const body = res.body as Buffer;
  return { status: res.status, headers: res.headers as Record<string, string>, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}

export const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

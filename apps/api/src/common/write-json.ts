import type { ServerResponse } from 'node:http';

/** A JSON answer on Node's response, as Express's `res.status(n).json(body)` writes it. */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

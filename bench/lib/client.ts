import type { ClientToServerEvents, LoginResponse, ServerToClientEvents } from '@vetlab/shared';
import { io, Socket } from 'socket.io-client';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A browser-like user: an access token and a live socket. */
export interface BenchUser {
  email: string;
  token: string;
  socket: BenchSocket;
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as LoginResponse).accessToken;
}

export async function connectUser(url: string, email: string, password: string): Promise<BenchUser> {
  const token = await login(url, email, password);
  const socket: BenchSocket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { email, token, socket };
}

/**
 * fetch, sent again once when a kept-alive connection turns out closed by the server before it read
 * the request (the server's idle timeout racing ours after a long pause, e.g. a baseline server
 * left alone while the other scenarios ran).
 */
export async function benchFetch(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (e) {
    if ((e as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw e;
    return fetch(input, init);
  }
}

export async function api<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; ms: number }> {
  const t0 = performance.now();
  const res = await benchFetch(`${url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, ms };
}

import type { ErrorBody, LoginRequest, LoginResponse, Me } from '@vetlab/shared';

/** A non-2xx answer, with the API's error body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export interface Session {
  accessToken: string;
  user: Me;
}

type Query = Record<string, string | number | boolean | null | undefined>;
type Listener = (session: Session | null) => void;

/**
 * REST client of the SPA. The access token lives in memory only (never in storage, so a script
 * injected into the page cannot lift it from there); the refresh token is an httpOnly cookie the
 * browser sends to /api/auth/*. A 401 triggers one refresh and one retry.
 */
export class ApiClient {
  private session: Session | null = null;
  private refreshing: Promise<Session | null> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
    private readonly base = '/api',
  ) {}

  get current(): Session | null {
    return this.session;
  }

  get token(): string | null {
    return this.session?.accessToken ?? null;
  }

  /** For useSyncExternalStore: returns the unsubscribe function. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async login(credentials: LoginRequest): Promise<Session> {
    const res = await this.send('POST', '/auth/login', credentials);
    const body = await parse<LoginResponse>(res);
    return this.setSession({ accessToken: body.accessToken, user: body.user });
  }

  /** Ends the session on the server (revokes the refresh cookie) and forgets it here regardless. */
  async logout(): Promise<void> {
    try {
      await this.send('POST', '/auth/logout');
    } catch {
      // Offline or already logged out: the local session ends anyway.
    } finally {
      this.setSession(null);
    }
  }

  /**
   * Trades the refresh cookie for a new access token; null when there is no valid cookie.
   * Concurrent callers share one request: refresh tokens rotate, and a second use of the old
   * one would look like theft to the server. A server that cannot answer now (a 5xx: the database
   * away, the disk full) rejects with its ApiError and the session stays: the next request tries
   * again, and the person reads why instead of being signed out.
   */
  refresh(): Promise<Session | null> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Forgets the session locally (the server ended it, e.g. on deactivation). */
  expire(): void {
    this.setSession(null);
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path + toSearch(query));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  /** Binary download with the session (PDFs): the Response, after one refresh on 401. */
  async fetchRaw(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const go = () =>
      this.fetchFn(this.base + path, {
        headers: { ...headers, ...(this.session ? { Authorization: `Bearer ${this.session.accessToken}` } : {}) },
        credentials: 'include',
      });
    let res = await go();
    if (res.status === 401 && this.session && (await this.refresh())) res = await go();
    return res;
  }

  /** Sends a file as the raw body (an image upload), after one refresh on 401; the JSON answer. */
  async putBinary<T>(path: string, body: Blob, contentType: string): Promise<T> {
    const go = () =>
      this.fetchFn(this.base + path, {
        method: 'PUT',
        headers: { Accept: 'application/json', 'Content-Type': contentType, ...(this.session ? { Authorization: `Bearer ${this.session.accessToken}` } : {}) },
        body,
        credentials: 'include',
      });
    let res = await go();
    if (res.status === 401 && this.session && (await this.refresh())) res = await go();
    return parse<T>(res);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res = await this.send(method, path, body);
    if (res.status === 401 && this.session) {
      const renewed = await this.refresh();
      if (renewed) res = await this.send(method, path, body);
    }
    return parse<T>(res);
  }

  private async doRefresh(): Promise<Session | null> {
    let res: Response;
    try {
      res = await this.send('POST', '/auth/refresh');
    } catch {
      return this.setSession(null);
    }
    if (res.status >= 500) return parse<never>(res);
    try {
      if (!res.ok) return this.setSession(null);
      const body = await parse<Partial<LoginResponse> & { accessToken: string }>(res);
      const user = body.user ?? this.session?.user;
      return this.setSession(user ? { accessToken: body.accessToken, user } : null);
    } catch {
      return this.setSession(null);
    }
  }

  private send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.session) headers.Authorization = `Bearer ${this.session.accessToken}`;
    return this.fetchFn(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'include',
    });
  }

  private setSession<S extends Session | null>(session: S): S {
    this.session = session;
    for (const listener of this.listeners) listener(session);
    return session;
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) throw new ApiError(res.status, isErrorBody(json) ? json : null);
  return json as T;
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && 'message' in v && typeof (v as ErrorBody).message === 'string';
}

function toSearch(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v != null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

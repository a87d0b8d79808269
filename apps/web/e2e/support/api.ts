import type { LoginResponse, Page, ProtocolSummary } from '@vetlab/shared';

/** Direct API calls for test setup and checks (what the UI shows is asserted in the browser). */
export async function apiLogin(url: string, who: { email: string; password: string }): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (!res.ok) throw new Error(`login ${who.email}: ${res.status}`);
  return (await res.json()) as LoginResponse;
}

export async function apiGet<T>(url: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${url}/api${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export const listProtocols = (url: string, token: string, query: string) =>
  apiGet<Page<ProtocolSummary>>(url, token, `/protocols?${query}`);

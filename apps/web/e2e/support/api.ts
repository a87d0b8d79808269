import type { LoginResponse, Page, ProtocolDetail, ProtocolSummary, ReportView } from '@vetlab/shared';
import { DEMO } from './browser';

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

export async function apiPost<T>(url: string, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/api${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const listProtocols = (url: string, token: string, query: string) =>
  apiGet<Page<ProtocolSummary>>(url, token, `/protocols?${query}`);

/** A demo protocol in analysis whose draft has every result (the `skip`-th one found). */
export async function finalizable(url: string, skip = 0): Promise<ProtocolDetail> {
  const admin = await apiLogin(url, DEMO.admin);
  const list = await listProtocols(url, admin.accessToken, 'status=in_analysis&pageSize=100');
  let found = 0;
  for (const p of list.items) {
    const detail = await apiGet<ProtocolDetail>(url, admin.accessToken, `/protocols/${p.id}`);
    const report = await apiGet<ReportView>(url, admin.accessToken, `/reports/${detail.reportId}`);
    if (report.versions[0]?.status === 'draft' && report.versions[0].complete && found++ === skip) return detail;
  }
  throw new Error('no fully resulted draft in the demo data');
}

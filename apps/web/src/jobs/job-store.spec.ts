import type { JobEvent, JobView, ReportJobResult } from '@vetlab/shared';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../api/api-client';
import { JobStore, phaseOf } from './job-store';
import { resyncJobs, startFinalize } from './job-sync';

const accepted = (jobId = 'j1', reportId = 'r1') => ({ jobId, kind: 'finalize_report' as const, state: 'queued' as const, reportId });

const event = (over: Partial<JobEvent> = {}): JobEvent => ({
  jobId: 'j1',
  kind: 'finalize_report',
  subject: { type: 'report', id: 'r1' },
  state: 'active',
  progress: 40,
  stage: 'rendering',
  attempt: 1,
  ...over,
});

const reportResult = (version: number): ReportJobResult => ({ reportId: 'r1', version, sha256: 'x', size: 1, pages: 1, verificationCode: 'c', stages: [] });

const view = (over: Partial<JobView> = {}): JobView => ({
  id: 'j1',
  kind: 'finalize_report',
  state: 'active',
  progress: 20,
  stage: 'loading',
  attempts: 1,
  failedReason: null,
  waitingFor: null,
  result: null,
  subject: { type: 'report', id: 'r1' },
  createdAt: '2026-11-28T10:00:00Z',
  startedAt: null,
  finishedAt: null,
  ...over,
});

class MemoryStorage {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
}

const newStore = () => new JobStore(new MemoryStorage() as unknown as Storage);

describe('JobStore', () => {
  it('follows a tracked job through progress to completion and report:ready', () => {
    const store = newStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.track(accepted());
    store.applyEvent(event());
    expect(store.get('j1')).toMatchObject({ state: 'active', progress: 40, stage: 'rendering' });
    store.applyEvent(event({ state: 'completed', progress: 100, stage: null }));
    store.reportReady({ reportId: 'r1', version: 2, protocolId: 'p1' });
    expect(store.get('j1')).toMatchObject({ state: 'completed', progress: 100, version: 2, protocolId: 'p1' });
    expect(listener).toHaveBeenCalledTimes(4);
  });

  it('ignores jobs it does not follow, but applies an event that beat the 202', () => {
    const store = newStore();
    store.applyEvent(event({ jobId: 'other', subject: { type: 'report', id: 'r9' } }));
    expect(store.getSnapshot()).toEqual([]);
    store.applyEvent(event({ state: 'completed', progress: 100 }));
    store.track(accepted());
    expect(store.get('j1')?.state).toBe('completed');
  });

  it('never moves a finished job back, nor progress backwards', () => {
    const store = newStore();
    store.track(accepted());
    store.applyEvent(event({ progress: 60 }));
    store.applyEvent(event({ progress: 30 }));
    expect(store.get('j1')?.progress).toBe(60);
    store.applyEvent(event({ state: 'failed', failedReason: 'SMTP down', progress: 60 }));
    store.applyEvent(event({ state: 'active', progress: 70 }));
    expect(store.get('j1')).toMatchObject({ state: 'failed', failedReason: 'SMTP down' });
  });

  it('a retry replaces the failed job of the same report', () => {
    const store = newStore();
    store.track(accepted('j1'));
    store.applyEvent(event({ state: 'failed', failedReason: 'boom' }));
    store.track(accepted('j2'));
    expect(store.getSnapshot().map((j) => j.jobId)).toEqual(['j2']);
    expect(phaseOf(store.get('j2')!.state)).toBe('running');
  });

  it('adopts active jobs from the API only when asked, and reads the version from the result', () => {
    const store = newStore();
    store.applyView(view());
    expect(store.getSnapshot()).toEqual([]);
    store.applyView(view(), true);
    expect(store.get('j1')).toMatchObject({ progress: 20, stage: 'loading', reportId: 'r1' });
    store.applyView(view({ kind: 'report_pdf', id: 'j5' }), true);
    expect(store.get('j5')).toBeUndefined();
    store.applyView(view({ state: 'completed', progress: 100, result: reportResult(3) }));
    expect(store.get('j1')).toMatchObject({ state: 'completed', version: 3 });
  });

  it('survives a reload through storage, and forgets dismissed jobs', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const a = new JobStore(storage);
    a.track(accepted('j1', 'r1'));
    a.track(accepted('j2', 'r2'));
    a.dismiss('j2');
    const b = new JobStore(storage);
    expect(b.getSnapshot().map((j) => j.jobId)).toEqual(['j1']);
  });
});

describe('job sync', () => {
  const fakeApi = (answers: Record<string, unknown>) => {
    const get = vi.fn(async (path: string) => {
      const a = answers[path];
      if (a instanceof Error) throw a;
      if (a === undefined) throw new ApiError(404, null);
      return a;
    });
    const post = vi.fn(async (path: string) => answers[`POST ${path}`]);
    return { api: { get, post } as unknown as ApiClient, get, post };
  };

  it('adopts the active jobs and asks about tracked ones the list no longer has', async () => {
    const store = newStore();
    store.track(accepted('j0', 'r0'));
    store.track(accepted('gone', 'rx'));
    const { api, get } = fakeApi({
      '/jobs': [view()],
      '/jobs/j0': view({ id: 'j0', subject: { type: 'report', id: 'r0' }, state: 'completed', progress: 100, result: reportResult(1) }),
    });
    await resyncJobs(api, store);
    expect(get).toHaveBeenCalledWith('/jobs', { mine: 'true', active: 'true' });
    expect(store.get('j1')).toMatchObject({ state: 'active', progress: 20 });
    expect(store.get('j0')).toMatchObject({ state: 'completed', version: 1 });
    expect(store.get('gone')).toBeUndefined();
  });

  it('startFinalize posts and tracks the accepted job', async () => {
    const store = newStore();
    const { api, post } = fakeApi({ 'POST /reports/r1/finalize': accepted() });
    await startFinalize(api, store, 'r1');
    expect(post).toHaveBeenCalledWith('/reports/r1/finalize');
    expect(store.forReport('r1')).toMatchObject({ jobId: 'j1', state: 'queued', progress: 0 });
  });
});

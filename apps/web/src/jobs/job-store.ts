import { ACTIVE_JOB_STATES, JobKind, JobState } from '@vetlab/shared';
import type { FinalizeAccepted, JobEvent, JobView } from '@vetlab/shared';
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'vetlab.jobs';
const MAX_TRACKED = 20;
/** Events of jobs not tracked (yet): a fast job may report before its 202 has been read. */
const MAX_BUFFERED = 50;

export type JobPhase = 'running' | 'ready' | 'failed';

/** A report finalization this tab follows; one per report (a retry replaces the failed job). */
export interface TrackedJob {
  jobId: string;
  kind: JobKind;
  reportId: string;
  state: JobState;
  /** 0–100 */
  progress: number;
  stage: string | null;
  failedReason: string | null;
  /** What it waits for while it still runs (the disk full, the file storage away): it goes on by itself. */
  waitingFor: JobView['waitingFor'];
  /** The finalized version, once known (report:ready or the job's result). */
  version: number | null;
  protocolId: string | null;
}

export const phaseOf = (state: JobState): JobPhase =>
  ACTIVE_JOB_STATES.includes(state) ? 'running' : state === JobState.Completed ? 'ready' : 'failed';

const isTrackable = (kind: JobKind, subjectType: string) => kind === JobKind.FinalizeReport && subjectType === 'report';

type Listener = () => void;

/**
 * The finalizations of this tab. The jobs API is the truth (`applyView`), socket events the fast
 * path (`applyEvent`); both are merged here so neither can move a finished job back to running.
 * Kept in sessionStorage so a reload knows which finished jobs to ask about.
 */
export class JobStore {
  private jobs: TrackedJob[];
  private readonly buffered = new Map<string, JobEvent>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Storage | null = safeSessionStorage()) {
    this.jobs = this.load();
  }

  getSnapshot = (): TrackedJob[] => this.jobs;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (jobId: string): TrackedJob | undefined => this.jobs.find((j) => j.jobId === jobId);

  forReport = (reportId: string): TrackedJob | undefined => this.jobs.find((j) => j.reportId === reportId);

  /** Starts following a job just accepted (202); replaces an earlier job of the same report. */
  track = (accepted: FinalizeAccepted): void => {
    const job: TrackedJob = {
      jobId: accepted.jobId,
      kind: accepted.kind,
      reportId: accepted.reportId,
      state: accepted.state,
      progress: 0,
      stage: null,
      failedReason: null,
      waitingFor: null,
      version: null,
      protocolId: this.forReport(accepted.reportId)?.protocolId ?? null,
    };
    this.set([job, ...this.jobs.filter((j) => j.reportId !== job.reportId && j.jobId !== job.jobId)].slice(0, MAX_TRACKED));
    const early = this.buffered.get(job.jobId);
    if (early) {
      this.buffered.delete(job.jobId);
      this.applyEvent(early);
    }
  };

  /** A socket event. Untracked jobs are remembered briefly (see MAX_BUFFERED), never shown. */
  applyEvent = (e: JobEvent): void => {
    if (!this.get(e.jobId)) {
      if (!isTrackable(e.kind, e.subject.type)) return;
      this.buffered.delete(e.jobId);
      this.buffered.set(e.jobId, e);
      if (this.buffered.size > MAX_BUFFERED) this.buffered.delete(this.buffered.keys().next().value as string);
      return;
    }
    this.patch(e.jobId, { state: e.state, progress: e.progress, stage: e.stage, failedReason: e.failedReason ?? null, waitingFor: e.waitingFor ?? null });
  };

  /**
   * The job as the API sees it. `adopt` follows jobs this tab did not start (the user's active
   * jobs after a reload); otherwise only tracked jobs are updated.
   */
  applyView = (v: JobView, adopt = false): void => {
    const version = v.result && 'version' in v.result ? v.result.version : null;
    if (!this.get(v.id)) {
      if (!adopt || !isTrackable(v.kind, v.subject.type)) return;
      this.track({ jobId: v.id, kind: v.kind, state: v.state, reportId: v.subject.id });
    }
    this.patch(v.id, { state: v.state, progress: v.progress, stage: v.stage, failedReason: v.failedReason, waitingFor: v.waitingFor, ...(version !== null && { version }) }, true);
  };

  /** `report:ready`: the newest running or finished job of that report is done. */
  reportReady = (e: { reportId: string; version: number; protocolId: string }): void => {
    const job = this.forReport(e.reportId);
    if (!job) return;
    this.patch(job.jobId, { state: JobState.Completed, progress: 100, version: e.version, protocolId: e.protocolId });
  };

  /** The user closed the toast: stop following the job. */
  dismiss = (jobId: string): void => {
    if (this.get(jobId)) this.set(this.jobs.filter((j) => j.jobId !== jobId));
  };

  clear = (): void => {
    this.buffered.clear();
    if (this.jobs.length) this.set([]);
  };

  /**
   * A finished job stays finished whatever arrives later (a stale progress event); progress never
   * goes back while running. The API (`authoritative`) may still move a job from running to done
   * or from failed to running (a retry of Bull's own).
   */
  private patch(jobId: string, p: Partial<TrackedJob>, authoritative = false): void {
    const cur = this.get(jobId);
    if (!cur) return;
    if (phaseOf(cur.state) !== 'running' && !authoritative && (p.state === undefined || phaseOf(p.state) === 'running')) {
      // Only fill in what the outcome lacked (the version of a completed job).
      if (p.version == null && p.protocolId == null) return;
      p = { version: p.version ?? cur.version, protocolId: p.protocolId ?? cur.protocolId };
    }
    const next: TrackedJob = { ...cur, ...p };
    if (phaseOf(next.state) === 'running' && phaseOf(cur.state) === 'running') next.progress = Math.max(cur.progress, next.progress);
    if (phaseOf(next.state) === 'ready') next.progress = 100;
    if (phaseOf(next.state) === 'ready' && cur.version !== null && next.version === null) next.version = cur.version;
    if (JSON.stringify(next) === JSON.stringify(cur)) return;
    this.set(this.jobs.map((j) => (j.jobId === jobId ? next : j)));
  }

  private set(jobs: TrackedJob[]): void {
    this.jobs = jobs;
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(jobs));
    } catch {
      // Storage full or disabled: tracking still works for this page.
    }
    for (const l of this.listeners) l();
  }

  private load(): TrackedJob[] {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed.filter(isTracked).slice(0, MAX_TRACKED) as TrackedJob[]) : [];
    } catch {
      return [];
    }
  }
}

function isTracked(v: unknown): boolean {
  const j = v as TrackedJob;
  return typeof j === 'object' && j !== null && typeof j.jobId === 'string' && typeof j.reportId === 'string' && typeof j.state === 'string';
}

function safeSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The tab's one store. */
export const jobStore = new JobStore();

export function useTrackedJobs(store: JobStore = jobStore): TrackedJob[] {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The finalization of one report this tab follows, if any. */
export function useReportJob(reportId: string | null | undefined, store: JobStore = jobStore): TrackedJob | undefined {
  const jobs = useTrackedJobs(store);
  return reportId ? jobs.find((j) => j.reportId === reportId) : undefined;
}

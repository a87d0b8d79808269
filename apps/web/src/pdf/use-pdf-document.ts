import type { ErrorBody, JobAccepted } from '@vetlab/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiClient, ApiError } from '../api/api-client';

export type PdfState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; url: string; filename: string; size: number }
  /** 202: the server is rendering it; ask again later (or when a ready event arrives). */
  | { kind: 'pending'; accepted: Partial<JobAccepted> | null }
  /** 404: there is no such PDF (yet). */
  | { kind: 'missing' }
  /** What went wrong: an ApiError (status and the error body with its code) or the fetch's own failure. */
  | { kind: 'error'; error: unknown };

export interface PdfPending {
  path: string;
  /** The 202 body (job id and state), when the server sent one. */
  accepted: Partial<JobAccepted> | null;
  /** Fetches the document again, e.g. when a `report:ready` event arrives. */
  retry: () => void;
}

/** Called on a 202; may return a cleanup (unsubscribe) that runs when the viewer closes or retries. */
export type OnPdfPending = (pending: PdfPending) => void | (() => void);

/** filename*=UTF-8''… (RFC 6266) wins over filename="…"; null when the header names none. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)?'[^']*'([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed escape: fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name || null;
}

/**
 * Fetches a PDF with the session (the API wants the bearer token, which an <iframe src> or a new
 * window cannot send) and exposes it as a blob URL. The URL is revoked when the path changes,
 * on retry and on unmount, so closed documents do not stay in memory.
 */
export function usePdfDocument(api: ApiClient, path: string | null, fallbackName: string, onPending?: OnPdfPending) {
  const [state, setState] = useState<PdfState>({ kind: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const pendingRef = useRef(onPending);
  pendingRef.current = onPending;

  useEffect(() => {
    if (!path) {
      setState({ kind: 'idle' });
      return;
    }
    let alive = true;
    let url: string | null = null;
    let stopPending: (() => void) | void = undefined;
    setState({ kind: 'loading' });
    (async () => {
      const res = await api.fetchRaw(path, { Accept: 'application/pdf' });
      if (!alive) return;
      if (res.status === 202) {
        const accepted = (await res.json().catch(() => null)) as Partial<JobAccepted> | null;
        if (!alive) return;
        setState({ kind: 'pending', accepted });
        stopPending = pendingRef.current?.({ path, accepted, retry });
      } else if (res.status === 404) {
        setState({ kind: 'missing' });
      } else if (!res.ok) {
        const body = (await res.json().catch(() => null)) as ErrorBody | null;
        if (alive) setState({ kind: 'error', error: new ApiError(res.status, body) });
      } else {
        const raw = await res.blob();
        if (!alive) return;
        const blob = raw.type === 'application/pdf' ? raw : new Blob([raw], { type: 'application/pdf' });
        url = URL.createObjectURL(blob);
        const filename = filenameFromDisposition(res.headers.get('Content-Disposition')) ?? fallbackName;
        setState({ kind: 'ready', url, filename, size: blob.size });
      }
    })().catch((err: unknown) => {
      if (alive) setState({ kind: 'error', error: err });
    });
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
      if (typeof stopPending === 'function') stopPending();
    };
  }, [api, path, fallbackName, attempt, retry]);

  return { state, retry };
}

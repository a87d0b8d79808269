import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/api-client';
import type { LiveSocket } from '../realtime/live-socket';
import { followWorkOrderPdf } from './work-order-pdf';

/** Just enough of a socket: on/off and a way to deliver an event. */
function fakeSocket() {
  const handlers = new Map<string, Set<(...a: unknown[]) => void>>();
  const socket = {
    on: (e: string, f: (...a: unknown[]) => void) => handlers.set(e, (handlers.get(e) ?? new Set()).add(f)),
    off: (e: string, f: (...a: unknown[]) => void) => handlers.get(e)?.delete(f),
  };
  const deliver = (e: string, payload?: unknown) => [...(handlers.get(e) ?? [])].forEach((f) => f(payload));
  const listening = () => [...handlers.values()].reduce((n, s) => n + s.size, 0);
  return { socket: socket as unknown as LiveSocket, deliver, listening };
}

const accepted = { jobId: 'j1', kind: 'work_order_pdf' as const, state: 'queued' as const, workOrderId: 'w1' };

function setup(jobState = 'active') {
  const api = new ApiClient();
  const get = vi.spyOn(api, 'get').mockResolvedValue({ id: 'j1', state: jobState });
  const retry = vi.fn();
  const s = fakeSocket();
  const stop = followWorkOrderPdf(api, s.socket, { path: '/work-orders/w1/pdf', accepted, retry });
  return { ...s, get, retry, stop };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('followWorkOrderPdf', () => {
  it('fetches again on work-order-pdf:ready for its work order only, once, and stops listening', async () => {
    const { deliver, retry, listening, get } = setup();
    await flush();
    expect(get).toHaveBeenCalledWith('/jobs/j1');
    deliver('work-order-pdf:ready', { workOrderId: 'other', version: 1 });
    expect(retry).not.toHaveBeenCalled();
    deliver('work-order-pdf:ready', { workOrderId: 'w1', version: 1 });
    deliver('job:completed', { jobId: 'j1' });
    expect(retry).toHaveBeenCalledTimes(1);
    expect(listening()).toBe(0);
  });

  it('a job that ended before we listened, or while the socket was away, is found through the jobs API', async () => {
    const { retry } = setup('completed');
    await flush();
    expect(retry).toHaveBeenCalledTimes(1);

    const later = setup('active');
    await flush();
    expect(later.retry).not.toHaveBeenCalled();
    later.get.mockResolvedValue({ id: 'j1', state: 'completed' });
    later.deliver('connect');
    await flush();
    expect(later.retry).toHaveBeenCalledTimes(1);
  });

  it('the cleanup unsubscribes without fetching', () => {
    const { stop, deliver, retry, listening } = setup();
    stop();
    deliver('work-order-pdf:ready', { workOrderId: 'w1', version: 1 });
    expect(retry).not.toHaveBeenCalled();
    expect(listening()).toBe(0);
  });
});

import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Profiler } from 'react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { OpsPage } from './ops-page';
import { card, fakeSocket, overview, pause, WithSocket } from './test-support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openConsole(route: (url: URL, init?: RequestInit) => Response | null = () => null) {
  const live = fakeSocket();
  const { api, calls } = await signedInApi(USERS.admin, (url, init) => route(url, init) ?? (url.pathname === '/api/ops/overview' ? json(overview()) : json({ statusCode: 404, error: 'Not Found', message: url.pathname }, 404)));
  let renders = 0;
  const view = renderWithProviders(
    <WithSocket socket={live.socket}>
      <Profiler id="ops" onRender={() => void renders++}>
        <OpsPage />
      </Profiler>
    </WithSocket>,
    { api, at: '/ops' },
  );
  await screen.findByTestId('queue-reports');
  return { ...live, ...view, api, calls, renders: () => renders };
}

describe('OpsPage', () => {
  it('shows one card per queue in the lab’s words, and asks for live updates instead of polling', async () => {
    const c = await openConsole();
    for (const name of ['Informes', 'PDF de órdenes', 'Lotes', 'Correo']) expect(screen.getByRole('heading', { name })).toBeInTheDocument();
    expect(c.sent).toContain('ops:watch');
    expect(within(screen.getByTestId('queue-reports')).getByText('2 hilos de PDF')).toBeInTheDocument();
    expect(within(screen.getByTestId('queue-mail')).getByText('1 proceso')).toBeInTheDocument();
    await sleep(300);
    expect(c.calls.filter((u) => u.pathname === '/api/ops/overview')).toHaveLength(1);
    c.unmount();
    expect(c.sent).toContain('ops:unwatch');
  });

  it('a burst of 100 overview events costs at most 5 renders a second and ends on the newest counts', async () => {
    const c = await openConsole();
    await sleep(100);
    const waiting = () => within(screen.getByTestId('queue-reports')).getByTestId('count-waiting');
    // Every value the page shows on its way: one per overview it applied.
    const shown: string[] = [];
    const watch = new MutationObserver(() => shown.push(waiting().textContent ?? ''));
    watch.observe(screen.getByTestId('queue-reports'), { subtree: true, childList: true, characterData: true });
    const before = c.renders();
    const started = performance.now();
    // Each event in a task of its own, as from a socket (outside act()): unthrottled, each one is a render.
    for (let i = 1; i <= 100; i++) {
      await sleep(0);
      const at = new Date(Date.UTC(2026, 11, 2, 16, 0, 1) + i).toISOString();
      c.serverEmit('ops:overview', overview({ queues: [card('reports', { counts: { waiting: i, active: 1, delayed: 0, failed: 0, completed: 5, paused: 0 } }), card('work-order-pdfs'), card('bulk'), card('mail')] }, at));
    }
    await waitFor(() => expect(waiting()).toHaveTextContent('100'), { timeout: 5000 });
    await sleep(400);
    watch.disconnect();
    const seconds = (performance.now() - started) / 1000;
    const applied = new Set(shown).size;
    // At most 5 overviews shown a second (plus the first frame), whatever this machine's speed…
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThanOrEqual(Math.ceil(seconds * 5) + 1);
    // …and React commits stay far from one per event (the charts may add a commit of their own).
    expect(c.renders() - before).toBeLessThan(40);
    // A late snapshot never moves the page backwards.
    act(() => c.serverEmit('ops:overview', overview({}, '2026-12-02T15:00:00.000Z')));
    await sleep(300);
    expect(waiting()).toHaveTextContent('100');
  });

  it('warns of a low data disk, once per machine with its least room, and says nothing of disks with room', async () => {
    const GiB = 2 ** 30;
    const worker = (id: string, host: string, freeBytes: number, low: boolean) => ({
      id,
      host,
      pid: 7,
      queues: [],
      renderThreads: 1,
      disk: { freeBytes, totalBytes: 64 * GiB, low },
      startedAt: '2026-12-02T10:00:00.000Z',
      lastSeenAt: '2026-12-02T16:00:00.000Z',
    });
    const c = await openConsole();
    expect(screen.queryByTestId('ops-disk-low')).toBeNull();
    act(() =>
      c.serverEmit(
        'ops:overview',
        overview({ workers: [worker('a', 'lab-1', 300 * 2 ** 20, true), worker('b', 'lab-1', 310 * 2 ** 20, true), worker('c', 'lab-2', 40 * GiB, false), worker('d', 'lab-3', 1.5 * GiB, true)] }, '2026-12-02T16:00:05.000Z'),
      ),
    );
    const alert = await screen.findByTestId('ops-disk-low');
    expect(within(alert).getByText('Queda poco espacio en disco')).toBeInTheDocument();
    expect(within(alert).getAllByTestId('ops-disk-line').map((l) => l.textContent)).toEqual(['lab-1: 300 MB libres de 64 GB.', 'lab-3: 1,5 GB libres de 64 GB.']);
    expect(alert).toHaveTextContent(/siguen solos cuando vuelve a haber espacio/);
    act(() => c.serverEmit('ops:overview', overview({ workers: [worker('a', 'lab-1', 40 * GiB, false)] }, '2026-12-02T16:00:10.000Z')));
    await waitFor(() => expect(screen.queryByTestId('ops-disk-low')).toBeNull());
  });

  it('shows a paused queue with its reason, and resumes it', async () => {
    let paused = true;
    const c = await openConsole((url, init) => {
      if (url.pathname === '/api/ops/overview') return json(overview({ queues: [card('reports'), card('work-order-pdfs', { pause: paused ? pause('work-order-pdfs') : null }), card('bulk'), card('mail')] }));
      if (url.pathname === '/api/ops/queues/work-order-pdfs/resume' && init?.method === 'POST') {
        paused = false;
        return new Response(null, { status: 204 });
      }
      return null;
    });
    const wo = screen.getByTestId('queue-work-order-pdfs');
    expect(within(wo).getByTestId('queue-paused')).toHaveTextContent('En pausa');
    expect(within(wo).getByTestId('queue-pause-detail')).toHaveTextContent('«printer maintenance» · Ada Admin');
    fireEvent.click(within(wo).getByRole('button', { name: 'Reanudar' }));
    await waitFor(() => expect(screen.getByTestId('queue-work-order-pdfs').dataset.paused).toBe('false'));
    expect(c.calls.filter((u) => u.pathname === '/api/ops/overview').length).toBeGreaterThan(1);
  });

  it('pauses a queue: a reason is required and the minutes default to 30', async () => {
    let body: unknown = null;
    await openConsole((url, init) => {
      if (url.pathname === '/api/ops/queues/bulk/pause' && init?.method === 'POST') {
        body = JSON.parse(String(init.body));
        return json(pause('bulk'));
      }
      return null;
    });
    fireEvent.click(within(screen.getByTestId('queue-bulk')).getByRole('button', { name: 'Pausar' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('Minutos hasta reanudar sola')).toHaveValue('30');
    fireEvent.click(within(dialog).getByTestId('pause-confirm'));
    expect(await within(dialog).findByText('Escribe un motivo de al menos 3 caracteres.')).toBeInTheDocument();
    expect(body).toBeNull();
    fireEvent.change(within(dialog).getByLabelText(/Motivo/), { target: { value: 'database migration' } });
    fireEvent.click(within(dialog).getByTestId('pause-confirm'));
    await waitFor(() => expect(body).toEqual({ reason: 'database migration', minutes: 30 }));
  });

  it('retries every failed job of a queue after asking, and says how many in Spanish plurals', async () => {
    let retried = 0;
    await openConsole((url, init) => {
      if (url.pathname === '/api/ops/overview') return json(overview({ queues: [card('reports', { counts: { waiting: 0, active: 0, delayed: 0, failed: 3, completed: 9, paused: 0 } }), card('work-order-pdfs'), card('bulk'), card('mail', { counts: { waiting: 0, active: 0, delayed: 0, failed: 2, completed: 0, paused: 0 } })] }));
      if (url.pathname === '/api/ops/queues/reports/retry-failed' && init?.method === 'POST') return json({ count: ++retried === 1 ? 3 : 1 });
      return null;
    });
    const reports = screen.getByTestId('queue-reports');
    expect(within(reports).getByRole('link', { name: '3' })).toHaveAttribute('href', '/ops?tab=jobs&queue=reports&state=failed');
    // Mail has no job records: its failed count leads to the mail log, and it is resent from there.
    expect(within(screen.getByTestId('queue-mail')).getByRole('link', { name: '2' })).toHaveAttribute('href', '/ops?tab=mails&status=failed');
    expect(within(screen.getByTestId('queue-mail')).queryByTestId('queue-retry-failed')).not.toBeInTheDocument();
    fireEvent.click(within(reports).getByTestId('queue-retry-failed'));
    fireEvent.click(await screen.findByTestId('queue-retry-failed-confirm'));
    expect(await screen.findByText('Se volvieron a encolar 3 trabajos.')).toBeInTheDocument();
  });

  it('says when Redis does not answer, and when the overview cannot be loaded', async () => {
    await openConsole((url) => (url.pathname === '/api/ops/overview' ? json(overview({ redis: false })) : null));
    expect(screen.getByTestId('ops-redis-down')).toBeInTheDocument();
  });
});

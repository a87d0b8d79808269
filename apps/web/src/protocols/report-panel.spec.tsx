import type { ProtocolDetail, ReportVersionView, ReportView } from '@vetlab/shared';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jobStore } from '../jobs/job-store';
import { fakeSocket, WithSocket } from '../ops/test-support';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { ReportPanel } from './report-panel';

vi.mock('../results/result-entry', () => ({
  ResultEntry: ({ report }: { report: ReportView }) => <div data-testid="result-entry">{report.id}</div>,
}));

const PROTOCOL = { id: 'p1', code: 'P-2026-000001', reportId: 'r1' } as ProtocolDetail;
const draft = (over: Partial<ReportVersionView> = {}): ReportVersionView => ({
  id: 'rv1',
  number: 1,
  status: 'draft',
  observations: null,
  signer: null,
  finalizedAt: null,
  failureReason: null,
  supersedesNumber: null,
  amendReason: null,
  invalidatedAt: null,
  invalidatedBy: null,
  invalidationReason: null,
  supersededByNumber: null,
  lockVersion: 1,
  complete: true,
  createdAt: '2026-03-01T12:00:00.000Z',
  rows: [],
  ...over,
});
const report = (v: ReportVersionView): ReportView => ({ id: 'r1', protocolId: 'p1', protocolCode: PROTOCOL.code, versions: [v] });
const signer = { ...USERS.staff, signer: true };

beforeEach(() => jobStore.clear());

describe('ReportPanel finalize', () => {
  it('lets a signer finalize a complete draft and tracks the job', async () => {
    const { api, calls } = await signedInApi(signer, (url, init) => {
      if (url.pathname === '/api/reports/r1/finalize' && init?.method === 'POST') return json({ jobId: 'j1', kind: 'finalize_report', state: 'queued', reportId: 'r1' }, 202);
      if (url.pathname === '/api/reports/r1/mails') return json([]);
      return json(report(draft()));
    });
    renderWithProviders(<ReportPanel protocol={PROTOCOL} isLab />, { api });
    const button = await screen.findByRole('button', { name: 'Finalizar informe' });
    expect(button).toBeEnabled();
    fireEvent.click(button);
    await waitFor(() => expect(jobStore.forReport('r1')?.jobId).toBe('j1'));
    expect(calls.filter((u) => u.pathname === '/api/reports/r1/finalize')).toHaveLength(1);
  });

  it('is disabled with a hint while results are missing', async () => {
    const { api } = await signedInApi(signer, (url) => (url.pathname === '/api/reports/r1/mails' ? json([]) : json(report(draft({ complete: false })))));
    renderWithProviders(<ReportPanel protocol={PROTOCOL} isLab />, { api });
    expect(await screen.findByRole('button', { name: 'Finalizar informe' })).toBeDisabled();
    expect(screen.getByText('Complete todos los resultados antes de finalizar.')).toBeInTheDocument();
  });

  it('shows the button for a failed finalization but not to staff who cannot sign', async () => {
    const failed = report(draft({ status: 'finalize_failed', failureReason: 'SMTP' }));
    const a = await signedInApi(USERS.admin, (url) => (url.pathname === '/api/reports/r1/mails' ? json([]) : json(failed)));
    const first = renderWithProviders(<ReportPanel protocol={PROTOCOL} isLab />, { api: a.api });
    expect(await screen.findByRole('button', { name: 'Finalizar informe' })).toBeEnabled();
    first.unmount();
    const b = await signedInApi(USERS.staff, (url) => (url.pathname === '/api/reports/r1/mails' ? json([]) : json(failed)));
    renderWithProviders(<ReportPanel protocol={PROTOCOL} isLab />, { api: b.api });
    await screen.findByTestId('report-versions');
    expect(screen.queryByRole('button', { name: 'Finalizar informe' })).not.toBeInTheDocument();
  });
});

describe('ReportPanel PDF', () => {
  it('opens a version whose PDF is still being rendered by itself on report:ready', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:report-1');
    URL.revokeObjectURL = vi.fn();
    const finalized = draft({ status: 'finalized', finalizedAt: '2026-03-02T12:00:00.000Z', signer: { id: 's1', name: 'Dr. Firma' } });
    let pdfAsks = 0;
    const { api } = await signedInApi(USERS.vet, (url) => {
      if (url.pathname === '/api/reports/r1/versions/1/pdf') {
        return ++pdfAsks === 1
          ? json({ jobId: 'j9', kind: 'report_pdf', state: 'queued', reportId: 'r1', version: 1 }, 202)
          : new Response(new Uint8Array([0x25, 0x50, 0x44, 0x46]), { status: 200, headers: { 'Content-Type': 'application/pdf' } });
      }
      if (url.pathname === '/api/jobs/j9') return json({ id: 'j9', state: 'active' });
      return json(report(finalized));
    });
    const live = fakeSocket();
    renderWithProviders(
      <WithSocket socket={live.socket}>
        <ReportPanel protocol={PROTOCOL} isLab={false} />
      </WithSocket>,
      { api },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Ver PDF' }));
    const state = () => screen.getByTestId('pdf-viewer').getAttribute('data-state');
    await waitFor(() => expect(state()).toBe('pending'));
    live.serverEmit('report:ready', { reportId: 'r1', version: 2, protocolId: 'p1' });
    live.serverEmit('report:ready', { reportId: 'other', version: 1, protocolId: 'p2' });
    expect(pdfAsks).toBe(1);
    live.serverEmit('report:ready', { reportId: 'r1', version: 1, protocolId: 'p1' });
    await waitFor(() => expect(state()).toBe('ready'));
    expect(pdfAsks).toBe(2);
    expect(live.listeners('report:ready')).toBe(0);
    // @ts-expect-error -- jsdom had none to restore
    delete URL.createObjectURL;
    // @ts-expect-error -- idem
    delete URL.revokeObjectURL;
  });
});

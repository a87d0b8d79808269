import type { ProtocolDetail, ReportVersionView, ReportView } from '@vetlab/shared';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jobStore } from '../jobs/job-store';
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

import type { ProtocolDetail, ReportVersionView, ReportView, WorkOrderView } from '@vetlab/shared';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { ProtocolDetailPage } from './protocol-detail-page';

// The other engineer's components: here we only check that they are mounted, and with what.
vi.mock('../results/result-entry', () => ({
  ResultEntry: ({ report }: { report: ReportView }) => <div data-testid="result-entry">{report.id}</div>,
}));
vi.mock('../work-orders/work-order-editor', () => ({
  WorkOrderEditor: ({ workOrder }: { workOrder: WorkOrderView }) => <div data-testid="work-order-editor">{workOrder.contentVersion}</div>,
}));
vi.mock('../staff/intake-actions', () => ({
  IntakeActions: ({ protocol }: { protocol: ProtocolDetail }) => <div data-testid="intake-actions">{protocol.code}</div>,
}));

const ID = '00000000-0000-4000-8000-000000000001';
const PROTOCOL: ProtocolDetail = {
  id: ID,
  code: 'P-2026-000001',
  status: 'rejected',
  priority: 'stat',
  clinic: { id: 'c1', name: 'Clínica Norte' },
  vet: { id: 'v1', name: 'Dra. Vet' },
  animalName: 'Luna',
  species: 'cat',
  ownerName: 'Ana Pérez',
  createdAt: '2026-03-01T10:00:00.000Z',
  receivedAt: '2026-03-01T12:00:00.000Z',
  breed: 'Siamés',
  sex: 'female',
  ageMonths: 30,
  ownerPhone: '600 000 000',
  ownerEmail: null,
  samples: [{ type: 'serum', count: 2 }],
  panels: [{ id: 'p1', code: 'BQ', name: 'Perfil bioquímico' }],
  notes: 'Ayuno de 12 h',
  receivedBy: { id: 's1', name: 'Laura' },
  rejectionReason: 'Muestra hemolizada',
  version: 3,
  workOrderId: 'wo1',
  reportId: 'r1',
  availableActions: [],
};
const WORK_ORDER: WorkOrderView = {
  id: 'wo1',
  protocolId: ID,
  protocolCode: PROTOCOL.code,
  priority: 'stat',
  instructions: 'Procesar primero',
  sections: [
    { section: 'bioquimica_serica', sampleType: 'serum', requirement: '0,5 ml de suero', analytes: [{ code: 'GLU', name: 'Glucosa' }] },
  ],
  contentVersion: 4,
  updatedAt: '2026-03-01T12:00:00.000Z',
};
const version = (number: number, over: Partial<ReportVersionView> = {}): ReportVersionView => ({
  id: `rv${number}`,
  number,
  status: 'finalized',
  observations: null,
  signer: { id: 's2', name: 'Dr. Firmante' },
  finalizedAt: '2026-03-02T09:00:00.000Z',
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
  rows: [
    {
      id: `row${number}`,
      analyteId: 'a1',
      code: 'GLU',
      name: 'Glucosa',
      section: 'bioquimica_serica',
      unit: 'mg/dL',
      kind: 'numeric',
      value: '180',
      numericValue: 180,
      flag: 'high',
      range: { low: 70, high: 150 },
    },
  ],
  ...over,
});
const report = (versions: ReportVersionView[]): ReportView => ({ id: 'r1', protocolId: ID, protocolCode: PROTOCOL.code, versions });

async function setup(user: keyof typeof USERS, opts: { report?: ReportView; at?: string; protocolStatus?: number } = {}) {
  const { api, calls } = await signedInApi(USERS[user], (url) => {
    if (url.pathname === `/api/protocols/${ID}`) return opts.protocolStatus ? json({ message: 'protocol not found' }, opts.protocolStatus) : json(PROTOCOL);
    if (url.pathname === '/api/work-orders/wo1') return json(WORK_ORDER);
    if (url.pathname === '/api/reports/r1') return json(opts.report ?? report([version(1)]));
    if (url.pathname === '/api/audit') return json({ items: [], total: 0, page: 1, pageSize: 10 });
    return json({ message: 'not found' }, 404);
  });
  const fetchRaw = vi.spyOn(api, 'fetchRaw').mockResolvedValue(new Response(null, { status: 404 }));
  renderWithProviders(<ProtocolDetailPage />, { api, at: opts.at ?? `/protocols/${ID}`, path: '/protocols/:id' });
  return { calls, fetchRaw };
}

describe('ProtocolDetailPage', () => {
  it('shows the header, the cards and the work order, with the lab tools for staff', async () => {
    await setup('staff');
    expect(await screen.findByTestId('protocol-code')).toHaveTextContent('P-2026-000001');
    expect(screen.getByTestId('status-badge')).toHaveTextContent('Rechazado');
    expect(screen.getByTestId('rejection-reason')).toHaveTextContent('Muestra hemolizada');
    expect(screen.getByText('Inmediata')).toBeInTheDocument();
    expect(screen.getByText('2 años y 6 meses')).toBeInTheDocument();
    expect(screen.getByText('2 × Suero')).toBeInTheDocument();
    expect(screen.getByText('Ayuno de 12 h')).toBeInTheDocument();
    expect(screen.getByTestId('intake-actions')).toHaveTextContent('P-2026-000001');
    const section = await screen.findByTestId('work-order-section');
    expect(section).toHaveTextContent('Bioquímica sérica');
    expect(section).toHaveTextContent('0,5 ml de suero');
    expect(section).toHaveTextContent('GLU');
    expect(screen.getByTestId('work-order-version')).toHaveTextContent('Versión 4');
    expect(screen.getByTestId('work-order-editor')).toHaveTextContent('4');
  });

  it('gives the lab a history tab with the report’s, the protocol’s and the work order’s entries; vets have none', async () => {
    const { calls } = await setup('staff', { at: `/protocols/${ID}?tab=history` });
    const histories = await screen.findAllByTestId('history');
    expect(histories.map((h) => h.getAttribute('data-entity'))).toEqual(['report', 'protocol', 'work_order']);
    await waitFor(() =>
      expect(calls.filter((u) => u.pathname === '/api/audit').map((u) => `${u.searchParams.get('entity')}:${u.searchParams.get('entityId')}`).sort()).toEqual([`protocol:${ID}`, 'report:r1', 'work_order:wo1']),
    );
    cleanup();
    await setup('vet', { at: `/protocols/${ID}?tab=history` });
    expect(await screen.findByTestId('protocol-code')).toBeInTheDocument();
    expect(screen.queryByTestId('history-tab')).toBeNull();
    expect(screen.queryByTestId('history')).toBeNull();
  });

  it('gives a vet the read-only report with flags and a PDF viewer that copes with a missing PDF', async () => {
    const { fetchRaw } = await setup('vet', { at: `/protocols/${ID}?tab=report` });
    const versions = await screen.findAllByTestId('report-version');
    expect(versions).toHaveLength(1);
    expect(within(versions[0]).getByTestId('report-status-badge')).toHaveTextContent('Finalizado');
    expect(within(versions[0]).getByText('Dr. Firmante')).toBeInTheDocument();
    expect(screen.getByTestId('flag-GLU')).toHaveAttribute('data-flag', 'high');
    expect(screen.getByText('70–150')).toBeInTheDocument();
    expect(screen.getByTestId('result-rows')).toHaveTextContent('180');
    expect(screen.queryByTestId('intake-actions')).not.toBeInTheDocument();
    expect(screen.queryByTestId('result-entry')).not.toBeInTheDocument();

    fireEvent.click(within(versions[0]).getByRole('button', { name: 'Ver PDF' }));
    await waitFor(() => expect(fetchRaw).toHaveBeenCalledWith('/reports/r1/versions/1/pdf', { Accept: 'application/pdf' }));
    await waitFor(() => expect(screen.getByTestId('pdf-viewer')).toHaveAttribute('data-state', 'missing'));
  });

  it('lists versions newest first and mounts result entry on the lab draft', async () => {
    await setup('staff', {
      at: `/protocols/${ID}?tab=report`,
      report: report([version(2, { status: 'draft', signer: null, finalizedAt: null, complete: false, supersedesNumber: 1 }), version(1, { status: 'superseded' })]),
    });
    const versions = await screen.findAllByTestId('report-version');
    expect(versions.map((v) => v.getAttribute('data-version'))).toEqual(['2', '1']);
    expect(within(versions[0]).getByText('Faltan resultados')).toBeInTheDocument();
    expect(within(versions[0]).getByText('Corrige la versión 1')).toBeInTheDocument();
    expect(within(versions[0]).queryByRole('button', { name: 'Ver PDF' })).not.toBeInTheDocument();
    expect(screen.getByTestId('result-entry')).toHaveTextContent('r1');
    expect(screen.queryByTestId('result-rows')).not.toBeInTheDocument();

    fireEvent.click(within(versions[1]).getByRole('button', { name: 'Ver resultados' }));
    expect(await screen.findByTestId('result-rows')).toBeInTheDocument();
    expect(screen.queryByTestId('result-entry')).not.toBeInTheDocument();
  });

  it('says when there is no report yet', async () => {
    await setup('vet', { at: `/protocols/${ID}?tab=report`, report: report([]) });
    expect(await screen.findByTestId('report-empty')).toHaveTextContent('El informe estará disponible cuando el laboratorio lo finalice.');
  });

  it('shows a friendly not-found state on 404', async () => {
    await setup('vet', { protocolStatus: 404 });
    expect(await screen.findByTestId('protocol-not-found')).toHaveTextContent('Protocolo no encontrado');
    expect(screen.getAllByRole('link', { name: /Volver a protocolos/ })[0]).toHaveAttribute('href', '/protocols');
  });
});

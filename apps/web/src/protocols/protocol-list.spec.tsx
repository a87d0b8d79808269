import type { Page, ProtocolSummary } from '@vetlab/shared';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ProtocolList } from './protocol-list';

const protocol = (n: number, over: Partial<ProtocolSummary> = {}): ProtocolSummary => ({
  id: `p${n}`,
  code: `P-2026-${String(n).padStart(5, '0')}`,
  status: 'submitted',
  priority: 'routine',
  clinic: { id: 'c1', name: 'Clínica Norte' },
  vet: null,
  animalName: `Animal ${n}`,
  species: 'dog',
  ownerName: 'Dueño',
  createdAt: '2026-03-01T10:00:00.000Z',
  receivedAt: null,
  ...over,
});
const page = (items: ProtocolSummary[], total: number, p = 1): Page<ProtocolSummary> => ({ items, total, page: p, pageSize: 25 });

describe('ProtocolList', () => {
  it('shows code, animal, clinic and the status in Spanish', async () => {
    const load = vi.fn().mockResolvedValue(page([protocol(1, { status: 'in_analysis', species: 'cat' })], 1));
    render(<ProtocolList load={load} />);
    expect(screen.getByText('Cargando protocolos…')).toBeInTheDocument();
    expect(await screen.findByText('P-2026-00001')).toBeInTheDocument();
    expect(screen.getByText('En análisis')).toBeInTheDocument();
    expect(screen.getByText('Clínica Norte')).toBeInTheDocument();
    expect(screen.getByText('(Gato)')).toBeInTheDocument();
    expect(screen.getByText('Página 1 de 1')).toBeInTheDocument();
  });

  it('says so when there are no protocols', async () => {
    render(<ProtocolList load={vi.fn().mockResolvedValue(page([], 0))} />);
    expect(await screen.findByText('No hay protocolos para mostrar.')).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });

  it('pages forward and back', async () => {
    const load = vi.fn(async ({ page: p }: { page: number }) => page([protocol(p)], 30, p));
    render(<ProtocolList load={load} />);
    await screen.findByText('Página 1 de 2');
    expect(screen.getByRole('button', { name: 'Anterior' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Siguiente' }));
    expect(await screen.findByText('P-2026-00002')).toBeInTheDocument();
    expect(load).toHaveBeenLastCalledWith({ page: 2, pageSize: 25 });
    expect(screen.getByRole('button', { name: 'Siguiente' })).toBeDisabled();
  });

  it('shows an error with a retry that loads again', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('HTTP 500')).mockResolvedValueOnce(page([protocol(7)], 1));
    render(<ProtocolList load={load} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('HTTP 500');
    fireEvent.click(screen.getByRole('button', { name: 'Reintentar' }));
    expect(await screen.findByText('P-2026-00007')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

import type { ReportVersionView, ReportView, ResultRowView } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, protocolDetail as detail, renderWithApp, users } from '../intake/test-support';
import { ResultEntry } from './result-entry';

/** Row ids are UUIDs: the shared schema checks them before anything is sent. */
const rowId = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

const row = (n: number, over: Partial<ResultRowView>): ResultRowView => ({
  id: rowId(n),
  analyteId: `a${n}`,
  code: `A${n}`,
  name: `Analito ${n}`,
  section: 'bioquimica_serica',
  unit: 'mg/dL',
  kind: 'numeric',
  value: null,
  numericValue: null,
  flag: null,
  range: { low: 70, high: 143, expected: null },
  ...over,
});

const rows = (): ResultRowView[] => [
  row(1, { code: 'HTO', name: 'Hematocrito', section: 'hemograma', unit: '%', range: { low: 37, high: 55, expected: null } }),
  row(2, { code: 'GLU', name: 'Glucosa' }),
  row(3, { code: 'CREA', name: 'Creatinina', value: '1.1', range: { low: 0.5, high: 1.8, expected: null } }),
  row(4, { code: 'DIRO', name: 'Dirofilaria', section: 'serologia', kind: 'qualitative', unit: null, range: { low: null, high: null, expected: 'negativo' } }),
];

const version = (over: Partial<ReportVersionView> = {}): ReportVersionView => ({
  id: 'v1',
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
  lockVersion: 4,
  complete: false,
  createdAt: '2026-03-01T10:00:00.000Z',
  rows: rows(),
  ...over,
});
const report = (v: ReportVersionView = version()): ReportView => ({ id: 'r1', protocolId: 'p1', protocolCode: 'P-2026-00001', versions: [v] });

function setup(routes: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi(routes, users.staff);
  renderWithApp(<ResultEntry report={report()} protocol={detail({ status: 'in_analysis' })} />, { client: api.client });
  return api;
}

const type = (name: string, value: string) => fireEvent.change(screen.getByRole('textbox', { name }), { target: { value } });
const flagOf = (code: string) => screen.getByTestId(`flag-${code}`).getAttribute('data-flag');

describe('ResultEntry', () => {
  it('computes the flag live as the user types and marks what is not a number', () => {
    setup();
    expect(flagOf('GLU')).toBe('');
    expect(flagOf('CREA')).toBe('normal');
    type('Glucosa', '200');
    expect(flagOf('GLU')).toBe('high');
    expect(screen.getByTestId('flag-GLU')).toHaveTextContent('↑ alto');
    type('Glucosa', '65,5');
    expect(flagOf('GLU')).toBe('low');
    type('Glucosa', '12a');
    expect(flagOf('GLU')).toBe('');
    expect(screen.getByText('Escribe un número (p. ej. 12,5)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Guardar resultados' })).toBeDisabled();
    fireEvent.change(screen.getByRole('combobox', { name: 'Dirofilaria' }), { target: { value: 'positivo' } });
    expect(flagOf('DIRO')).toBe('abnormal');
    expect(screen.getByTestId('result-progress')).toHaveTextContent('3 de 4 resultados');
  });

  it('saves only the changed rows with the lock version', async () => {
    const api = setup({ 'PUT /reports/r1/draft': () => version({ lockVersion: 5 }) });
    type('Glucosa', '90');
    type('Creatinina', '1.1'); // unchanged: not sent
    type('Hematocrito', '30');
    fireEvent.change(screen.getByRole('textbox', { name: 'Observaciones' }), { target: { value: 'Suero lipémico' } });
    expect(screen.getByTestId('unsaved-count')).toHaveTextContent('3 cambios sin guardar');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar resultados' }));
    await waitFor(() => expect(api.callsTo('PUT', '/reports/r1/draft')).toHaveLength(1));
    expect(api.callsTo('PUT', '/reports/r1/draft')[0].body).toEqual({
      lockVersion: 4,
      results: [
        { rowId: rowId(1), value: '30' },
        { rowId: rowId(2), value: '90' },
      ],
      observations: 'Suero lipémico',
    });
  });

  it('moves to the next result on Enter', () => {
    setup();
    const hto = screen.getByRole('textbox', { name: 'Hematocrito' });
    hto.focus();
    fireEvent.keyDown(hto, { key: 'Enter' });
    expect(screen.getByRole('textbox', { name: 'Glucosa' })).toHaveFocus();
  });

  it('maps a 400 onto the row it names', async () => {
    setup({ 'PUT /reports/r1/draft': () => apiError(400, 'bad', [{ field: 'body.results.0.value', message: 'GLU needs a number (e.g. 12.5)', code: 'invalid_format' }]) });
    type('Glucosa', '90');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar resultados' }));
    expect(await screen.findByText('Formato no válido')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Glucosa' })).toHaveAttribute('aria-invalid', 'true');
  });

  it('explains a 409 and can re-apply my values over theirs', async () => {
    const theirs = version({ lockVersion: 6, rows: rows().map((r) => (r.code === 'HTO' ? { ...r, value: '40' } : r.code === 'GLU' ? { ...r, value: '100' } : r)) });
    let puts = 0;
    const api = setup({
      'PUT /reports/r1/draft': () => (++puts === 1 ? apiError(409, 'report draft was changed by someone else; reload it and apply your change again', undefined, 'STALE') : theirs),
      'GET /reports/r1': () => report(theirs),
    });
    type('Glucosa', '150');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar resultados' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Otra persona guardó cambios en este informe mientras editabas.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copiar mis valores y recargar' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('textbox', { name: 'Glucosa' })).toHaveValue('150');
    expect(screen.getByRole('textbox', { name: 'Hematocrito' })).toHaveValue('40');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar resultados' }));
    await waitFor(() => expect(api.callsTo('PUT', '/reports/r1/draft')).toHaveLength(2));
    expect(api.callsTo('PUT', '/reports/r1/draft')[1].body).toEqual({ lockVersion: 6, results: [{ rowId: rowId(2), value: '150' }] });
  });

  it('or reload their changes, dropping mine', async () => {
    const theirs = version({ lockVersion: 6, rows: rows().map((r) => (r.code === 'GLU' ? { ...r, value: '100' } : r)) });
    setup({
      'PUT /reports/r1/draft': () => apiError(409, 'report draft was changed by someone else; reload it and apply your change again', undefined, 'STALE'),
      'GET /reports/r1': () => report(theirs),
    });
    type('Glucosa', '150');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar resultados' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Recargar sus cambios' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Glucosa' })).toHaveValue('100'));
    expect(screen.getByTestId('unsaved-count')).toHaveTextContent('Todo guardado');
  });

  it('is read-only until the analysis starts', () => {
    const api = fakeApi({}, users.staff);
    renderWithApp(<ResultEntry report={report()} protocol={detail({ status: 'received' })} />, { client: api.client });
    expect(screen.getByText('Los resultados se cargan cuando el protocolo está en análisis.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Glucosa' })).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: 'Guardar resultados' })).not.toBeInTheDocument();
  });
});

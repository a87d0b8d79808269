import type { Page, ProtocolSummary } from '@vetlab/shared';
import { useCallback, useEffect, useState } from 'react';
import { formatDate, SPECIES_LABEL, STATUS_LABEL } from '../labels';

export const PAGE_SIZE = 25;

export type LoadProtocols = (query: { page: number; pageSize: number }) => Promise<Page<ProtocolSummary>>;

type State =
  | { kind: 'loading'; data: Page<ProtocolSummary> | null }
  | { kind: 'ready'; data: Page<ProtocolSummary> }
  | { kind: 'error'; message: string; data: Page<ProtocolSummary> | null };

/** One page of protocols, newest first (the API's default sort). */
export function ProtocolList({ load }: { load: LoadProtocols }) {
  const [page, setPage] = useState(1);
  const [state, setState] = useState<State>({ kind: 'loading', data: null });

  const fetchPage = useCallback(
    (p: number, isCurrent: () => boolean = () => true) => {
      setState((s) => ({ kind: 'loading', data: s.data }));
      load({ page: p, pageSize: PAGE_SIZE }).then(
        (data) => isCurrent() && setState({ kind: 'ready', data }),
        (err: unknown) =>
          isCurrent() &&
          setState((s) => ({ kind: 'error', message: (err as Error).message || 'Error desconocido', data: s.data })),
      );
    },
    [load],
  );

  useEffect(() => {
    // Ignore answers that arrive after the user moved to another page.
    let current = true;
    fetchPage(page, () => current);
    return () => {
      current = false;
    };
  }, [page, fetchPage]);

  const data = state.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <section aria-labelledby="protocols-title" aria-busy={state.kind === 'loading'}>
      <div className="section-head">
        <h2 id="protocols-title">Protocolos</h2>
        {data && <span className="muted">{data.total} en total</span>}
      </div>

      {state.kind === 'error' && (
        <div role="alert" className="error">
          No se pudieron cargar los protocolos: {state.message}{' '}
          <button type="button" onClick={() => fetchPage(page)}>
            Reintentar
          </button>
        </div>
      )}
      {state.kind === 'loading' && !data && <p className="muted">Cargando protocolos…</p>}
      {data && data.items.length === 0 && <p className="muted">No hay protocolos para mostrar.</p>}

      {data && data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Código</th>
              <th scope="col">Animal</th>
              <th scope="col">Clínica</th>
              <th scope="col">Estado</th>
              <th scope="col">Fecha</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((p) => (
              <tr key={p.id}>
                <td className="code">{p.code}</td>
                <td>
                  {p.animalName} <span className="muted">({SPECIES_LABEL[p.species] ?? p.species})</span>
                </td>
                <td>{p.clinic.name}</td>
                <td>
                  <span className={`status status-${p.status}`}>{STATUS_LABEL[p.status] ?? p.status}</span>
                </td>
                <td>{formatDate(p.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {data && data.total > 0 && (
        <nav className="pager" aria-label="Paginación">
          <button type="button" onClick={() => setPage(page - 1)} disabled={page <= 1 || state.kind === 'loading'}>
            Anterior
          </button>
          <span>
            Página {page} de {pages}
          </span>
          <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pages || state.kind === 'loading'}>
            Siguiente
          </button>
        </nav>
      )}
    </section>
  );
}

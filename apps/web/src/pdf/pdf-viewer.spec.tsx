import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/api-client';
import { renderWithProviders } from '../testing/render';
import { frameSource, PdfViewer, showsPdfInline } from './pdf-viewer';
import { filenameFromDisposition, OnPdfPending } from './use-pdf-document';

const PATH = '/reports/r1/versions/2/pdf';
const pdf = (headers: Record<string, string> = {}) =>
  new Response(new Uint8Array([0x25, 0x50, 0x44, 0x46]), { status: 200, headers: { 'Content-Type': 'application/pdf', ...headers } });
const status = (code: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status: code });

// jsdom has no object URLs; count what is created and revoked instead.
const created: string[] = [];
const revoked: string[] = [];
beforeEach(() => {
  created.length = 0;
  revoked.length = 0;
  URL.createObjectURL = vi.fn(() => {
    created.push(`blob:pdf-${created.length + 1}`);
    return created[created.length - 1];
  });
  URL.revokeObjectURL = vi.fn((u: string) => void revoked.push(u));
});
afterEach(() => {
  // @ts-expect-error -- jsdom had none to restore
  delete URL.createObjectURL;
  // @ts-expect-error -- idem
  delete URL.revokeObjectURL;
});

function open(responses: Response[], onPending?: OnPdfPending) {
  const api = new ApiClient();
  const fetchRaw = vi.spyOn(api, 'fetchRaw');
  for (const r of responses) fetchRaw.mockResolvedValueOnce(r);
  /** Owns the path like the report panel does; its button stands for closing the viewer. */
  function Harness() {
    const [path, setPath] = useState<string | null>(PATH);
    return (
      <>
        <button onClick={() => setPath(null)}>harness-close</button>
        <PdfViewer path={path} title="P-2026-000001 · Versión 2" filename="fallback.pdf" onClose={() => setPath(null)} onPending={onPending} />
      </>
    );
  }
  renderWithProviders(<Harness />, { api });
  // The modal's content is display:none while Mantine's opening transition runs in jsdom: query by test id.
  const state = () => screen.getByTestId('pdf-viewer').getAttribute('data-state');
  return { fetchRaw, state, close: () => fireEvent.click(screen.getByText('harness-close')) };
}

describe('PdfViewer', () => {
  it('shows the fetched PDF from a blob URL with a named download, and frees it on close', async () => {
    const { fetchRaw, state, close } = open([pdf({ 'Content-Disposition': `attachment; filename="informe.pdf"; filename*=UTF-8''P-2026-000001-v2%20firmado.pdf` })]);
    await waitFor(() => expect(state()).toBe('ready'));
    expect(fetchRaw).toHaveBeenCalledWith(PATH, { Accept: 'application/pdf' });
    // Opened fitted to the frame's width; the download link is the plain document.
    expect(document.querySelector('iframe')).toHaveAttribute('src', 'blob:pdf-1#view=FitH');
    const download = screen.getByTestId('pdf-download');
    expect(download).toHaveAttribute('href', 'blob:pdf-1');
    expect(download).toHaveAttribute('download', 'P-2026-000001-v2 firmado.pdf');
    expect(revoked).toEqual([]);
    close();
    await waitFor(() => expect(revoked).toEqual(['blob:pdf-1']));
  });

  it('falls back to the given file name', async () => {
    const { state } = open([pdf()]);
    await waitFor(() => expect(state()).toBe('ready'));
    expect(screen.getByTestId('pdf-download')).toHaveAttribute('download', 'fallback.pdf');
  });

  it('says "not available" on 404', async () => {
    const { state } = open([status(404, { statusCode: 404, message: 'not found' })]);
    await waitFor(() => expect(state()).toBe('missing'));
    expect(screen.getByText('El PDF no está disponible')).toBeInTheDocument();
    expect(screen.queryByTestId('pdf-download')).not.toBeInTheDocument();
  });

  it('says "being generated" on 202, hands the job to onPending, and shows the PDF after a retry', async () => {
    const stop = vi.fn();
    let pending: Parameters<OnPdfPending>[0] | null = null;
    const { state, fetchRaw } = open([status(202, { jobId: 'j1', kind: 'report_pdf', state: 'queued', reportId: 'r1' }), pdf()], (p) => {
      pending = p;
      return stop;
    });
    await waitFor(() => expect(state()).toBe('pending'));
    expect(screen.getByText('El PDF se está generando')).toBeInTheDocument();
    expect(pending).toMatchObject({ path: PATH, accepted: { jobId: 'j1', state: 'queued' } });
    act(() => pending!.retry());
    await waitFor(() => expect(state()).toBe('ready'));
    expect(fetchRaw).toHaveBeenCalledTimes(2);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('explains other errors and retries on request', async () => {
    const { state } = open([status(503, { statusCode: 503, message: 'the database is unavailable', code: 'DATABASE_UNAVAILABLE' }), pdf()]);
    await waitFor(() => expect(state()).toBe('error'));
    // The SPA's own words for the code, never the server's sentence.
    expect(screen.getByText('La base de datos no responde; inténtalo en unos segundos.')).toBeInTheDocument();
    expect(screen.queryByText('the database is unavailable')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reintentar', hidden: true }));
    await waitFor(() => expect(state()).toBe('ready'));
  });

  it('does not fetch while closed', () => {
    const api = new ApiClient();
    const fetchRaw = vi.spyOn(api, 'fetchRaw');
    renderWithProviders(<PdfViewer path={null} title="x" filename="x.pdf" onClose={() => undefined} />, { api });
    expect(fetchRaw).not.toHaveBeenCalled();
  });

  it('offers "Open" and "Download" instead of an empty frame where the browser shows no PDF inline', async () => {
    Object.defineProperty(navigator, 'pdfViewerEnabled', { value: false, configurable: true });
    try {
      const { state } = open([pdf({ 'Content-Disposition': 'inline; filename="informe.pdf"' })]);
      await waitFor(() => expect(state()).toBe('ready'));
      expect(document.querySelector('iframe')).toBeNull();
      const box = screen.getByTestId('pdf-no-inline');
      expect(box).toHaveTextContent('Este navegador no muestra PDF dentro de la página');
      const links = box.querySelectorAll('a');
      expect([...links].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('download')])).toEqual([
        ['Abrir', 'blob:pdf-1', '_blank', null],
        ['Descargar', 'blob:pdf-1', null, 'informe.pdf'],
      ]);
    } finally {
      // @ts-expect-error -- restore jsdom's navigator
      delete navigator.pdfViewerEnabled;
    }
  });
});

describe('frameSource and showsPdfInline', () => {
  it('opens the document fitted to the width', () => {
    expect(frameSource('blob:http://x/1')).toBe('blob:http://x/1#view=FitH');
  });
  it('shows inline unless the browser says it cannot', () => {
    expect(showsPdfInline({ pdfViewerEnabled: true })).toBe(true);
    expect(showsPdfInline({ pdfViewerEnabled: false })).toBe(false);
    expect(showsPdfInline({} as Navigator)).toBe(true);
    expect(showsPdfInline(undefined)).toBe(true);
  });
});

describe('filenameFromDisposition', () => {
  it('prefers the RFC 6266 extended name, then the plain one', () => {
    expect(filenameFromDisposition(`inline; filename*=UTF-8''a%C3%B1o.pdf`)).toBe('año.pdf');
    expect(filenameFromDisposition('attachment; filename="P-1.pdf"')).toBe('P-1.pdf');
    expect(filenameFromDisposition('attachment; filename=P-2.pdf')).toBe('P-2.pdf');
    expect(filenameFromDisposition('inline')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

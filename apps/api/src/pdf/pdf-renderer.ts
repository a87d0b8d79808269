import type { ReportPdfData } from './report-pdf-data';
import type { WorkOrderPdfData } from './work-order-pdf-data';

/** Documents the render pool knows how to draw. */
export type RenderRequest = { document: 'report'; data: ReportPdfData } | { document: 'work-order'; data: WorkOrderPdfData };

/**
 * Which renders go first when every thread is busy: a person waiting for a work order, then
 * finalize renders, then background pre-renders. A render already running is never interrupted.
 */
export type RenderPriority = 'interactive' | 'normal' | 'background';

export interface RenderResult {
  /** The PDF bytes (a Buffer when it comes from the render pool). */
  pdf: Uint8Array;
  pages: number;
  /** Time spent rendering in the render thread (not counting time queued for a free thread). */
  renderMs: number;
  /** Id of the worker thread that rendered it: proves the render left the caller's thread. */
  threadId?: number;
  /** JavaScript heap the render thread used right after this render (for the metrics). */
  heapUsed?: number;
}

/**
 * Renders PDFs off the caller's event loop (a pool of worker threads warmed at boot), so neither
 * HTTP nor Bull's lock renewal ever waits behind a render.
 */
export interface PdfRenderer {
  render(request: RenderRequest, priority?: RenderPriority): Promise<RenderResult>;
}

export const PDF_RENDERER = Symbol('PDF_RENDERER');

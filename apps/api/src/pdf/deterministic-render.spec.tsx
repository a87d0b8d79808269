import { createHash } from 'node:crypto';
import { renderReportPdf } from './report-document';
import { sampleReportWithRows } from './sample-report';
import { sampleWorkOrder } from './sample-work-order';
import { renderWorkOrderPdf } from './work-order-document';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const later = () => new Promise((r) => setTimeout(r, 1100));

/**
 * Every run of a job renders the same bytes from the same content: the file a stale run would
 * store, the stored one and the mailed one cannot differ. Renders a second apart, so a date taken
 * from the clock (the PDF's creation date, its file id) would show.
 */
describe('renders are deterministic', () => {
  it('a report: the same data gives the same bytes', async () => {
    const data = sampleReportWithRows(60, 'fixed');
    const first = await renderReportPdf(data);
    await later();
    const second = await renderReportPdf(structuredClone(data));
    expect(sha256(second.pdf)).toBe(sha256(first.pdf));
    expect(first.pdf.toString('latin1')).toContain(`(D:${data.finalizedAt.replace(/\D/g, '').slice(0, 14)}Z)`);
  }, 30_000);

  it('a work order: the same data gives the same bytes', async () => {
    const data = sampleWorkOrder();
    const first = await renderWorkOrderPdf(data);
    await later();
    const second = await renderWorkOrderPdf(structuredClone(data));
    expect(sha256(second.pdf)).toBe(sha256(first.pdf));
  }, 30_000);
});

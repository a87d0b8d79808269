import type { FinalizeAccepted, JobView } from '@vetlab/shared';
import { apiGet, apiLogin, apiPost, finalizable } from './support/api';
import { DEMO, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

/** A person with a phone opens the page a report's QR code leads to. */
describe('the public verification page (390×844, no login)', () => {
  const env = useStackAndBrowser();

  /** Finalizes a demo report through the API and returns its PDF. */
  async function finalizedPdf(): Promise<Buffer> {
    const url = env.stack.url;
    const protocol = await finalizable(url);
    const signer = await apiLogin(url, DEMO.signer);
    const accepted = await apiPost<FinalizeAccepted>(url, signer.accessToken, `/reports/${protocol.reportId}/finalize`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = await apiGet<JobView>(url, signer.accessToken, `/jobs/${accepted.jobId}`);
      if (job.state === 'completed') break;
      if (job.state === 'failed' || Date.now() > deadline) throw new Error(`finalize ${job.state}: ${job.failedReason}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const res = await fetch(`${url}/api/reports/${protocol.reportId}/pdf`, { headers: { Authorization: `Bearer ${signer.accessToken}` } });
    if (res.status !== 200) throw new Error(`report PDF: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  it('opens the URL of a finalized report’s QR code and sees a genuine, current report; then an unknown code', async () => {
    const pdf = await finalizedPdf();
    // The QR code's URL, as the PDF carries it (the code is also a link to it).
    const links = [...pdf.toString('latin1').matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    expect(links).toHaveLength(1);
    const qrUrl = links[0];
    expect(qrUrl).toMatch(new RegExp(`^${env.stack.url}/verificar/[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$`));
    const code = qrUrl.split('/').pop()!;

    // A fresh phone: no session, Spanish.
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-ES', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // What the phone downloads for the app itself: each script and stylesheet, as it came over the wire.
    const assets: Promise<{ file: string; encoding: string | undefined; bytes: number }>[] = [];
    page.on('requestfinished', (req) => {
      const file = new URL(req.url()).pathname;
      if (!/^\/assets\/.+\.(js|css)$/.test(file)) return;
      assets.push(
        (async () => ({ file, encoding: (await req.response())?.headers()['content-encoding'], bytes: (await req.sizes()).responseBodySize }))(),
      );
    });
    await page.goto(qrUrl);
    const state = page.getByTestId('verification-state');
    await state.waitFor();
    // The build's brotli copies (apps/web/precompress.ts): ~330 KiB instead of ~1.5 MiB.
    const loaded = await Promise.all(assets);
    expect(loaded.length).toBeGreaterThanOrEqual(3); // the app, its styles, the page's own part
    expect(loaded.filter((a) => a.encoding !== 'br')).toEqual([]);
    expect(loaded.reduce((sum, a) => sum + a.bytes, 0)).toBeLessThan(450 * 1024);
    expect(await state.getAttribute('data-state')).toBe('valid');
    await page.getByText('Informe auténtico y vigente').waitFor();
    await page.getByText(code, { exact: true }).waitFor();
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(page.url()).toBe(qrUrl);
    await screenshot(page, 'verification-valid-390');

    await page.getByText('EN', { exact: true }).click();
    await page.getByText('Genuine and current report').waitFor();
    await screenshot(page, 'verification-valid-390-en');

    // A code typed wrong: not found, in English still.
    await page.getByLabel('Verification code').fill('0000-0000-0000-0000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Code not found').waitFor();
    expect(await state.getAttribute('data-state')).toBe('not_found');
    await screenshot(page, 'verification-not-found-390-en');
    await context.close();
  });
});

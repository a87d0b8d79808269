import type { Page as ProtocolPage, ProtocolDetail, ProtocolSummary } from '@vetlab/shared';
import type { Page } from 'playwright-core';
import { apiGet, apiLogin } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

/** Every state the PDF viewer shows, recorded in the page (so a brief "being generated" is not missed). */
async function recordViewerStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { viewerStates: string[] };
    w.viewerStates = [];
    const note = () => {
      const state = document.querySelector('[data-testid="pdf-viewer"]')?.getAttribute('data-state');
      if (state && w.viewerStates.at(-1) !== state) w.viewerStates.push(state);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
}
/** The states since the last call; `idle` (opening and closing transitions) left out. */
const viewerStates = async (page: Page) =>
  (await page.evaluate(() => (window as unknown as { viewerStates: string[] }).viewerStates.splice(0))).filter((s, i, all) => s !== 'idle' && s !== all[i - 1]);

describe('a vet opens a work-order PDF', () => {
  const env = useStackAndBrowser();

  it('the first open renders it and shows it by itself; the second is a cache hit shown at once', async () => {
    // A demo work order of the vet's clinic: the seed renders no PDFs, so its cache is cold.
    const vet = await apiLogin(env.stack.url, DEMO.vet);
    const list = await apiGet<ProtocolPage<ProtocolSummary>>(env.stack.url, vet.accessToken, '/protocols?pageSize=5');
    const protocol = await apiGet<ProtocolDetail>(env.stack.url, vet.accessToken, `/protocols/${list.items[0].id}`);

    const { page, context } = await newPage(env.browser, env.stack.url);
    const answers: { status: number; cache: string | null }[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith(`/api/work-orders/${protocol.workOrderId}/pdf`)) answers.push({ status: r.status(), cache: r.headers()['x-cache'] ?? null });
    });
    await login(page, DEMO.vet);
    await page.goto(`/protocols/${protocol.id}`);
    await recordViewerStates(page);
    const pdfFrame = page.locator('iframe[src^="blob:"]');

    await page.getByTestId('work-order-pdf').click();
    await pdfFrame.waitFor({ timeout: 30_000 });
    // Cold: a 202 while it rendered, then the viewer fetched it again on its own (no click, no reload).
    expect(answers).toEqual([
      { status: 202, cache: 'miss' },
      { status: 200, cache: 'hit' },
    ]);
    expect(await viewerStates(page)).toEqual(['loading', 'pending', 'loading', 'ready']);
    await screenshot(page, 'vet-work-order-pdf');
    await page.keyboard.press('Escape');
    await pdfFrame.waitFor({ state: 'detached' });

    await page.getByTestId('work-order-pdf').click();
    await pdfFrame.waitFor({ timeout: 20_000 });
    expect(answers.slice(2)).toEqual([{ status: 200, cache: 'hit' }]);
    // Straight from loading to the document: no "being generated" step.
    expect(await viewerStates(page)).toEqual(['loading', 'ready']);
    await expect(page.getByTestId('pdf-download').getAttribute('download')).resolves.toBe(`orden-de-trabajo-${protocol.code}-v1.pdf`);
    await context.close();
  });
});

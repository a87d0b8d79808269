import type { NoticePage, ProtocolDetail, ReportView } from '@vetlab/shared';
import type { Page } from 'playwright-core';
import { apiGet, apiLogin, listProtocols } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

/** The bell's unread count once it has read the API (the attribute is absent until then). */
async function unreadOf(page: Page): Promise<number> {
  const bell = page.getByTestId('notices-bell');
  await page.waitForFunction(() => document.querySelector('[data-testid="notices-bell"]')?.hasAttribute('data-unread'));
  return Number(await bell.getAttribute('data-unread'));
}

/** A protocol of the vet's own clinic in analysis whose draft has every result. */
async function finalizableOfVet(url: string): Promise<ProtocolDetail> {
  const vet = await apiLogin(url, DEMO.vet);
  const admin = await apiLogin(url, DEMO.admin);
  const mine = await listProtocols(url, vet.accessToken, 'status=in_analysis&pageSize=100');
  for (const p of mine.items) {
    const detail = await apiGet<ProtocolDetail>(url, admin.accessToken, `/protocols/${p.id}`);
    const report = await apiGet<ReportView>(url, admin.accessToken, `/reports/${detail.reportId}`);
    if (report.versions[0]?.status === 'draft' && report.versions[0].complete) return detail;
  }
  throw new Error("no fully resulted draft of vet1's clinic in the demo data");
}

describe("a vet's notices", () => {
  const env = useStackAndBrowser();

  it('the badge goes up live when a signer in another browser finalizes a report of the clinic; the list opens it', async () => {
    const protocol = await finalizableOfVet(env.stack.url);
    const vet = await newPage(env.browser, env.stack.url);
    await login(vet.page, DEMO.vet);
    const before = await unreadOf(vet.page);

    const signer = await newPage(env.browser, env.stack.url);
    await login(signer.page, DEMO.signer);
    await signer.page.goto(`/protocols/${protocol.id}?tab=report`);
    await signer.page.getByRole('button', { name: 'Finalizar informe' }).click();
    await signer.page.getByText('Informe listo').waitFor({ timeout: 30_000 });

    // No reload: the vet's bell hears notice:new.
    await vet.page.waitForFunction((n) => Number(document.querySelector('[data-testid="notices-bell"]')?.getAttribute('data-unread')) === n, before + 1, { timeout: 30_000 });
    const text = `Informe de ${protocol.code} listo (versión 1)`;
    await vet.page.getByText(text).first().waitFor(); // the toast
    await screenshot(vet.page, 'vet-notice-badge');

    await vet.page.getByTestId('notices-bell').click();
    const panel = vet.page.getByTestId('notices-panel');
    const item = panel.getByTestId('notice-item').filter({ hasText: text });
    await item.waitFor();
    expect(await item.getAttribute('data-read')).toBe('false');
    await panel.getByText(/avisos? sin leer/).waitFor();
    await screenshot(vet.page, 'vet-notices-list');

    await item.getByTestId('notice-open').click();
    await vet.page.waitForURL(new RegExp(`/protocols/${protocol.id}`));
    await vet.page.waitForFunction((n) => Number(document.querySelector('[data-testid="notices-bell"]')?.getAttribute('data-unread')) === n, before);
    await vet.page.getByRole('tab', { name: 'Informe', selected: true }).waitFor();
    await vet.page.getByRole('button', { name: 'Ver PDF' }).first().waitFor({ timeout: 20_000 });
    await screenshot(vet.page, 'vet-notice-opened');

    // A reload reads the same from the API: the notice is there, read.
    await vet.page.reload();
    expect(await unreadOf(vet.page)).toBe(before);

    // Another clinic's vet heard nothing of it.
    const other = await apiLogin(env.stack.url, DEMO.otherVet);
    const theirs = await apiGet<NoticePage>(env.stack.url, other.accessToken, '/notices?pageSize=200');
    expect(theirs.items.some((n) => n.protocolId === protocol.id)).toBe(false);
    await signer.context.close();
    await vet.context.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { apiLogin, apiPost, finalizable } from './support/api';
import { DEMO, launchBrowser, login, newPage, screenshot as fullPageShot } from './support/browser';
import { startSwitchableSmtp, SwitchableSmtp } from './support/smtp';
import { Stack, startStack } from './support/stack';

/** A full-page screenshot taken from the top (scrolled, the fixed header would land mid-page). */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullPageShot(page, name);
}

/** The numbers on a queue card, in order (waiting, active, delayed, failed, completed, held). */
const cardCounts = (page: Page, queue: string) => page.getByTestId(`queue-${queue}`).locator('[data-testid^="count-"]').allTextContents();

describe('the operations console', () => {
  let smtp: SwitchableSmtp;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // A real SMTP server this test controls: refusing (451) at first, so a report's mail fails.
    smtp = await startSwitchableSmtp();
    smtp.refuse(true);
    stack = await startStack({
      // Short retries and a give-up after a few seconds: the refused mail ends `failed` quickly.
      env: { SMTP_URL: smtp.url, MAIL_RETRY_MIN_MS: '200', MAIL_RETRY_MAX_MS: '400', MAIL_GIVE_UP_AFTER_MS: '2500' },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await smtp?.close();
  });

  it('an admin sees a failed mail, sends it again once SMTP accepts, and watches it and the counts change live', async () => {
    const protocol = await finalizable(stack.url);
    const signer = await apiLogin(stack.url, DEMO.signer);
    await apiPost(stack.url, signer.accessToken, `/reports/${protocol.reportId}/finalize`);

    const { page: queues, context } = await newPage(browser, stack.url);
    await login(queues, DEMO.admin);
    await queues.getByRole('link', { name: 'Operaciones' }).click();
    await queues.getByTestId('queue-mail').waitFor();
    // Marks this document: had the page reloaded, the mark would be gone.
    await queues.evaluate(() => Object.assign(window, { __opsNoReload: true }));
    await screenshot(queues, 'ops-queues');

    const mails = await context.newPage();
    mails.setDefaultTimeout(15_000);
    await mails.goto(`/ops?tab=mails&reportId=${protocol.reportId}`);
    // The mail fails while the page is open: the list follows the overview's counts, no reload, no polling.
    // The report goes to the clinic and its vets: one mail each; follow the first.
    const firstFailed = mails.locator('[data-testid="ops-mail"][data-status="failed"]').first();
    await firstFailed.waitFor({ timeout: 45_000 });
    const recipient = (await firstFailed.getByTestId('mail-recipient').textContent()) ?? '';
    const row = mails.getByTestId('ops-mail').filter({ hasText: recipient });
    const failed = row.and(mails.locator('[data-status="failed"]'));
    await failed.getByTestId('mail-error').waitFor();
    await screenshot(mails, 'ops-mail-failed');

    const before = await cardCounts(queues, 'mail');
    smtp.refuse(false);
    await failed.getByRole('button', { name: 'Enviar de nuevo' }).click();
    const sent = row.and(mails.locator('[data-status="sent"]'));
    await sent.waitFor({ timeout: 45_000 });
    expect(await sent.getByTestId('mail-answer').textContent()).toMatch(/^250 /);
    await screenshot(mails, 'ops-mail-sent');
    expect(smtp.accepted()).toBeGreaterThanOrEqual(1);

    // The other tab's mail card moved by itself.
    await queues.waitForFunction((b) => JSON.stringify(Array.from(document.querySelectorAll('[data-testid="queue-mail"] [data-testid^="count-"]')).map((e) => e.textContent)) !== b, JSON.stringify(before), {
      timeout: 30_000,
    });
    expect(await queues.evaluate(() => (window as unknown as { __opsNoReload?: boolean }).__opsNoReload)).toBe(true);
    await screenshot(queues, 'ops-queues-after-resend');

    // The report's finalize job in the jobs list, named in the lab's words, with its stages.
    await mails.getByRole('tab', { name: 'Trabajos' }).click();
    const job = mails.getByTestId('ops-job').filter({ hasText: 'Finalizar informe' }).first();
    await job.waitFor();
    await screenshot(mails, 'ops-jobs');
    await job.getByRole('button', { name: 'Detalle' }).click();
    await mails.getByTestId('job-details').waitFor();
    // The drawer slides in: wait for its transitions to end before the picture.
    await mails.getByRole('dialog').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    await screenshot(mails, 'ops-job-details');
    await context.close();
  });

  it('a second admin pauses the work-order queue and the first one sees the banner at once', async () => {
    const first = await newPage(browser, stack.url);
    await login(first.page, DEMO.admin);
    await first.page.goto('/protocols');
    await first.page.getByTestId('user-name').waitFor();
    expect(await first.page.getByTestId('pause-banner').count()).toBe(0);

    // Another browser, another session of an admin.
    const second = await newPage(browser, stack.url);
    await login(second.page, DEMO.admin);
    await second.page.goto('/ops');
    const card = second.page.getByTestId('queue-work-order-pdfs');
    await card.getByRole('button', { name: 'Pausar' }).click();
    const dialog = second.page.getByRole('dialog');
    await dialog.getByLabel('Motivo').fill('Cambio de plantilla de órdenes');
    await screenshot(second.page, 'ops-pause-modal');
    await dialog.getByTestId('pause-confirm').click();
    await card.getByTestId('queue-paused').waitFor();

    const banner = first.page.getByTestId('pause-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('PDF de órdenes: «Cambio de plantilla de órdenes»');
    await screenshot(first.page, 'ops-pause-banner');
    await screenshot(second.page, 'ops-queue-paused');

    await card.getByRole('button', { name: 'Reanudar' }).click();
    await banner.waitFor({ state: 'detached' });
    await first.context.close();
    await second.context.close();
  });
});

import { finalizable } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

const AMEND_REASON = 'El ALT se cargó en la fila equivocada; se corrige.';

describe('the audit trail in the browser', () => {
  const env = useStackAndBrowser();

  it('a report’s finalize and its correction (with the reason) show in the protocol’s history; an admin filters the trail by action', async () => {
    const protocol = await finalizable(env.stack.url);
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.signer);
    await page.goto(`/protocols/${protocol.id}?tab=report`);
    await page.getByRole('button', { name: 'Finalizar informe' }).click();
    await page.getByText('Informe listo').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('amend-report').click({ timeout: 20_000 });
    await page.getByTestId('life-reason').fill(AMEND_REASON);
    await page.getByTestId('amend-confirm').click();
    await page.locator('[data-testid="report-version"][data-version="2"]').getByText('Borrador').waitFor();
    await page.getByRole('button', { name: 'Finalizar informe' }).click();
    await page.locator('[data-testid="report-version"][data-version="1"]').getByText('Sustituida por la versión 2').waitFor({ timeout: 60_000 });

    // The history tab: the report's entries first, newest first.
    await page.getByTestId('history-tab').click();
    await page.waitForURL(/tab=history/);
    const report = page.locator('[data-testid="history"][data-entity="report"]');
    const amend = report.locator('[data-testid="audit-entry"][data-action="amend"]');
    await amend.waitFor();
    await amend.getByText(AMEND_REASON).waitFor();
    await amend.getByText('Corrección').waitFor();
    await amend.getByText(`${protocol.code} v2`).waitFor();
    // Both versions' finalizes: finalizing → finalized, by the signer's job.
    const finalized = report.locator('[data-testid="audit-entry"][data-action="status_change"]').filter({ hasText: 'Finalizando → Finalizado' });
    await finalized.first().waitFor();
    expect(await finalized.count()).toBe(2);
    await finalized.filter({ hasText: `${protocol.code} v1` }).waitFor();
    await report.locator('[data-testid="audit-entry"]').filter({ hasText: 'Finalizado → Reemplazado' }).waitFor();
    // The protocol's own history is there too (its move to reported).
    await page.locator('[data-testid="history"][data-entity="protocol"] [data-testid="audit-entry"]').first().waitFor();
    // Its creation names the clinic, the vet and the panels, not their ids.
    const created = page.locator('[data-testid="history"][data-entity="protocol"] [data-testid="audit-entry"][data-action="create"]');
    const field = (name: string, text: string) => created.locator(`[data-field="${name}"]`, { hasText: text }).waitFor();
    await field('clinicId', protocol.clinic.name);
    if (protocol.vet) await field('vetId', protocol.vet.name);
    for (const panel of protocol.panels) await field('panelIds', panel.name);
    await screenshot(page, 'report-history');
    await context.close();

    const admin = await newPage(env.browser, env.stack.url);
    await login(admin.page, DEMO.admin);
    await admin.page.getByRole('link', { name: 'Auditoría' }).click();
    await admin.page.waitForURL(/\/audit$/);
    await admin.page.getByTestId('audit-entry').first().waitFor();
    await admin.page.getByTestId('audit-filter-action').click();
    await admin.page.getByRole('option', { name: 'Corrección' }).click();
    await admin.page.waitForURL(/action=amend/);
    // The unfiltered page stays on screen until the filtered one arrives: wait for rows of one action only.
    await admin.page.waitForFunction(() => {
      const rows = Array.from(document.querySelectorAll('[data-testid="audit-entry"]'));
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'amend');
    });
    const row = admin.page.getByTestId('audit-entry').filter({ hasText: AMEND_REASON });
    await row.getByRole('link', { name: `${protocol.code} v2` }).waitFor();
    await screenshot(admin.page, 'audit-trail');
    // The record's link opens its protocol on the report.
    await row.getByRole('link', { name: `${protocol.code} v2` }).click();
    await admin.page.waitForURL(new RegExp(`/protocols/${protocol.id}\\?tab=report`));
    await admin.context.close();
  });
});

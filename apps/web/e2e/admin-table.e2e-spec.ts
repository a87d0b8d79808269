import { apiLogin, listProtocols } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

describe('admin protocol table', () => {
  const env = useStackAndBrowser();

  it('filters the whole table across clinics, and the filters survive a reload', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.admin);
    await page.goto('/protocols');
    await page.getByTestId('protocol-row').first().waitFor();
    await screenshot(page, 'admin-protocols');

    const admin = await apiLogin(env.stack.url, DEMO.admin);
    const clinics = new Set((await listProtocols(env.stack.url, admin.accessToken, 'pageSize=200')).items.map((p) => p.clinic.name));
    expect(clinics.size).toBeGreaterThan(1);

    // Status "Rechazado" through the URL the filter UI writes, then a clinic on top of it.
    const rejected = await listProtocols(env.stack.url, admin.accessToken, 'status=rejected&pageSize=200');
    await page.goto('/protocols?status=rejected');
    await page.getByTestId('protocol-row').first().waitFor();
    await expectRows(rejected.total);
    const badges = await page.getByTestId('protocol-row').getByTestId('status-badge').allTextContents();
    expect(badges.every((b) => /rechazado/i.test(b))).toBe(true);

    const target = rejected.items[0];
    await page.getByRole('textbox', { name: /Buscar/ }).fill(target.code);
    await page.getByTestId('protocol-row').filter({ hasText: target.code }).waitFor();
    await expectRows(1);
    await page.reload();
    await page.getByTestId('protocol-row').filter({ hasText: target.code }).waitFor();
    await expectRows(1);
    await screenshot(page, 'admin-protocols-filtered');

    // A search that matches nothing shows the empty state, and "clear filters" brings rows back.
    await page.goto('/protocols?q=zzzz-nothing');
    await page.getByText('No hay protocolos que coincidan').waitFor();
    await page.getByRole('button', { name: 'Limpiar filtros' }).first().click();
    await page.getByTestId('protocol-row').first().waitFor();
    await context.close();

    async function expectRows(n: number) {
      await page.waitForFunction((count) => document.querySelectorAll('[data-testid="protocol-row"]').length === Math.min(count, 25), n);
    }
  });
});

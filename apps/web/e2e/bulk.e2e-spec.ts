import type { Page as ProtocolPage, ProtocolSummary } from '@vetlab/shared';
import { apiGet, apiLogin } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

describe('bulk actions', () => {
  const env = useStackAndBrowser();

  it('an admin selects 50 protocols, launches "mark as received", watches the bar reach 50/50 and the completion notification; another admin sees the run too', async () => {
    const admin = await apiLogin(env.stack.url, DEMO.admin);
    const submitted = await apiGet<ProtocolPage<ProtocolSummary>>(env.stack.url, admin.accessToken, '/protocols?status=submitted&pageSize=50');
    const query = submitted.total >= 50 ? 'status=submitted&pageSize=50' : 'pageSize=50';

    // A second admin tab, already open: it learns about the run from the socket alone.
    const other = await newPage(env.browser, env.stack.url);
    await login(other.page, DEMO.admin);
    await other.page.goto('/bulk');
    await other.page.getByRole('heading', { name: 'Acciones masivas' }).waitFor();

    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.admin);
    await page.goto(`/protocols?${query}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="protocol-row"]').length === 50);

    await page.getByRole('checkbox', { name: 'Seleccionar los protocolos de esta página' }).check();
    await page.getByTestId('bulk-selected').getByText('50 seleccionados').waitFor();
    await page.getByTestId('bulk-actions').click();
    await page.getByRole('menuitem', { name: 'Marcar como recibidos' }).click();
    await page.getByRole('dialog').getByText('¿Aplicar a 50 protocolos?').waitFor();
    await page.getByTestId('bulk-confirm').click();

    await page.getByText('Procesando 50 protocolos').waitFor();
    const bar = page.getByTestId('bulk-progress-bar');
    await bar.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="bulk-progress-bar"]');
      return el?.getAttribute('data-done') === '50' && el.getAttribute('data-total') === '50';
    });
    await page.getByTestId('bulk-progress-title').getByText('Marcar como recibidos: 50/50').waitFor();
    await page.getByText('Acción masiva terminada').first().waitFor();
    // The outcome replaces "processing" rather than stacking under it.
    await page.getByText('Procesando 50 protocolos').waitFor({ state: 'hidden' });
    await screenshot(page, 'admin-bulk-done');

    // The other admin got the same outcome.
    await other.page.getByText('Acción masiva terminada').first().waitFor();
    await other.page.getByTestId('bulk-progress-title').getByText('50/50').waitFor();
    await other.context.close();

    // The history keeps it: per-item outcomes, and the run after a reload.
    await page.getByRole('link', { name: 'Ver detalle' }).first().click();
    await page.getByTestId('bulk-run-counts').getByText(/^50\/50/).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="bulk-item-row"]').length === 50);
    await page.reload();
    await page.getByTestId('bulk-run-counts').getByText(/^50\/50/).waitFor();
    await context.close();
  });
});

import type { ClinicView } from '@vetlab/shared';
import { apiGet, apiLogin } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

describe('clinics', () => {
  const env = useStackAndBrowser();

  it('an admin creates a clinic and edits its result addresses; the list shows the change', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.admin);
    await page.getByRole('link', { name: 'Clínicas' }).click();
    await page.getByTestId('clinic-row').first().waitFor();
    await screenshot(page, 'admin-clinics');

    await page.getByTestId('clinic-new').click();
    const form = page.getByTestId('clinic-form');
    await form.getByTestId('clinic-name').fill('Clínica Prueba E2E');
    await form.getByTestId('clinic-address').fill('Calle del Test 12, Madrid');
    // Checked as typed, with the shared schema.
    await form.getByTestId('clinic-email-0').fill('no-es-un-correo');
    await form.getByText('No es un correo válido').waitFor();
    await form.getByTestId('clinic-email-0').fill('resultados@prueba.test');
    await form.getByTestId('clinic-submit').click();
    const row = page.getByTestId('clinic-row').filter({ hasText: 'Clínica Prueba E2E' });
    await row.waitFor();

    await row.getByRole('link', { name: 'Clínica Prueba E2E' }).click();
    await page.getByTestId('clinic-title').filter({ hasText: 'Clínica Prueba E2E' }).waitFor();
    const edit = page.getByTestId('clinic-form');
    await edit.getByTestId('clinic-email-add').click();
    await edit.getByTestId('clinic-email-1').fill('vet@prueba.test');
    await edit.getByTestId('clinic-phone').fill('+34 600 11 22 33');
    await edit.getByTestId('clinic-submit').click();
    await page.getByText('Clínica guardada').waitFor();
    await screenshot(page, 'clinic-page');

    const admin = await apiLogin(env.stack.url, DEMO.admin);
    const saved = (await apiGet<ClinicView[]>(env.stack.url, admin.accessToken, '/clinics')).find((c) => c.name === 'Clínica Prueba E2E');
    expect(saved).toMatchObject({ address: 'Calle del Test 12, Madrid', phone: '+34 600 11 22 33', resultEmails: ['resultados@prueba.test', 'vet@prueba.test'], reportLanguage: 'es' });

    // Back on the list (cached before the edit), the new address is there.
    await page.getByRole('link', { name: 'Clínicas' }).first().click();
    await page.getByTestId('clinic-row').filter({ hasText: 'vet@prueba.test' }).waitFor();
    await context.close();
  });

  it('a vet sees their own clinic, read-only, from "Mi clínica"', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.vet);
    await page.getByRole('link', { name: 'Mi clínica' }).click();
    const details = page.getByTestId('clinic-details');
    await details.waitFor();
    const vet = await apiLogin(env.stack.url, DEMO.vet);
    const [own] = await apiGet<ClinicView[]>(env.stack.url, vet.accessToken, '/clinics');
    await page.getByTestId('clinic-title').filter({ hasText: own.name }).waitFor();
    expect(await details.textContent()).toContain(own.resultEmails[0]);
    expect(await page.getByTestId('clinic-form').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Clínicas' }).count()).toBe(0);
    await screenshot(page, 'vet-clinic');
    await context.close();
  });
});

import type { Page } from 'playwright-core';
import { apiLogin, listProtocols } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

const pick = async (page: Page, label: RegExp, option: string | RegExp) => {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
};

describe('a vet submits a protocol; staff receive it and enter results', () => {
  const env = useStackAndBrowser();
  let code = '';
  let protocolId = '';

  it('a vet submits a protocol and sees only their own clinic', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.vet);
    await page.goto('/protocols/new');
    await page.getByLabel(/^Nombre del animal/).fill('Rocky');
    await pick(page, /^Especie/, 'Perro');
    await pick(page, /^Sexo/, 'Macho');
    await page.getByLabel(/^Nombre del propietario/).fill('Marta Ruiz');
    await pick(page, /^Tipo de muestra 1/, 'Suero');
    await page.getByRole('button', { name: 'Agregar muestra' }).click();
    await pick(page, /^Tipo de muestra 2/, /^Sangre entera/);
    await page.getByRole('combobox', { name: /^Perfiles/ }).click();
    await page.getByRole('option', { name: /\(BQ-BAS\)/ }).click();
    await page.getByRole('option', { name: /\(HEMO\)/ }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Enviar protocolo' }).click();
    await page.waitForURL(/\/protocols\/[0-9a-f-]{36}$/);
    protocolId = page.url().split('/').pop()!;
    const note = await page.getByText(/P-\d{4}-\d{6}/).first().textContent();
    code = /P-\d{4}-\d{6}/.exec(note ?? '')![0];

    // The list shows it, and nothing of other clinics: no clinic column, and a foreign id is "not found".
    await page.goto(`/protocols?q=${code}`);
    await page.getByTestId('protocol-row').filter({ hasText: code }).waitFor();
    await screenshot(page, 'vet-protocols');
    const vetSession = await apiLogin(env.stack.url, DEMO.vet);
    const mine = await listProtocols(env.stack.url, vetSession.accessToken, 'pageSize=200');
    expect(mine.items.every((p) => p.clinic.id === vetSession.user.clinic!.id)).toBe(true);
    const admin = await apiLogin(env.stack.url, DEMO.admin);
    const all = await listProtocols(env.stack.url, admin.accessToken, 'pageSize=200');
    const foreign = all.items.find((p) => p.clinic.id !== vetSession.user.clinic!.id)!;
    await page.goto(`/protocols/${foreign.id}`);
    await page.getByText('Protocolo no encontrado').waitFor();
    await context.close();
  });

  it('staff receive it, start the analysis, enter results and see flags', async () => {
    expect(protocolId).not.toBe('');
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.staff);
    await page.goto('/intake');
    await page.getByTestId('protocol-row').first().waitFor();
    await screenshot(page, 'staff-intake');

    await page.goto(`/protocols/${protocolId}`);
    await page.getByRole('button', { name: 'Recibir' }).click();
    await page.getByRole('button', { name: 'Iniciar análisis' }).click();
    await page.getByTestId('status-badge').filter({ hasText: /En análisis/i }).first().waitFor();

    await page.goto(`/protocols/${protocolId}?tab=report`);
    await page.getByTestId('result-entry').waitFor();
    await page.getByLabel('Hematocrito', { exact: true }).fill('30');
    await page.getByLabel('Glucosa', { exact: true }).fill('200');
    await page.getByLabel('Creatinina', { exact: true }).fill('1,1');
    expect(await page.getByTestId('flag-HTO').getAttribute('data-flag')).toBe('low');
    expect(await page.getByTestId('flag-GLU').getAttribute('data-flag')).toBe('high');
    expect(await page.getByTestId('flag-CREA').getAttribute('data-flag')).toBe('normal');
    await page.getByRole('button', { name: 'Guardar resultados' }).click();
    await page.getByText(/Se guardaron 3 resultados/).waitFor();
    await screenshot(page, 'staff-results');

    // Saved for real: a fresh load shows the stored values and their flags.
    await page.reload();
    await page.getByTestId('result-entry').waitFor();
    expect(await page.getByLabel('Glucosa', { exact: true }).inputValue()).toBe('200');
    expect(await page.getByTestId('flag-GLU').getAttribute('data-flag')).toBe('high');
    await context.close();
  });
});

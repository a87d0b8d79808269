import type { Browser } from 'playwright-core';
import { DEMO, launchBrowser, login, newPage, screenshot } from './support/browser';
import { Mailbox, startMailbox } from './support/mailbox';
import { startStack, Stack } from './support/stack';

describe('people: an admin creates and deactivates them; a new person sets a password', () => {
  let mailbox: Mailbox;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // A real SMTP server: the set-password link is read from the mail the stack sent.
    mailbox = await startMailbox();
    stack = await startStack({ env: { SMTP_URL: mailbox.url, MAIL_RETRY_MIN_MS: '200' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await mailbox?.close();
  });

  it('an admin creates a vet for a clinic; the vet sets a password through the mailed link and signs in', async () => {
    const email = `nueva.vet.${Date.now()}@clinica.test`;
    const { page, context } = await newPage(browser, stack.url);
    await login(page, DEMO.admin);
    await page.getByRole('link', { name: 'Personas' }).click();
    await page.waitForURL(/\/admin\/people$/);
    await page.getByTestId('person-row').first().waitFor();
    await screenshot(page, 'admin-people');

    await page.getByTestId('new-person').click();
    await page.getByTestId('person-name').fill('Dra. Nueva Vet');
    await page.getByTestId('person-email').fill('no-es-correo');
    await page.getByTestId('person-role').click();
    await page.getByRole('option', { name: 'Veterinario/a' }).click();
    // Checked as typed with the shared schema, in words.
    await page.getByText('Correo electrónico no válido').waitFor();
    await page.getByTestId('person-email').fill(email);
    await page.getByTestId('person-clinic').click();
    await page.getByRole('option').first().click();
    await screenshot(page, 'admin-new-person', { fullPage: false });
    await page.getByTestId('create-person').click();
    await page.waitForURL(/\/admin\/people\/[0-9a-f-]{36}$/);
    await page.getByTestId('person-title').filter({ hasText: 'Dra. Nueva Vet' }).waitFor();
    await context.close();

    const mail = await mailbox.next(email);
    const link = /https?:\/\/\S+\/password\/[A-Za-z0-9_-]+/.exec(String(mail.text))?.[0];
    expect(link).toBeDefined();

    // The vet, on a phone.
    const phone = await browser.newContext({ baseURL: stack.url, viewport: { width: 390, height: 844 }, locale: 'es-ES', isMobile: true, hasTouch: true });
    const vetPage = await phone.newPage();
    vetPage.setDefaultTimeout(15_000);
    await vetPage.goto(link!);
    await vetPage.getByTestId('password-for').filter({ hasText: email }).waitFor();
    await vetPage.getByTestId('new-password').fill('qwerty12345');
    await vetPage.getByText('Es una contraseña demasiado común; elige otra').waitFor();
    await vetPage.getByTestId('new-password').fill('un gato naranja en el tejado');
    await vetPage.getByTestId('repeat-password').fill('un gato naranja en el tejado');
    await screenshot(vetPage, 'set-password');
    expect(await vetPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await vetPage.getByTestId('save-password').click();
    await vetPage.waitForURL(/\/login\?notice=password-set$/);
    await vetPage.getByTestId('login-notice').waitFor();
    await login(vetPage, { email, password: 'un gato naranja en el tejado' });
    await vetPage.getByTestId('user-name').filter({ hasText: 'Dra. Nueva Vet' }).waitFor();

    // The link works once.
    await vetPage.goto(link!);
    await vetPage.getByTestId('password-link-invalid').waitFor();
    await phone.close();
  });

  it('an admin deactivates a technician whose session is open elsewhere: that session is thrown out to the login page', async () => {
    const tech = await newPage(browser, stack.url);
    await login(tech.page, DEMO.staff);
    await tech.page.goto('/intake');
    await tech.page.getByTestId('user-name').waitFor();

    const { page, context } = await newPage(browser, stack.url);
    await login(page, DEMO.admin);
    await page.goto(`/admin/people?q=${encodeURIComponent(DEMO.staff.email)}`);
    await page.getByTestId('person-row').first().getByRole('link').click();
    await page.waitForURL(/\/admin\/people\/[0-9a-f-]{36}$/);
    await page.getByTestId('deactivate').click();
    await page.getByTestId('deactivate-confirm').click();
    await page.getByTestId('person-status').filter({ hasText: 'Desactivada' }).waitFor();

    await tech.page.waitForURL(/\/login/);
    await tech.page.getByLabel('Correo electrónico').waitFor();
    await tech.context.close();
    await context.close();
  });
});

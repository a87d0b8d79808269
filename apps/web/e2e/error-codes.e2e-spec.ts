import type { Page } from 'playwright-core';
import { apiLogin, apiPost, listProtocols } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

/**
 * A refused change shows the SPA's own words for the API's error code, in the language the person
 * chose, never the server's English sentence ("protocol is already received").
 */
describe("server errors in the reader's language", () => {
  const env = useStackAndBrowser();

  /** A submitted demo protocol that staff may receive (the `skip`-th one). */
  async function submitted(skip: number) {
    const admin = await apiLogin(env.stack.url, DEMO.admin);
    const list = await listProtocols(env.stack.url, admin.accessToken, 'status=submitted&pageSize=50');
    return list.items[skip];
  }

  /**
   * Opens the protocol as staff with the live channel cut (so the page still offers "receive"),
   * lets someone else receive it through the API, then clicks: the server answers 409.
   */
  async function refusedReceive(page: Page, skip: number, receive: RegExp) {
    const p = await submitted(skip);
    // The live channel (a WebSocket) goes nowhere: no event refreshes the page before the click.
    await page.routeWebSocket(/socket\.io/, () => undefined);
    await page.goto(`/protocols/${p.id}`);
    const button = page.getByRole('button', { name: receive });
    await button.waitFor();
    const other = await apiLogin(env.stack.url, { email: 'tecnico2@vetlab.local', password: 'vetlab-staff' });
    await apiPost(env.stack.url, other.accessToken, `/protocols/${p.id}/receive`, {});
    await button.click();
    return p;
  }

  it('in English: English text from the code', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.staff);
    await page.evaluate(() => localStorage.setItem('vetlab.locale', 'en'));
    const p = await refusedReceive(page, 0, /^Receive$/);
    await page.getByText(`The change to ${p.code} was not applied`).waitFor();
    await page.getByText('Someone else already marked it as received. The list has been refreshed.').waitFor();
    expect(await page.getByText(/already received|protocol is already/).count()).toBe(0);
    await screenshot(page, 'error-code-en');
    await context.close();
  });

  it('in Spanish: Spanish text from the code', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.staff);
    await page.evaluate(() => localStorage.setItem('vetlab.locale', 'es'));
    const p = await refusedReceive(page, 1, /^Recibir$/);
    await page.getByText(`No se aplicó el cambio a ${p.code}`).waitFor();
    await page.getByText('Otra persona ya lo marcó como recibido. La lista se actualizó.').waitFor();
    expect(await page.getByText(/already received|protocol is already/).count()).toBe(0);
    await screenshot(page, 'error-code-es');
    await context.close();
  });
});

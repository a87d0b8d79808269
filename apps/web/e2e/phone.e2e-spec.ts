import type { ProtocolSummary } from '@vetlab/shared';
import type { Browser, Frame, Page } from 'playwright-core';
import { apiLogin, listProtocols } from './support/api';
import { DEMO, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

const PHONE = { width: 390, height: 844 };

/** Reads until the value passes (or the time is up, then fails naming what it waited for and the last value). */
async function until<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A phone held upright: its size, touch, and the mobile viewport meta honoured. */
async function phonePage(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, viewport: PHONE, isMobile: true, hasTouch: true, locale: 'es-ES' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Nothing wider than the screen: the page never scrolls sideways. */
const pageWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

/** Where the navigation sits: on screen (x ≥ 0) or pushed off it to the left. */
const navbarBox = async (page: Page) => (await page.getByTestId('app-navbar').boundingBox())!;

/**
 * The first page of the PDF as Chromium's own viewer draws it inside the frame: its zoom mode and
 * the page's rectangle in the frame (CSS pixels). The viewer runs in a frame of its own.
 */
async function pdfPage(page: Page): Promise<{ fitting: string; width: number; x: number }> {
  const viewer = (): Frame | undefined => page.frames().find((f) => f.url().startsWith('chrome-extension://'));
  await until('the PDF viewer frame', viewer, (f) => f !== undefined, 20_000);
  // Loaded, and the open parameter applied (before that the viewer shows the page at 100 %).
  await viewer()!.waitForFunction(
    () => {
      const vp = (document.querySelector('pdf-viewer') as unknown as { viewport_?: { fittingType_: string; getPageScreenRect: (n: number) => { width: number } } })
        ?.viewport_;
      return !!vp && vp.fittingType_ === 'fit-to-width' && vp.getPageScreenRect(0).width > 0;
    },
    null,
    { timeout: 20_000 },
  );
  return viewer()!.evaluate(() => {
    const vp = (
      document.querySelector('pdf-viewer') as unknown as {
        viewport_: { fittingType_: string; getPageScreenRect: (n: number) => { x: number; width: number } };
      }
    ).viewport_;
    const rect = vp.getPageScreenRect(0);
    return { fitting: vp.fittingType_, width: rect.width, x: rect.x };
  });
}

describe('a vet on a phone (390×844)', () => {
  const env = useStackAndBrowser();

  it('signs in, uses the menu, finds a report by its code, and reads the PDF fitted to the screen', async () => {
    // A reported protocol of the vet's clinic (its report is finalized in the demo data).
    const vet = await apiLogin(env.stack.url, DEMO.vet);
    const reported = (await listProtocols(env.stack.url, vet.accessToken, 'status=reported&pageSize=5')).items[0] as ProtocolSummary;
    expect(reported).toBeDefined();

    const { page, context } = await phonePage(env.browser, env.stack.url);
    await page.goto('/login');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.getByLabel('Correo electrónico').fill(DEMO.vet.email);
    await page.getByLabel('Contraseña').fill(DEMO.vet.password);
    await page.getByRole('button', { name: /Ingresar|Iniciar sesión/ }).click();
    await page.waitForURL(/\/protocols$/);
    const menu = page.getByTestId('menu-button');
    await menu.waitFor();
    await page.getByTestId('protocol-row').first().waitFor();

    // The navigation is off screen, not over the list; the list is cards, and nothing is wider than the phone.
    expect(await page.getByTestId('app-navbar').getAttribute('data-open')).toBe('false');
    const closed = await navbarBox(page);
    expect(closed.x + closed.width).toBeLessThanOrEqual(0);
    await page.getByTestId('protocol-cards').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-vet-protocols', { fullPage: false });

    // The menu opens over the page, shows who is signed in, and closes after navigating.
    await menu.click();
    await until('the menu on screen', async () => (await navbarBox(page)).x, (x) => x === 0);
    expect(await page.getByTestId('app-navbar').getAttribute('data-open')).toBe('true');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('app-navbar').getByTestId('user-name').waitFor();
    await screenshot(page, 'phone-vet-menu', { fullPage: false });
    await page.getByTestId('app-navbar').getByRole('link', { name: 'Nuevo protocolo' }).click();
    await page.waitForURL(/\/protocols\/new$/);
    await until('the menu closed', () => page.getByTestId('app-navbar').getAttribute('data-open'), (v) => v === 'false');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-vet-new-protocol');
    await menu.click();
    await page.getByTestId('app-navbar').getByRole('link', { name: 'Protocolos', exact: true }).click();
    await page.waitForURL(/\/protocols$/);
    await until('the menu closed', () => page.getByTestId('app-navbar').getAttribute('data-open'), (v) => v === 'false');

    // Filter by status behind "Filtros", then search the code: one card, which opens the protocol.
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'Informado' }).click();
    await page.keyboard.press('Escape');
    await until('one filter set', () => page.getByTestId('filters-toggle').textContent(), (v) => v === 'Filtros (1)');
    await page.getByLabel('Buscar').fill(reported.code);
    const card = page.getByTestId('protocol-row').filter({ hasText: reported.code });
    await card.waitFor();
    await until('one card', () => page.getByTestId('protocol-row').count(), (n) => n === 1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-vet-search');
    await card.click();
    await page.waitForURL(new RegExp(`/protocols/${reported.id}`));
    await page.getByRole('tab', { name: 'Informe' }).click();
    await page.getByTestId('report-version').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-vet-report');

    // The PDF: full screen, the frame within the phone, the page drawn fitted to the frame's width.
    await page.getByRole('button', { name: 'Ver PDF' }).first().click();
    // The demo data stores no report PDFs: the first open renders it (202), and the viewer follows by itself.
    await until('the PDF viewer ready', () => page.getByTestId('pdf-viewer').getAttribute('data-state'), (s) => s === 'ready', 60_000).catch(async (e: Error) => {
      await screenshot(page, 'phone-vet-pdf-failed');
      throw e;
    });
    const frame = page.getByTestId('pdf-frame');
    await frame.waitFor();
    const box = (await frame.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.height).toBeGreaterThan(PHONE.height / 2);
    const upright = await pdfPage(page);
    expect(upright.fitting).toBe('fit-to-width');
    expect(upright.x).toBeGreaterThanOrEqual(0);
    expect(upright.width).toBeGreaterThan(box.width * 0.8);
    expect(upright.x + upright.width).toBeLessThanOrEqual(box.width);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.waitForTimeout(1000);
    await screenshot(page, 'phone-vet-pdf', { fullPage: false });

    // Turned sideways and back: the page is scaled again to the new width each time.
    await page.setViewportSize({ width: PHONE.height, height: PHONE.width });
    const sideways = await until('the page re-scaled sideways', () => pdfPage(page), (p) => p.fitting === 'fit-to-width' && Math.abs(p.width - upright.width) > 10);
    const wideBox = (await frame.boundingBox())!;
    expect(sideways.width).toBeGreaterThan(upright.width);
    expect(sideways.x + sideways.width).toBeLessThanOrEqual(wideBox.width);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.height);
    await page.setViewportSize(PHONE);
    await until('the page re-fitted upright', async () => (await pdfPage(page)).width, (w) => Math.abs(w - upright.width) < 1);

    // Closing the viewer goes back to the report.
    await page.getByRole('button', { name: 'Cerrar', exact: true }).click();
    await frame.waitFor({ state: 'detached' });
    await context.close();
  });

  it('<html lang> follows the language switch, and a reload keeps the choice', async () => {
    const { page, context } = await phonePage(env.browser, env.stack.url);
    await page.goto('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByLabel('Correo electrónico').fill(DEMO.vet.email);
    await page.getByLabel('Contraseña').fill(DEMO.vet.password);
    await page.getByRole('button', { name: /Ingresar|Iniciar sesión/ }).click();
    await page.getByTestId('menu-button').waitFor();

    const lang = page.getByTestId('language-switch');
    await lang.getByText('EN', { exact: true }).click();
    await until('lang=en', () => page.locator('html').getAttribute('lang'), (v) => v === 'en');
    await page.getByRole('button', { name: 'Open the menu' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-vet-english', { fullPage: false });

    await page.reload();
    await page.getByTestId('menu-button').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await lang.getByText('ES', { exact: true }).click();
    await until('lang=es', () => page.locator('html').getAttribute('lang'), (v) => v === 'es');
    await page.getByRole('button', { name: 'Abrir el menú' }).waitFor();
    await context.close();
  });
});

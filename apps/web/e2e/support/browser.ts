import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '../../../../test-output/screenshots');

export const DEMO = {
  admin: { email: 'admin@vetlab.local', password: 'vetlab-admin' },
  signer: { email: 'firmante1@vetlab.local', password: 'vetlab-staff' },
  staff: { email: 'tecnico1@vetlab.local', password: 'vetlab-staff' },
  vet: { email: 'vet1@vetlab.local', password: 'vetlab-vet' },
  otherVet: { email: 'vet3@vetlab.local', password: 'vetlab-vet' },
};

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function newPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale: 'es-ES' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export async function login(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Correo electrónico').fill(who.email);
  await page.getByLabel('Contraseña').fill(who.password);
  await page.getByRole('button', { name: /Ingresar|Iniciar sesión/ }).click();
  await page.getByTestId('user-name').waitFor();
}

/**
 * Screenshots go to test-output/ (kept out of git; CI keeps it as an artefact). The whole page, or
 * with `fullPage: false` what the window shows (a full-screen dialog over a long page). A whole
 * page is taken from the top: Chromium captures a long page at its current scroll, and a sticky
 * header (the app's bar, a table's head) then shows up wherever the test had scrolled to.
 */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const viewport = page.viewportSize();
  const height = fullPage ? await page.evaluate(() => (window.scrollTo(0, 0), document.scrollingElement!.scrollHeight)) : 0;
  if (!viewport || height <= viewport.height) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
    return;
  }
  // A window as tall as the page, so what sticks to the window's bottom (a save bar, notifications)
  // is drawn at the page's foot, as a person scrolled there sees it, not halfway down the picture.
  await page.setViewportSize({ width: viewport.width, height });
  try {
    // The page lays itself out for the new size (two frames), and the transitions that started
    // (the app shell's navigation grows to the new height) end, before it is drawn. Not the
    // animations that never end (a loader, a striped progress bar): waiting for those hung the test
    // whenever one was on screen. And at most 2 s in all.
    await page.evaluate(async () => {
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      const ending = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
      await Promise.race([Promise.all(ending.map((a) => a.finished.catch(() => undefined))), new Promise((done) => setTimeout(done, 2000))]);
    });
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/**
 * node tools/run-ts.mjs bench/report-png.ts <page.html> <out.png> [section-id [charts]]
 * Renders the bench's HTML page in Chromium (playwright-core, CHROMIUM_PATH or /usr/bin/chromium)
 * and saves a PNG: the whole page, or one section (e.g. `finalize`), or its first few charts, for the README.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

async function main() {
  const [html, png, section, charts] = process.argv.slice(2);
  if (!html || !png) throw new Error('usage: bench/report-png.ts <page.html> <out.png> [section-id]');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(resolve(html)).href);
    if (section && charts) {
      const top = (await page.locator(`section#${section}`).boundingBox())!;
      const last = (await page.locator(`section#${section} figure`).nth(Number(charts) - 1).boundingBox())!;
      await page.screenshot({ path: png, fullPage: true, clip: { x: top.x, y: top.y, width: top.width, height: last.y + last.height - top.y } });
    } else if (section) await page.locator(`section#${section}`).screenshot({ path: png });
    else await page.screenshot({ path: png, fullPage: true });
    console.log(`written ${png}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

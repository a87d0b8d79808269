import type { Browser } from 'playwright-core';
import { DEMO, launchBrowser, login, newPage, screenshot } from './support/browser';
import { startStack, Stack } from './support/stack';

describe('live connection badge', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('goes live after login and recovers after the API restarts', async () => {
    const { page, context } = await newPage(browser, stack.url);
    await login(page, DEMO.vet);
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]');

    await stack.crash();
    await page.waitForSelector('[data-testid="live-badge"]:not([data-status="connected"])');
    await screenshot(page, 'live-badge-offline');
    await stack.resume();
    // socket.io reconnects by itself once the API is back.
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]', { timeout: 30_000 });
    await screenshot(page, 'live-badge-after-restart');
    await context.close();
  });
});
